package io.currents.source.oci;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.currents.source.helm.ChartVersions;
import org.semver4j.Semver;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Picks a tag from a registry's tag list by a semver range, as Flux's OCIRepository {@code ref.semver} and
 * {@code ref.semverFilter} (an RE2 expression matched anywhere in the tag) and Helm's OCI version ranges do.
 */
public final class OciTags {

    private OciTags() {
    }

    /**
     * The tag with the highest version that satisfies {@code range} among the tags {@code filter} admits (all when
     * null), or empty when none does.
     *
     * @throws IllegalArgumentException when the range or the filter cannot be parsed
     */
    public static Optional<String> highest(Collection<String> tags, String range, String filter) {
        ChartVersions.Constraint constraint = ChartVersions.constraint(range);
        Pattern pattern = null;
        if (filter != null && !filter.isBlank()) {
            try {
                pattern = Pattern.compile(filter);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid semverFilter '" + filter + "': " + e.getMessage());
            }
        }
        Pattern admitted = pattern;
        record Candidate(String tag, Semver version) {
        }
        return tags.stream()
                .filter(t -> admitted == null || admitted.matcher(t).find())
                .flatMap(t -> ChartVersions.parse(t.replace('_', '+')).map(v -> new Candidate(t, v)).stream())
                .filter(c -> constraint.matches(c.version()))
                .max(Comparator.comparing(Candidate::version))
                .map(Candidate::tag);
    }
}
