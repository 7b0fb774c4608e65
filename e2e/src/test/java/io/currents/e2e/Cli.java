package io.currents.e2e;

import io.currents.cli.Currents;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code currents} commands in-process against the local cluster, as a user would run them. */
final class Cli {

    /** What a command printed and how it exited. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path kubeconfig;

    Cli(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    /** Runs {@code currents <args> --kubeconfig <control plane>}. */
    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kubeconfig");
        all.add(kubeconfig.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Currents.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }
}
