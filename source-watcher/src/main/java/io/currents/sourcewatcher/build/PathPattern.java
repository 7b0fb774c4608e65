package io.currents.sourcewatcher.build;

import io.currents.api.source.extensions.v1beta1.CopyOperation;
import io.currents.api.source.extensions.v1beta1.OutputArtifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code spec.pathPattern} ({@code @alias/apps/{app}/envs/{env}}): every directory of the source that matches
 * gives one copy of each artifact template, with {@code {capture}} placeholders filled in — lower-cased in
 * names and labels, as found in copy paths — as Flux's source-watcher expands it.
 */
public final class PathPattern {

    private static final Pattern CAPTURE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LABEL_KEY_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** One artifact to build: the template rendered for one matched directory, and the labels of its ExternalArtifact. */
    public record ArtifactRequest(OutputArtifact artifact, Map<String, String> labels) {
    }

    private PathPattern() {
    }

    /** The artifacts as written when there is no path pattern. */
    public static List<ArtifactRequest> withoutPattern(List<OutputArtifact> artifacts) {
        return artifacts.stream().map(a -> new ArtifactRequest(a, Map.of())).toList();
    }

    /**
     * Expands the templates over the directories of the pattern's source.
     *
     * @throws BuildException always terminal: the pattern, a captured directory name or a rendered name is invalid
     */
    public static List<ArtifactRequest> expand(String pathPattern, List<OutputArtifact> templates, Map<String, Path> sources)
            throws BuildException, IOException {
        int slash = pathPattern.indexOf('/');
        if (!pathPattern.startsWith("@") || slash < 0) {
            throw new BuildException("invalid pathPattern format: " + pathPattern);
        }
        String alias = pathPattern.substring(1, slash);
        String pattern = pathPattern.substring(slash + 1);
        Path root = sources.get(alias);
        if (root == null) {
            throw new BuildException("pathPattern \"" + pathPattern + "\": source alias " + alias + " not found in local sources");
        }
        List<String> names = captureNames(pathPattern, pattern);
        for (String name : names) {
            if (name.length() > 63 || !LABEL_KEY_NAME.matcher(name).matches()) {
                throw new BuildException("pathPattern \"" + pathPattern + "\": capture variable \"" + name
                        + "\" is not a valid Kubernetes label key");
            }
        }
        Pattern matcher = Pattern.compile(toRegex(pattern));

        List<String> dirs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> dirs.add(root.relativize(p).toString().replace('\\', '/')));
        }
        // depth first, children in name order, as Go's WalkDir visits them ("a/b" before "a-b")
        dirs.sort(java.util.Comparator.comparing(d -> d.replace('/', '\0')));

        List<ArtifactRequest> requests = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String dir : dirs) {
            Matcher m = matcher.matcher(dir);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> raw = new LinkedHashMap<>();
            Map<String, String> normalized = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                raw.put(names.get(i), m.group(i + 1));
                normalized.put(names.get(i), m.group(i + 1).toLowerCase(Locale.ROOT));
            }
            for (var e : normalized.entrySet()) {
                if (e.getValue().length() > 63 || !LABEL_VALUE.matcher(e.getValue()).matches()) {
                    throw new BuildException("pathPattern \"" + pathPattern + "\": captured value \"" + e.getValue()
                            + "\" for variable \"" + e.getKey() + "\" is not a valid Kubernetes label value");
                }
            }
            for (OutputArtifact template : templates) {
                OutputArtifact rendered;
                try {
                    rendered = render(template, normalized, raw);
                } catch (BuildException e) {
                    throw new BuildException("pathPattern \"" + pathPattern + "\": failed to render artifact " + template.getName()
                            + " for match " + dir + ": " + e.getMessage());
                }
                if (rendered.getName().length() > 253 || !DNS_SUBDOMAIN.matcher(rendered.getName()).matches()) {
                    throw new BuildException("pathPattern \"" + pathPattern + "\": rendered artifact name \"" + rendered.getName()
                            + "\" is not a valid Kubernetes object name");
                }
                String previous = seen.putIfAbsent(rendered.getName(), dir);
                if (previous != null) {
                    throw new BuildException("pathPattern \"" + pathPattern + "\": directories \"" + previous + "\" and \"" + dir
                            + "\" both resolve to artifact name \"" + rendered.getName() + "\"");
                }
                requests.add(new ArtifactRequest(rendered, normalized));
            }
        }
        return requests;
    }

    private static List<String> captureNames(String pathPattern, String pattern) throws BuildException {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '{') {
                int end = pattern.indexOf('}', i + 1);
                if (end < 0) {
                    throw new BuildException("pathPattern \"" + pathPattern + "\": invalid capture starting at offset " + i
                            + ": missing closing brace");
                }
                String name = pattern.substring(i + 1, end);
                if (name.isEmpty()) {
                    throw new BuildException("pathPattern \"" + pathPattern + "\": empty capture variable");
                }
                if (!CAPTURE_NAME.matcher(name).matches()) {
                    throw new BuildException("pathPattern \"" + pathPattern + "\": capture variable \"" + name
                            + "\" must be a valid capture name matching [A-Za-z_][A-Za-z0-9_]*");
                }
                if (!seen.add(name)) {
                    throw new BuildException("pathPattern \"" + pathPattern + "\": duplicate capture variable \"" + name + "\"");
                }
                names.add(name);
                i = end;
            } else if (c == '}') {
                throw new BuildException("pathPattern \"" + pathPattern + "\": invalid capture ending at offset " + i
                        + ": missing opening brace");
            }
        }
        return names;
    }

    /** The pattern as an anchored regex: literal text quoted, each capture one path segment. */
    private static String toRegex(String pattern) {
        StringBuilder regex = new StringBuilder("^");
        int literalStart = 0;
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '{') {
                if (i > literalStart) {
                    regex.append(Pattern.quote(pattern.substring(literalStart, i)));
                }
                regex.append("([^/]+)");
                i = pattern.indexOf('}', i);
                literalStart = i + 1;
            }
        }
        if (literalStart < pattern.length()) {
            regex.append(Pattern.quote(pattern.substring(literalStart)));
        }
        return regex.append('$').toString();
    }

    private static OutputArtifact render(OutputArtifact template, Map<String, String> normalized, Map<String, String> raw)
            throws BuildException {
        OutputArtifact out = new OutputArtifact();
        out.setName(fill(template.getName(), normalized));
        out.setRevision(template.getRevision());
        out.setOriginRevision(template.getOriginRevision());
        List<CopyOperation> copies = new ArrayList<>();
        for (CopyOperation op : template.getCopy()) {
            CopyOperation copy = new CopyOperation();
            copy.setFrom(fill(op.getFrom(), raw));
            copy.setTo(fill(op.getTo(), raw));
            copy.setExclude(op.getExclude());
            copy.setStrategy(op.getStrategy());
            copies.add(copy);
        }
        out.setCopy(copies);
        return out;
    }

    /** Fills {@code {name}} placeholders; an unknown or malformed placeholder is an error. */
    static String fill(String template, Map<String, String> values) throws BuildException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i + 1);
                if (end < 0) {
                    throw new BuildException("invalid template \"" + template + "\": capture starting at offset " + i
                            + " is missing closing brace");
                }
                String name = template.substring(i + 1, end);
                if (name.isEmpty()) {
                    throw new BuildException("invalid template \"" + template + "\": empty capture variable");
                }
                if (!CAPTURE_NAME.matcher(name).matches()) {
                    throw new BuildException("invalid template \"" + template + "\": capture variable \"" + name
                            + "\" must be a valid capture name matching [A-Za-z_][A-Za-z0-9_]*");
                }
                String value = values.get(name);
                if (value == null) {
                    throw new BuildException("invalid template \"" + template + "\": capture variable \"" + name
                            + "\" is not defined by pathPattern");
                }
                out.append(value);
                i = end;
            } else if (c == '}') {
                throw new BuildException("invalid template \"" + template + "\": capture ending at offset " + i
                        + " is missing opening brace");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
