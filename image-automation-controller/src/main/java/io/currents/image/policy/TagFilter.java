package io.currents.image.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Flux's {@code filterTags}: keep the tags the pattern matches (anywhere, like Go's MatchString) and,
 * with {@code extract}, compare the tag rewritten by the pattern (Go's ReplaceAllString: {@code $1},
 * {@code $name}, {@code ${name}}, {@code $$}) instead of the tag itself.
 */
public final class TagFilter {

    private static final Pattern GO_NAMED_GROUP = Pattern.compile("\\(\\?P?<([A-Za-z_][A-Za-z0-9_]*)>");

    private final Pattern pattern;
    private final String extract;
    /** Go group name → the name Java knows it by (Java names allow neither '_' nor Go's (?P<…>) form). */
    private final Map<String, String> groupNames = new LinkedHashMap<>();

    public TagFilter(String pattern, String extract) throws PolicyException {
        try {
            this.pattern = pattern == null || pattern.isEmpty() ? null : Pattern.compile(javaSyntax(pattern));
        } catch (PatternSyntaxException e) {
            throw new PolicyException("invalid regular expression pattern '" + pattern + "': " + e.getDescription());
        }
        this.extract = extract == null || extract.isEmpty() ? null : extract;
        if (this.extract != null && this.pattern == null) {
            throw new PolicyException("filterTags.extract needs filterTags.pattern");
        }
    }

    /** Rewrites Go's named groups {@code (?P<name>…)} / {@code (?<name>…)} into Java ones, remembering the names. */
    private String javaSyntax(String goPattern) {
        Matcher m = GO_NAMED_GROUP.matcher(goPattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            // a backslash before "(" escapes it: not a group
            int backslashes = 0;
            for (int i = m.start() - 1; i >= 0 && goPattern.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String javaName = "g" + groupNames.size() + "x";
            groupNames.put(m.group(1), javaName);
            m.appendReplacement(out, Matcher.quoteReplacement("(?<" + javaName + ">"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Each kept tag with the value to compare, in the input order. */
    public Map<String, String> apply(Iterable<String> tags) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String tag : tags) {
            if (pattern == null) {
                kept.put(tag, tag);
                continue;
            }
            Matcher m = pattern.matcher(tag);
            if (!m.find()) {
                continue;
            }
            kept.put(tag, extract == null ? tag : replaceAll(tag));
        }
        return kept;
    }

    private String replaceAll(String tag) {
        Matcher m = pattern.matcher(tag);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(tag, last, m.start());
            expand(m, out);
            last = m.end();
        }
        out.append(tag, last, tag.length());
        return out.toString();
    }

    /** Go's Regexp.Expand: {@code $name} takes the longest run of letters, digits and underscores. */
    private void expand(Matcher m, StringBuilder out) {
        String t = extract;
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c != '$' || i + 1 >= t.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = t.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (n == '{') {
                int close = t.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = t.substring(i + 2, close);
                end = close + 1;
            } else {
                int j = i + 1;
                while (j < t.length() && (Character.isLetterOrDigit(t.charAt(j)) || t.charAt(j) == '_')) {
                    j++;
                }
                if (j == i + 1) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = t.substring(i + 1, j);
                end = j;
            }
            out.append(group(m, groupNames.getOrDefault(name, name)));
            i = end;
        }
    }

    private static String group(Matcher m, String name) {
        try {
            String v;
            if (name.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(name);
                v = index <= m.groupCount() ? m.group(index) : null;
            } else {
                v = m.group(name);
            }
            return v == null ? "" : v;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
