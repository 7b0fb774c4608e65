package io.currents.runtime.artifact;

import io.currents.api.regex.GoRegex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Decides which files of a source leave it for the artifact, with Flux's {@code .sourceignore}
 * rules: gitignore syntax, evaluated last-match-wins over, in order, Flux's default exclusions
 * (VCS files, images and archives, CI configuration), every {@code .sourceignore} file in the
 * tree (its patterns relative to its own directory, parents before children), and finally the
 * object's {@code spec.ignore} — so {@code spec.ignore} can re-include with {@code !pattern}.
 * As in Flux, a pattern that matches a directory also matches everything below it, and a later
 * negation can still bring back a single file under an excluded directory.
 */
public final class SourceIgnore {

    public static final String IGNORE_FILE = ".sourceignore";

    /** Version-control files Flux always leaves out of Git artifacts. */
    public static final List<String> VCS_PATTERNS = List.of(".git/", ".gitignore", ".gitmodules", ".gitattributes");

    /** The rest of Flux's default exclusions: images and archives, CI configuration, tool configuration. */
    public static final List<String> DEFAULT_PATTERNS = List.of(
            "*.jpg", "*.jpeg", "*.gif", "*.png", "*.wmv", "*.flv", "*.tar.gz", "*.zip",
            ".github/", ".circleci/", ".travis.yml", ".gitlab-ci.yml", "appveyor.yml", ".drone.yml",
            "cloudbuild.yaml", "codeship-services.yml", "codeship-steps.yml",
            "**/.goreleaser.yml", "**/.sops.yaml", "**/.flux.yaml");

    private final List<Rule> rules;

    private SourceIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The rules for a GitRepository or OCIRepository whose files are in {@code root}: defaults,
     * the tree's {@code .sourceignore} files, then {@code specIgnore} (may be null).
     */
    public static SourceIgnore load(Path root, String specIgnore) throws IOException {
        return load(root, specIgnore, true);
    }

    /** As {@link #load(Path, String)}; without {@code defaults} only the tree's files and {@code specIgnore} apply. */
    public static SourceIgnore load(Path root, String specIgnore, boolean defaults) throws IOException {
        List<Rule> rules = new ArrayList<>();
        if (defaults) {
            VCS_PATTERNS.forEach(p -> rules.add(Rule.parse(p, "")));
            DEFAULT_PATTERNS.forEach(p -> rules.add(Rule.parse(p, "")));
        }
        collectIgnoreFiles(root, "", rules);
        if (specIgnore != null) {
            rules.addAll(parse(specIgnore, ""));
        }
        return new SourceIgnore(rules);
    }

    /** Defaults plus the given patterns, as if they were {@code spec.ignore}, without reading any tree. */
    public static SourceIgnore withDefaults(String patterns) {
        List<Rule> rules = new ArrayList<>();
        VCS_PATTERNS.forEach(p -> rules.add(Rule.parse(p, "")));
        DEFAULT_PATTERNS.forEach(p -> rules.add(Rule.parse(p, "")));
        if (patterns != null) {
            rules.addAll(parse(patterns, ""));
        }
        return new SourceIgnore(rules);
    }

    /** Only the given gitignore-style patterns (e.g. a chart's {@code .helmignore}), no defaults. */
    public static SourceIgnore ofPatterns(String patterns) {
        return new SourceIgnore(patterns == null ? List.of() : parse(patterns, ""));
    }

    /** Nothing is ignored. */
    public static SourceIgnore none() {
        return new SourceIgnore(List.of());
    }

