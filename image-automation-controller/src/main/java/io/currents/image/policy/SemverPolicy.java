package io.currents.image.policy;

import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flux's semver policy: the highest tag that is a version (read leniently, as Flux does:
 * {@code v1.2.3}, {@code 1.2}, {@code 1}) and satisfies the range ({@code >=1.0.0 <2.0.0},
 * {@code 1.2.x}, {@code ~1.2}, {@code ^1}, {@code 1 - 2}, {@code a || b}, comma as AND). Pre-release
 * versions only qualify when the range itself names a pre-release, as in Flux.
 */
public final class SemverPolicy implements TagPolicy {

    private static final Pattern VERSION = Pattern.compile(
            "^v?(0|[1-9][0-9]*)(?:\\.(0|[1-9][0-9]*))?(?:\\.(0|[1-9][0-9]*))?"
                    + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$");
    private static final Pattern RANGE_TOKEN = Pattern.compile("^[0-9xX*.vV<>=~^|,\\s+-A-Za-z]*$");

    private final RangesList range;
    private final boolean rangeHasPrerelease;

    public SemverPolicy(String range) throws PolicyException {
        if (range == null || range.isBlank()) {
            throw new PolicyException("semver range is empty: set spec.policy.semver.range, e.g. '>=1.0.0'");
        }
        String normalised = normalise(range);
        try {
            if (!RANGE_TOKEN.matcher(range).matches()) {
                throw new IllegalArgumentException();
            }
            this.range = RangesListFactory.create(normalised);
        } catch (RuntimeException e) {
            throw new PolicyException("invalid semver range '" + range + "'");
        }
        if (this.range.get().isEmpty()) {
            throw new PolicyException("invalid semver range '" + range + "'");
        }
        this.rangeHasPrerelease = Pattern.compile("\\d+\\.\\d+\\.\\d+-[0-9A-Za-z]").matcher(normalised).find();
    }

    /** Masterminds' syntax to semver4j's: comma means AND, operators may be followed by spaces. */
    static String normalise(String range) {
        String s = range.trim().replaceAll("\\s*,\\s*", " ");
        s = s.replaceAll("(>=|<=|>|<|=|~|\\^)\\s+", "$1");
        s = s.replaceAll("(?<![0-9A-Za-z])[vV](?=\\d)", "");
        return s;
    }

    /** A tag as a version, or null when it is not one. */
    static Semver parse(String tag) {
        Matcher m = VERSION.matcher(tag);
        if (!m.matches()) {
            return null;
        }
        StringBuilder v = new StringBuilder()
                .append(m.group(1)).append('.')
                .append(m.group(2) == null ? "0" : m.group(2)).append('.')
                .append(m.group(3) == null ? "0" : m.group(3));
        if (m.group(4) != null) {
            v.append('-').append(m.group(4));
        }
        if (m.group(5) != null) {
            v.append('+').append(m.group(5));
        }
        return Semver.parse(v.toString());
    }

    @Override
    public Optional<String> latest(List<String> values) {
        String best = null;
        Semver bestVersion = null;
        for (String tag : values) {
            Semver version = parse(tag);
            if (version == null) {
                continue;
            }
            if (!version.getPreRelease().isEmpty() && !rangeHasPrerelease) {
                continue;
            }
            if (!range.isSatisfiedBy(version)) {
                continue;
            }
            int cmp = bestVersion == null ? 1 : version.compareTo(bestVersion);
            // equal versions (v1.0.0 and 1.0.0): keep the lexically greater tag, so the pick is stable
            if (cmp > 0 || (cmp == 0 && AlphabeticalPolicy.compareUtf8(tag, best) > 0)) {
                best = tag;
                bestVersion = version;
            }
        }
        return Optional.ofNullable(best);
    }
}
