package io.currents.cli.ops.create;

import picocli.CommandLine.Option;

/** {@code --interval}: how often the controller reconciles the object, in flux's duration format. */
final class IntervalOption {

    @Option(names = "--interval", defaultValue = "1m", paramLabel = "<duration>",
            description = "How often the object is reconciled (default: ${DEFAULT-VALUE}).")
    String interval;

    /** The interval as flux writes it ({@code 1m0s}). */
    String formatted() {
        return Flags.duration(interval);
    }
}
