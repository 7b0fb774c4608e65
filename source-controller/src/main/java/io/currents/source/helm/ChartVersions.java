package io.currents.source.helm;

import org.semver4j.Range;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Chart version parsing and range matching with Helm's rules (Masterminds semver): versions may carry
 * a {@code v} prefix and omit minor or patch; ranges join comparators with commas or spaces (AND) and
 * {@code ||} (OR); a pre-release version only satisfies a comparator that names a pre-release itself,
 * so {@code *} and {@code >=1.0.0} pick the latest stable version and {@code >=1.0.0-0} admits betas.
 */
public final class ChartVersions {

    private static final Pattern PARTIAL = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern LEADING_V = Pattern.compile("^[vV](?=\\d)");

    private ChartVersions() {
    }

    /** The version, or empty when {@code text} is not a (lenient) semantic version. */
    public static Optional<Semver> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String v = LEADING_V.matcher(text.trim()).replaceFirst("");
        String core = v.split("[-+]", 2)[0];
        if (PARTIAL.matcher(core).matches()) {
            String padded = core + (core.contains(".") ? ".0" : ".0.0");
            v = padded + v.substring(core.length());
        }
        return Optional.ofNullable(Semver.parse(v));
    }

    /** A parsed version range; {@link #matches} applies Helm's pre-release rule. */
    public static final class Constraint {
        private final String text;
        private final RangesList ranges;

        private Constraint(String text, RangesList ranges) {
            this.text = text;
            this.ranges = ranges;
        }

        public String text() {
            return text;
        }

        public boolean matches(Semver version) {
            for (List<Range> group : ranges.get()) {
                if (group.stream().allMatch(r -> comparatorAllows(r, version))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean comparatorAllows(Range range, Semver version) {
            if (!version.getPreRelease().isEmpty() && range.getRangeVersion().getPreRelease().isEmpty()) {
                // Masterminds: a pre-release satisfies only comparators that mention a pre-release;
                // the "-0" that range expansion adds to exclusive upper bounds does not count.
                return false;
            }
            return range.isSatisfiedBy(version);
        }
    }

    /**
     * Parses a range as Helm writes it; an empty range means {@code *}.
     *
     * @throws IllegalArgumentException when the range cannot be parsed
     */
    public static Constraint constraint(String range) {
        String text = range == null || range.isBlank() ? "*" : range.trim();
        String normalized = text.replaceAll("\\s*,\\s*", " ")
                .replaceAll("(?<=[<>=~^]|^|\\s)[vV](?=\\d)", "");
        RangesList ranges;
        try {
            ranges = RangesListFactory.create(normalized);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("improper constraint: " + text, e);
        }
        if (ranges.get().isEmpty()) {
            throw new IllegalArgumentException("improper constraint: " + text);
        }
        // semver4j turns unparseable input into an empty-ish range that matches nothing; make sure
        // each comparator has a real version so a typo is reported instead of silently matching nothing
        for (List<Range> group : ranges.get()) {
            if (group.isEmpty()) {
                throw new IllegalArgumentException("improper constraint: " + text);
            }
        }
        return new Constraint(text, ranges);
    }
}
