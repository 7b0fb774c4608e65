package io.currents.api.regex;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A regular expression in Go's RE2 syntax, as Flux's API fields and kustomize take them, matched by RE2/J in time
 * linear in the input: no pattern from a tenant's object (an Alert's inclusionList, an ImagePolicy's filterTags, a
 * kustomize target selector, ...) can stall a controller, and what RE2 rejects (backreferences, lookaround,
 * possessive quantifiers) is refused with the reason.
 */
public final class GoRegex {

    /** A pattern RE2 does not accept; the message names the pattern and the reason. */
    public static final class InvalidRegexException extends IllegalArgumentException {
        private final String reason;

        InvalidRegexException(String expression, String reason) {
            super("invalid regular expression '" + expression + "': " + reason);
            this.reason = reason;
        }

        /** The parser's reason alone, without the pattern. */
        public String reason() {
            return reason;
        }
    }

    private final String expression;
    private final Pattern pattern;

    private GoRegex(String expression, Pattern pattern) {
        this.expression = expression;
        this.pattern = pattern;
    }

    /** Compiles {@code expression}; it matches anywhere in the input, like Go's MatchString. */
    public static GoRegex compile(String expression) {
        return new GoRegex(expression, parse(expression, expression));
    }

    /** Compiles {@code expression} anchored at both ends, {@code ^(?:expression)$}, as kustomize's selectors use it. */
    public static GoRegex compileWhole(String expression) {
        return new GoRegex(expression, parse("^(?:" + expression + ")$", expression));
    }

    private static Pattern parse(String syntax, String expression) {
        try {
            return Pattern.compile(namedGroups(syntax));
        } catch (PatternSyntaxException e) {
            throw new InvalidRegexException(expression, e.getDescription());
        }
    }

    /** Go accepts {@code (?<name>...)} as well as {@code (?P<name>...)}; RE2/J only the latter. */
    private static String namedGroups(String syntax) {
        if (!syntax.contains("(?<")) {
            return syntax;
        }
        StringBuilder out = new StringBuilder(syntax.length() + 8);
        boolean inClass = false;
        for (int i = 0; i < syntax.length(); i++) {
            char c = syntax.charAt(i);
            if (c == '\\' && i + 1 < syntax.length()) {
                out.append(c).append(syntax.charAt(++i));
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            }
            if (!inClass && syntax.startsWith("(?<", i) && i + 3 < syntax.length() && syntax.charAt(i + 3) != '='
                    && syntax.charAt(i + 3) != '!') {
                out.append("(?P<");
                i += 2;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A literal text as a pattern that matches exactly it. */
    public static String quote(String literal) {
        return Pattern.quote(literal);
    }

    public String expression() {
        return expression;
    }

    /** Whether the pattern matches anywhere in {@code input} (Go's MatchString for an unanchored pattern). */
    public boolean find(CharSequence input) {
        return pattern.matcher(input).find();
    }

    /** Whether the pattern matches the whole of {@code input}. */
    public boolean matches(CharSequence input) {
        return pattern.matcher(input).matches();
    }

    /**
     * Go's ReplaceAllString: every match replaced by {@code template} expanded as Go's Regexp.Expand does ({@code $1},
     * {@code $name}, {@code ${name}}, {@code $$}; an unknown or unmatched group expands to nothing).
     */
    public String replaceAll(String input, String template) {
        Matcher m = pattern.matcher(input);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(input, last, m.start());
            expand(m, template, out);
            last = m.end();
        }
        out.append(input, last, input.length());
        return out.toString();
    }

    private static void expand(Matcher m, String t, StringBuilder out) {
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
            out.append(group(m, name));
            i = end;
        }
    }

    private static String group(Matcher m, String name) {
        try {
            String v;
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
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

    @Override
    public String toString() {
        return expression;
    }
}
