package io.currents.cli.output;

import io.currents.runtime.reconcile.FluxDuration;
import picocli.CommandLine;

import java.time.Duration;

/** Reads Go-style durations ({@code 30s}, {@code 5m}, {@code 1h30m}) for flags such as {@code --timeout}, as flux does. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return FluxDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; use e.g. 30s, 5m or 1h30m");
        }
    }
}
