package io.currents.sourcewatcher.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Glob patterns as Flux's source-watcher evaluates them: Go's {@code path.Match} for the patterns of
 * copy operations ({@code *} and {@code ?} stay within one path segment, {@code [..]} classes, {@code \}
 * escapes; {@code **} is just {@code *}), and doublestar's syntax for exclude patterns and the Extract
 * strategy ({@code **} as a whole segment spans any number of directories, {@code {a,b}} alternatives).
 * Matching is linear in the name per pattern token (no backtracking blow-up on hostile patterns).
 */
public final class Glob {

    /** Alternatives of {@code {a,b}} patterns are expanded up to this many patterns. */
    private static final int MAX_EXPANSIONS = 1024;

    /** A malformed pattern; the message says what is wrong, as Go's {@code syntax error in pattern}. */
    public static final class BadPatternException extends IllegalArgumentException {
        BadPatternException(String pattern) {
            super("syntax error in pattern '" + pattern + "'");
        }
    }

    private Glob() {
    }

    /** Whether the path contains glob metacharacters ({@code * ? [ ]}), as source-watcher decides what a glob is. */
    public static boolean hasMeta(String path) {
        return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == ']');
    }

    // --- Go's path.Match ---

    /** Go's {@code path.Match}: the whole name against the pattern, {@code *} never crossing {@code /}. */
    public static boolean matchSegments(String pattern, String name) {
        String[] p = pattern.split("/", -1);
        String[] n = name.split("/", -1);
        if (p.length != n.length) {
            validate(pattern);
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!Segment.parse(p[i], pattern, false).matches(n[i])) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link BadPatternException} when Go's {@code path.Match} would refuse the pattern. */
    public static void validate(String pattern) {
        for (String part : pattern.split("/", -1)) {
            Segment.parse(part, pattern, false);
        }
    }

    /**
     * Go's {@code fs.Glob} over a directory: the existing entries (files or directories) whose path relative to
     * {@code root} matches, in the order Go returns them (sorted within each directory).
     */
    public static List<String> glob(Path root, String pattern) throws IOException {
        validate(pattern);
        List<String> current = List.of("");
        String[] segments = pattern.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            List<String> next = new ArrayList<>();
            for (String dir : current) {
                Path base = dir.isEmpty() ? root : root.resolve(dir);
                if (!hasMeta(segment)) {
                    Path child = base.resolve(segment);
                    if (segment.isEmpty() || !Files.exists(child) || (!last && !Files.isDirectory(child))) {
                        continue;
                    }
                    next.add(join(dir, segment));
                    continue;
                }
                if (!Files.isDirectory(base)) {
                    continue;
                }
                Segment matcher = Segment.parse(segment, pattern, false);
                for (String child : sortedNames(base)) {
                    if (matcher.matches(child) && (last || Files.isDirectory(base.resolve(child)))) {
                        next.add(join(dir, child));
                    }
                }
            }
            current = next;
        }
        return current;
    }

    // --- doublestar ---

    /** doublestar's {@code Match}: {@code **} segments span directories, {@code {a,b}} alternatives, {@code [!..]} classes. */
    public static boolean matchDoublestar(String pattern, String path) {
        for (String alternative : expandBraces(pattern)) {
            if (matchExpanded(alternative, path)) {
                return true;
            }
        }
        return false;
    }

    /** Throws {@link BadPatternException} when doublestar would refuse the pattern. */
    public static void validateDoublestar(String pattern) {
        for (String alternative : expandBraces(pattern)) {
            for (String part : alternative.split("/", -1)) {
                if (!part.equals("**")) {
                    Segment.parse(part, pattern, true);
                }
            }
        }
    }

    /**
     * doublestar's {@code Glob}: every file and directory under {@code root} (symlinked directories not followed)
     * whose relative path matches, sorted.
     */
    public static List<String> globDoublestar(Path root, String pattern) throws IOException {
        validateDoublestar(pattern);
        List<String> matches = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!rel.isEmpty() && matchDoublestar(pattern, rel)) {
                    matches.add(rel);
                }
            }
        }
        matches.sort(null);
        return matches;
    }

    private static boolean matchExpanded(String pattern, String path) {
        String[] p = pattern.split("/", -1);
        String[] n = path.split("/", -1);
        Segment[] segments = new Segment[p.length];
        for (int i = 0; i < p.length; i++) {
            segments[i] = p[i].equals("**") ? null : Segment.parse(p[i], pattern, true);
        }
        // memo[i][j]: 0 unknown, 1 match, 2 no match — keeps several ** from going exponential
        byte[][] memo = new byte[p.length + 1][n.length + 1];
        return match(segments, 0, n, 0, memo);
    }

    private static boolean match(Segment[] p, int i, String[] n, int j, byte[][] memo) {
        if (memo[i][j] != 0) {
            return memo[i][j] == 1;
        }
        boolean result;
        if (i == p.length) {
            result = j == n.length;
        } else if (p[i] == null) {
            // ** matches zero or more whole segments
            result = false;
            for (int k = j; k <= n.length && !result; k++) {
                result = match(p, i + 1, n, k, memo);
            }
        } else {
            result = j < n.length && p[i].matches(n[j]) && match(p, i + 1, n, j + 1, memo);
        }
        memo[i][j] = (byte) (result ? 1 : 2);
        return result;
    }

    /** {@code a{b,c}d} to {@code abd, acd}; nested braces and escapes respected; bounded in count. */
    static List<String> expandBraces(String pattern) {
        int open = -1;
        int depth = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                if (depth++ == 0) {
                    open = i;
                }
            } else if (c == '}' && depth > 0 && --depth == 0) {
                List<String> options = splitTopLevel(pattern.substring(open + 1, i));
                String prefix = pattern.substring(0, open);
                List<String> suffixes = expandBraces(pattern.substring(i + 1));
                List<String> out = new ArrayList<>();
                for (String option : options) {
                    for (String expandedOption : expandBraces(option)) {
                        for (String suffix : suffixes) {
                            out.add(prefix + expandedOption + suffix);
                            if (out.size() > MAX_EXPANSIONS) {
                                throw new BadPatternException(pattern);
                            }
                        }
                    }
                }
                return out;
            }
        }
        if (depth > 0) {
            throw new BadPatternException(pattern);
        }
        return List.of(pattern);
    }

    private static List<String> splitTopLevel(String body) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(body.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(body.substring(start));
        return parts;
    }

    private static List<String> sortedNames(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /** One path segment of a pattern, compiled to tokens. */
    private record Segment(List<Token> tokens) {

        private sealed interface Token permits Star, Any, Literal, CharClass {
        }

        private record Star() implements Token {
        }

        private record Any() implements Token {
        }

        private record Literal(int codePoint) implements Token {
        }

        private record CharClass(boolean negated, int[] lows, int[] highs) implements Token {
            boolean contains(int c) {
                boolean in = false;
                for (int i = 0; i < lows.length && !in; i++) {
                    in = c >= lows[i] && c <= highs[i];
                }
                return in != negated;
            }
        }

        /** @param bang whether {@code [!..]} negates, as in doublestar (Go's path.Match knows only {@code [^..]}) */
        static Segment parse(String segment, String pattern, boolean bang) {
            List<Token> tokens = new ArrayList<>();
            int[] cps = segment.codePoints().toArray();
            for (int i = 0; i < cps.length; i++) {
                int c = cps[i];
                if (c == '*') {
                    if (tokens.isEmpty() || !(tokens.getLast() instanceof Star)) {
                        tokens.add(new Star());
                    }
                } else if (c == '?') {
                    tokens.add(new Any());
                } else if (c == '\\') {
                    if (++i >= cps.length) {
                        throw new BadPatternException(pattern);
                    }
                    tokens.add(new Literal(cps[i]));
                } else if (c == '[') {
                    i = parseClass(cps, i + 1, tokens, pattern, bang);
                } else {
                    tokens.add(new Literal(c));
                }
            }
            return new Segment(tokens);
        }

        /** Parses a class after '['; returns the index of its closing ']'. */
        private static int parseClass(int[] cps, int i, List<Token> tokens, String pattern, boolean bang) {
            boolean negated = false;
            if (i < cps.length && (cps[i] == '^' || (bang && cps[i] == '!'))) {
                negated = true;
                i++;
            }
            List<int[]> ranges = new ArrayList<>();
            while (true) {
                if (i < cps.length && cps[i] == ']' && !ranges.isEmpty()) {
                    break;
                }
                int lo = rangeChar(cps, i, pattern);
                i += cps[i] == '\\' ? 2 : 1;
                int hi = lo;
                if (i < cps.length && cps[i] == '-') {
                    hi = rangeChar(cps, ++i, pattern);
                    i += cps[i] == '\\' ? 2 : 1;
                    if (hi < lo) {
                        throw new BadPatternException(pattern);
                    }
                }
                ranges.add(new int[] {lo, hi});
            }
            int[] lows = ranges.stream().mapToInt(r -> r[0]).toArray();
            int[] highs = ranges.stream().mapToInt(r -> r[1]).toArray();
            tokens.add(new CharClass(negated, lows, highs));
            return i;
        }

        /** A class character as Go's getEsc reads it: an unescaped '-' or ']' here, or nothing, is a syntax error. */
        private static int rangeChar(int[] cps, int i, String pattern) {
            if (i >= cps.length || cps[i] == '-' || cps[i] == ']') {
                throw new BadPatternException(pattern);
            }
            if (cps[i] == '\\') {
                if (i + 1 >= cps.length) {
                    throw new BadPatternException(pattern);
                }
                return cps[i + 1];
            }
            return cps[i];
        }

        /** Wildcard matching with one backtrack point per star: O(name × tokens), never exponential. */
        boolean matches(String name) {
            int[] n = name.codePoints().toArray();
            int i = 0;
            int t = 0;
            int starT = -1;
            int starI = 0;
            while (i < n.length) {
                if (t < tokens.size() && !(tokens.get(t) instanceof Star) && matchesOne(tokens.get(t), n[i])) {
                    t++;
                    i++;
                } else if (t < tokens.size() && tokens.get(t) instanceof Star) {
                    starT = t++;
                    starI = i;
                } else if (starT >= 0) {
                    t = starT + 1;
                    i = ++starI;
                } else {
                    return false;
                }
            }
            while (t < tokens.size() && tokens.get(t) instanceof Star) {
                t++;
            }
            return t == tokens.size();
        }

        private static boolean matchesOne(Token token, int c) {
            return switch (token) {
                case Any a -> c != '/';
                case Literal l -> l.codePoint() == c;
                case CharClass k -> c != '/' && k.contains(c);
                case Star s -> true;
            };
        }
    }
}
