package io.currents.git;

import org.semver4j.Semver;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Picks the tag with the highest semantic version satisfying a range, the way Flux resolves
 * {@code ref.semver}: tags may carry a {@code v} prefix and may omit minor/patch ({@code v1.2});
 * ranges may use commas as in Masterminds' syntax ({@code >=1.0.0, <2.0.0}) as well as npm's.
 */
final class SemverTags {

    private static final Pattern PARTIAL = Pattern.compile("\\d+(\\.\\d+)?");

    private SemverTags() {
    }

    /** The best tag name, or empty when none satisfies the range. */
    static Optional<String> highest(String range, Collection<String> tagNames) throws GitException {
        String normalizedRange = range.trim().replaceAll("\\s*,\\s*", " ");
        validate(range, normalizedRange);
        return tagNames.stream()
                .map(tag -> new Candidate(tag, parse(tag)))
                .filter(c -> c.version() != null && c.version().satisfies(normalizedRange))
                // on equal versions (v1.0.0 and 1.0.0) the larger name wins, so the choice is stable
                .max(Comparator.comparing(Candidate::version).thenComparing(Candidate::tag))
                .map(Candidate::tag);
    }

    private record Candidate(String tag, Semver version) {
    }

    static Semver parse(String tag) {
        String text = tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
        if (PARTIAL.matcher(text).matches()) {
            text = text + (text.contains(".") ? ".0" : ".0.0");
        }
        return Semver.parse(text);
    }

    private static void validate(String original, String normalized) throws GitException {
        try {
            // semver4j accepts garbage ranges silently as "matches nothing"; a range that matches
            // neither 0.0.0 nor anything parseable is still allowed, so only syntax errors surface here
            Semver.ZERO.satisfies(normalized);
        } catch (RuntimeException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED,
                    "semver range '" + original + "' is invalid: " + e.getMessage());
        }
    }
}
