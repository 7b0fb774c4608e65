package io.currents.cli.ops;

import io.currents.cli.Currents;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the CLI in-process and compares output with golden files under src/test/resources/golden. */
public final class Cli {

    record Run(int code, String out, String err) {
    }

    private Cli() {
    }

    static Run run(String... args) {
        return run(new StringWriter(), args);
    }

    /** Runs with {@code out} receiving stdout as it is printed (a StringWriter is safe to read meanwhile). */
    static Run run(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Currents.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Asserts the text equals the golden file; with {@code -Dgolden.update=true} the file is (re)written instead,
     * to be reviewed in the diff before committing.
     */
    public static void assertGolden(String name, String actual) {
        Path file = Paths.get("src/test/resources/golden").resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                return;
            }
            assertThat(file).as("golden file %s (create it with -Dgolden.update=true and review it)", file).exists();
            assertThat(actual).as("output against %s", file).isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
