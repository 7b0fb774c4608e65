package io.currents.cli.ops.create;

import io.currents.cli.output.DurationConverter;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code --timeout}: how long to wait for the created object to become ready. */
final class TimeoutOption {

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait for the object to be ready (default: ${DEFAULT-VALUE}).")
    Duration timeout;
}
