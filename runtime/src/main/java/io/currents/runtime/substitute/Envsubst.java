package io.currents.runtime.substitute;

import io.currents.api.regex.GoRegex;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The bash-like {@code ${var}} expansion language of Flux post-build substitution (fluxcd/pkg envsubst,
 * a fork of drone/envsubst): defaults, casing, trimming, substrings, replacement and {@code $$} escapes.
 * A bare {@code $var} is left alone on purpose: Flux users rely on it for shell scripts in ConfigMaps.
 */
public final class Envsubst {

    private final String source;
    private final Function<String, Optional<String>> lookup;
    private int pos;

    private Envsubst(String source, Function<String, Optional<String>> lookup) {
        this.source = source;
        this.lookup = lookup;
    }

    /**
     * Expands every {@code ${...}} expression of {@code text}. The lookup returns empty for a variable that
     * is not set; such a variable is an error unless the expression supplies a default (strict mode). For
     * lenient behaviour pass a lookup that never returns empty.
     */
    public static String eval(String text, Function<String, Optional<String>> lookup) {
        Envsubst parser = new Envsubst(text, lookup);
        return parser.parseText();
    }

    private String parseText() {
        StringBuilder out = new StringBuilder();
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (c == '$' && peek(1) == '$') {
                out.append('$');
                pos += 2;
            } else if (c == '$' && peek(1) == '{') {
                pos += 2;
                out.append(parseExpression());
            } else {
                out.append(c);
                pos++;
            }
        }
        return out.toString();
    }

    private char peek(int offset) {
        int i = pos + offset;
        return i < source.length() ? source.charAt(i) : 0;
    }

    /** Parses after {@code ${} up to and including the closing brace, returning the expansion. */
    private String parseExpression() {
        if (peek(0) == '#') {
            pos++;
            String name = identifier();
            expectClosingBrace();
            return String.valueOf(value(name, "#").length());
        }
        String name = identifier();
        char next = peek(0);
        switch (next) {
            case '}' -> {
                pos++;
                return value(name, "");
            }
            case ':' -> {
                char op = peek(1);
                if (op == '=' || op == '-' || op == '?' || op == '+') {
                    pos += 2;
                    return withDefault(name, ":" + op);
                }
                pos++;
                return substring(name);
            }
            case '=' -> {
                pos++;
                return withDefault(name, "=");
            }
            case ',', '^' -> {
                String op = operator(2, next);
                expectClosingBrace();
                String v = value(name, op);
                return casing(v, op);
            }
            case '/' -> {
                return replace(name);
            }
            case '#', '%' -> {
                String op = operator(2, next);
                String pattern = argument("}");
                expectClosingBrace();
                return trim(value(name, op), op, pattern);
            }
            default -> throw new SubstitutionException("missing closing brace");
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_') {
                pos++;
            } else {
                break;
            }
        }
        if (pos == start) {
            throw new SubstitutionException("unable to parse variable name");
        }
        return source.substring(start, pos);
    }

    private String operator(int max, char c) {
        int count = 0;
        while (count < max && peek(0) == c) {
            pos++;
            count++;
        }
        return String.valueOf(c).repeat(count);
    }

    private void expectClosingBrace() {
        if (peek(0) != '}') {
            throw new SubstitutionException("bad substitution");
        }
        pos++;
    }

    /**
     * Reads an argument up to (not including) one of the stop characters, expanding nested {@code ${...}}
     * and the escapes {@code $$}, {@code \\} and {@code \/}.
     */
    private String argument(String stops) {
        StringBuilder out = new StringBuilder();
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (stops.indexOf(c) >= 0) {
                return out.toString();
            }
            if (c == '$' && peek(1) == '$') {
                out.append('$');
                pos += 2;
            } else if (c == '\\' && (peek(1) == '\\' || peek(1) == '/')) {
                out.append(peek(1));
                pos += 2;
            } else if (c == '$' && peek(1) == '{') {
                pos += 2;
                out.append(parseExpression());
            } else {
                out.append(c);
                pos++;
            }
        }
        throw new SubstitutionException("missing closing brace");
    }

    private String withDefault(String name, String op) {
        String fallback = argument("}");
        expectClosingBrace();
        // Default operators exist to handle an unset variable, so strict mode does not apply to them.
        String v = lookup.apply(name).orElse("");
        // Flux's envsubst treats every default operator alike: the argument replaces an empty value.
        return v.isEmpty() ? fallback : v;
    }

    private String substring(String name) {
        String offset = argument(":}");
        String length = null;
        if (peek(0) == ':') {
            pos++;
            length = argument("}");
        }
        expectClosingBrace();
        String v = value(name, ":");
        int start;
        try {
            start = Integer.parseInt(offset.trim());
        } catch (NumberFormatException e) {
            return v;
        }
        if (start < 0) {
            start = Math.max(0, v.length() + start);
        }
        if (start >= v.length()) {
            return "";
        }
        if (length == null) {
            return v.substring(start);
        }
        try {
            int len = Integer.parseInt(length.trim());
            return v.substring(start, Math.min(v.length(), start + Math.max(0, len)));
        } catch (NumberFormatException e) {
            return v.substring(start);
        }
    }

    private String replace(String name) {
        pos++; // the first '/'
        String op = "/";
        if (peek(0) == '/' || peek(0) == '#' || peek(0) == '%') {
            op += peek(0);
            pos++;
        }
        String pattern = argument("/}");
        String replacement = "";
        if (peek(0) == '/') {
            pos++;
            replacement = argument("}");
        }
        expectClosingBrace();
        String v = value(name, op);
        if (pattern.isEmpty()) {
            return v;
        }
        return switch (op) {
            case "//" -> v.replace(pattern, replacement);
            case "/#" -> v.startsWith(pattern) ? replacement + v.substring(pattern.length()) : v;
            case "/%" -> v.endsWith(pattern) ? v.substring(0, v.length() - pattern.length()) + replacement : v;
            default -> {
                int i = v.indexOf(pattern);
                yield i < 0 ? v : v.substring(0, i) + replacement + v.substring(i + pattern.length());
            }
        };
    }

    private static String casing(String v, String op) {
        if (v.isEmpty()) {
            return v;
        }
        return switch (op) {
            case "," -> v.substring(0, 1).toLowerCase(Locale.ROOT) + v.substring(1);
            case ",," -> v.toLowerCase(Locale.ROOT);
            case "^" -> v.substring(0, 1).toUpperCase(Locale.ROOT) + v.substring(1);
            default -> v.toUpperCase(Locale.ROOT);
        };
    }

    private static String trim(String v, String op, String glob) {
        GoRegex pattern = globPattern(glob);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i <= v.length(); i++) {
            cuts.add(i);
        }
        boolean prefix = op.startsWith("#");
        boolean longest = op.length() == 2;
        Integer best = null;
        for (int cut : cuts) {
            String part = prefix ? v.substring(0, cut) : v.substring(v.length() - cut);
            if (!part.isEmpty() && pattern.matches(part)) {
                if (best == null || longest) {
                    best = cut;
                }
                if (!longest) {
                    break;
                }
            }
        }
        if (best == null) {
            return v;
        }
        return prefix ? v.substring(best) : v.substring(0, v.length() - best);
    }

    private static GoRegex globPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        regex.append("\\[");
                    } else {
                        regex.append('[').append(glob, i + 1, end).append(']');
                        i = end;
                    }
                }
                default -> regex.append(GoRegex.quote(String.valueOf(c)));
            }
        }
        return GoRegex.compileWhole("(?s:" + regex + ")");
    }

    private String value(String name, @SuppressWarnings("unused") String op) {
        Optional<String> v = lookup.apply(name);
        if (v.isEmpty()) {
            throw new SubstitutionException("variable not set (strict mode): \"" + name + "\"");
        }
        return v.get();
    }
}
