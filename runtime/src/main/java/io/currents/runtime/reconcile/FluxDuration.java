package io.currents.runtime.reconcile;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and formats Go-style durations as Flux writes them in specs ({@code 1m30s}, {@code 500ms}, {@code 2h}). */
public final class FluxDuration {

    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

    private FluxDuration() {
    }

    /** Parses a duration such as {@code 10m} or {@code 1h30m}; throws IllegalArgumentException on malformed input. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        double nanos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\" (expected e.g. 30s, 5m, 1h30m)");
            }
            double value = Double.parseDouble(m.group(1));
            nanos += value * switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            pos = m.end();
        }
        return Duration.ofNanos((long) nanos);
    }

    /** Parses {@code text}, or returns {@code fallback} when it is null or blank. */
    public static Duration parseOr(String text, Duration fallback) {
        return text == null || text.isBlank() ? fallback : parse(text);
    }

    /** Formats like Go's time.Duration.String() for whole seconds and above (e.g. {@code 1h0m0s}, {@code 30s}). */
    public static String format(Duration d) {
        long totalMillis = d.toMillis();
        if (totalMillis < 1000) {
            return totalMillis + "ms";
        }
        long h = d.toHours();
        long m = d.toMinutesPart();
        double s = d.toSecondsPart() + d.toMillisPart() / 1000.0;
        String secs = s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
        if (h > 0) {
            return h + "h" + m + "m" + secs + "s";
        }
        if (m > 0) {
            return m + "m" + secs + "s";
        }
        return secs + "s";
    }
}
