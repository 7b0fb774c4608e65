package io.currents.cli.ops.create;

import picocli.CommandLine.Option;

/** {@code --export}: print the generated YAML instead of applying it. */
final class ExportOption {

    @Option(names = "--export", description = "Print the generated YAML instead of applying it.")
    boolean export;
}
