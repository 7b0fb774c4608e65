package io.currents.image.policy;

import io.currents.api.regex.GoRegex;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flux's {@code filterTags}: keep the tags the pattern matches (anywhere, like Go's MatchString) and,
 * with {@code extract}, compare the tag rewritten by the pattern (Go's ReplaceAllString: {@code $1},
 * {@code $name}, {@code ${name}}, {@code $$}) instead of the tag itself. The pattern is Go's RE2 syntax,
 * matched in linear time; what RE2 rejects is refused.
 */
public final class TagFilter {

    private final GoRegex pattern;
    private final String extract;

    public TagFilter(String pattern, String extract) throws PolicyException {
        try {
            this.pattern = pattern == null || pattern.isEmpty() ? null : GoRegex.compile(pattern);
        } catch (GoRegex.InvalidRegexException e) {
            throw new PolicyException("invalid regular expression pattern '" + pattern + "': " + e.reason());
        }
        this.extract = extract == null || extract.isEmpty() ? null : extract;
        if (this.extract != null && this.pattern == null) {
            throw new PolicyException("filterTags.extract needs filterTags.pattern");
        }
    }

    /** Each kept tag with the value to compare, in the input order. */
    public Map<String, String> apply(Iterable<String> tags) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String tag : tags) {
            if (pattern == null) {
                kept.put(tag, tag);
                continue;
            }
            if (!pattern.find(tag)) {
                continue;
            }
            kept.put(tag, extract == null ? tag : pattern.replaceAll(tag, extract));
        }
        return kept;
    }
}
