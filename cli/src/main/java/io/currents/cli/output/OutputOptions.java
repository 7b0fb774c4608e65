package io.currents.cli.output;

import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Collection;

/** The {@code -o/--output yaml|json} flag as a picocli mixin; {@code null} format means "the command's own table". */
public final class OutputOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "yaml|json",
            description = "Print the objects as yaml or json instead of the default output.")
    OutputFormat format;

    /** The chosen format, or null when the command should print its default (table or progress) output. */
    public OutputFormat format() {
        return format;
    }

    public boolean isSet() {
        return format != null;
    }

    /** Prints the objects in the chosen format to {@code out} and flushes. */
    public void print(PrintWriter out, Collection<?> objects) {
        out.print(format.renderAll(objects));
        out.flush();
    }
}
