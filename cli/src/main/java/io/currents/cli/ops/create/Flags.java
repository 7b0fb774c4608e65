package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.runtime.reconcile.FluxDuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Flag values the create commands read the same way: durations, files, one-of choices. */
final class Flags {

    private Flags() {
    }

    /** A duration flag in flux's format ({@code 5m0s}); null stays null. */
    static String duration(String value) {
        if (value == null) {
            return null;
        }
        try {
            return FluxDuration.format(FluxDuration.parse(value));
        } catch (IllegalArgumentException e) {
            throw new CliException("'" + value + "' is not a duration; use e.g. 30s, 5m or 1h30m", ExitCodes.USAGE);
        }
    }

    /** The text of a file given to {@code flag}. */
    static String read(Path file, String flag) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + "; check the path given to " + flag, ExitCodes.USAGE, e);
        }
    }

    /** {@code value} when it is one of {@code allowed} (or null), else a usage error saying {@code problem}. */
    static String oneOf(String value, List<String> allowed, String problem) {
        if (value != null && !allowed.contains(value)) {
            throw new CliException(problem, ExitCodes.USAGE);
        }
        return value;
    }

    /** null for an empty list or text, so the field is left out. */
    static <T> List<T> orNull(List<T> values) {
        return values == null || values.isEmpty() ? null : values;
    }

    static String orNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** {@code true}, or null so that an unset switch is left out as flux leaves it. */
    static Boolean trueOrNull(boolean value) {
        return value ? Boolean.TRUE : null;
    }
}