    /**
     * Whether the file or directory at {@code relativePath} ({@code /}-separated, relative to the
     * source root) stays out of the artifact.
     */
    public boolean isIgnored(String relativePath, boolean directory) {
        String[] path = relativePath.split("/");
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule rule = rules.get(i);
            if (rule.matches(path, directory)) {
                return !rule.negated();
            }
        }
        return false;
    }

    private static void collectIgnoreFiles(Path dir, String domain, List<Rule> rules) throws IOException {
        Path file = dir.resolve(IGNORE_FILE);
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            rules.addAll(parse(Files.readString(file, StandardCharsets.UTF_8), domain));
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().equals(".git"))
                    .sorted()
                    .toList();
        }
        for (Path child : children) {
            collectIgnoreFiles(child, domain + child.getFileName() + "/", rules);
        }
    }

    private static List<Rule> parse(String text, String domain) {
        List<Rule> rules = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            rules.add(Rule.parse(line, domain));
        }
        return rules;
    }

    /**
     * One pattern, scoped to the directory {@code domain} ({@code ""} or {@code "a/b/"}) it was
     * declared in. A pattern without a slash matches a name at any depth; with a slash it is
     * anchored to the domain and matches a path prefix; {@code **} spans directories.
     */
    private record Rule(String[] domain, GoRegex[] segments, boolean glob, boolean dirOnly,
                        boolean negated, boolean valid, boolean[] traverse) {

        static Rule parse(String line, String domain) {
            String p = line;
            boolean negated = p.startsWith("!");
            if (negated) {
                p = p.substring(1);
            }
            if (!p.endsWith("\\ ")) {
                p = p.replaceAll(" +$", "");
            }
            boolean dirOnly = p.endsWith("/");
            if (dirOnly) {
                p = p.substring(0, p.length() - 1);
            }
            boolean glob = p.contains("/");
            String[] parts = p.split("/", -1);
            GoRegex[] segments = new GoRegex[parts.length];
            boolean[] traverse = new boolean[parts.length];
            boolean valid = true;
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].equals("**")) {
                    traverse[i] = true;
                } else if (parts[i].contains("**") && glob) {
                    valid = false; // like Flux's matcher: "a**b" inside a path pattern never matches
                } else {
                    segments[i] = segment(parts[i]);
                    valid &= segments[i] != null || parts[i].isEmpty();
                }
            }
            String[] domainParts = domain.isEmpty() ? new String[0] : domain.substring(0, domain.length() - 1).split("/");
            return new Rule(domainParts, segments, glob, dirOnly, negated, valid, traverse);
        }

        boolean matches(String[] fullPath, boolean directory) {
            if (!valid || fullPath.length <= domain.length) {
                return false;
            }
            for (int i = 0; i < domain.length; i++) {
                if (!domain[i].equals(fullPath[i])) {
                    return false;
                }
            }
            String[] path = Arrays.copyOfRange(fullPath, domain.length, fullPath.length);
            return glob ? globMatch(path, directory) : nameMatch(path, directory);
        }

        /** A slash-free pattern: any component of the path (so a matched directory takes its contents along). */
        private boolean nameMatch(String[] path, boolean directory) {
            GoRegex pattern = segments[0];
            if (pattern == null) {
                return false;
            }
            for (int i = 0; i < path.length; i++) {
                if (pattern.matches(path[i])) {
                    return !(dirOnly && !directory && i == path.length - 1);
                }
            }
            return false;
        }

        /** A pattern with slashes: matches a prefix of the path, segment by segment, {@code **} spanning any number. */
        private boolean globMatch(String[] path, boolean directory) {
            int pos = 0;
            boolean matched = false;
            boolean canTraverse = false;
            for (int i = 0; i < segments.length; i++) {
                if (!traverse[i] && segments[i] == null) {
                    // an empty segment (leading slash) anchors the pattern
                    canTraverse = false;
                    continue;
                }
                if (traverse[i]) {
                    if (i == segments.length - 1) {
                        break;
                    }
                    canTraverse = true;
                    continue;
                }
                if (pos >= path.length) {
                    return false;
                }
                if (canTraverse) {
                    canTraverse = false;
                    while (pos < path.length) {
                        String name = path[pos++];
                        if (segments[i].matches(name)) {
                            matched = true;
                            break;
                        } else if (pos == path.length) {
                            matched = false;
                        }
                    }
                } else {
                    if (!segments[i].matches(path[pos])) {
                        return false;
                    }
                    matched = true;
                    pos++;
                }
            }
            if (matched && dirOnly && !directory && pos == path.length) {
                matched = false;
            }
            return matched;
        }

        /** Go's {@code filepath.Match} syntax for one segment as a regex: {@code * ? [a-z] [^a-z] \x}; null if malformed. */
        private static GoRegex segment(String glob) {
            if (glob.isEmpty()) {
                return null;
            }
            StringBuilder regex = new StringBuilder();
            int i = 0;
            while (i < glob.length()) {
                char c = glob.charAt(i);
                switch (c) {
                    case '*' -> regex.append("[^/]*");
                    case '?' -> regex.append("[^/]");
                    case '\\' -> {
                        if (++i >= glob.length()) {
                            return null;
                        }
                        regex.append(GoRegex.quote(String.valueOf(glob.charAt(i))));
                    }
                    case '[' -> {
                        int close = glob.indexOf(']', i + 2);
                        if (close < 0) {
                            return null;
                        }
                        String body = glob.substring(i + 1, close);
                        boolean negate = body.startsWith("^");
                        if (negate) {
                            body = body.substring(1);
                        }
                        regex.append(negate ? "[^" : "[");
                        for (char b : body.toCharArray()) {
                            if (b == '-' || Character.isLetterOrDigit(b)) {
                                regex.append(b);
                            } else {
                                regex.append('\\').append(b);
                            }
                        }
                        regex.append(']');
                        i = close;
                    }
                    default -> regex.append(GoRegex.quote(String.valueOf(c)));
                }
                i++;
            }
            try {
                // RE2: a pattern of many stars cannot backtrack for minutes on a long file name
                return GoRegex.compileWhole("(?s:" + regex + ")");
            } catch (GoRegex.InvalidRegexException e) {
                return null;
            }
        }
    }
}
