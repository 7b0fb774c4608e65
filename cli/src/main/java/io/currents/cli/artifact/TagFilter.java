package io.currents.cli.artifact;

import org.semver4j.Semver;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** {@code list artifacts --semver/--filter-regex}: the tags a range and an expression admit, highest version first. */
final class TagFilter {

    private TagFilter() {
    }

    static List<String> select(List<String> tags, String range, String regex) {
        Pattern pattern = regex == null ? null : Pattern.compile(regex);
        List<String> admitted = tags.stream().filter(t -> pattern == null || pattern.matcher(t).find()).toList();
        if (range == null || range.isBlank()) {
            return admitted.stream().sorted().toList();
        }
        record Tagged(String tag, Semver version) {
        }
        return admitted.stream()
                .map(t -> new Tagged(t, Semver.parse(t.replaceFirst("^v", "").replace('_', '+'))))
                .filter(t -> t.version() != null && t.version().satisfies(range))
                .sorted(Comparator.comparing(Tagged::version).reversed())
                .map(Tagged::tag)
                .toList();
    }
}
