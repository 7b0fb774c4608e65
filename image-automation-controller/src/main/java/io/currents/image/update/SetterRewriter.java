package io.currents.image.update;

import io.currents.kustomize.yaml.BoundedLoad;
import io.currents.kustomize.yaml.YamlException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies Flux's setter markers to one YAML file: a scalar followed on its line by
 * {@code # {"$imagepolicy": "<namespace>:<policy>[:tag|:name|:digest]"}} gets the policy's latest
 * image (or its tag, name or digest). Values are replaced in place by their position in the
 * original text, so every other byte (comments, quotes, indentation, key order) stays as it was.
 */
public final class SetterRewriter {

    private static final Pattern MARKER = Pattern.compile("#\\s*\\{\\s*\"\\$imagepolicy\"\\s*:\\s*\"([^\"]+)\"\\s*}");

    /** The rewritten text and what changed, per object. */
    public record Result(String text, Map<ObjectIdentifier, List<Change>> changes) {
        public boolean changed() {
            return !changes.isEmpty();
        }
    }

    private SetterRewriter() {
    }

    /** Whether the text has any marker at all (cheap check before parsing). */
    public static boolean hasMarkers(String text) {
        return text.contains("$imagepolicy");
    }

    /**
     * Rewrites {@code text}; {@code values} maps a setter ({@code ns:policy}, {@code ns:policy:tag}, ...)
     * to its value; markers naming other setters are left alone. Throws IllegalArgumentException
     * when the file is not YAML.
     */
    public static Result apply(String text, Map<String, String> values) {
        List<MarkerAt> markers = markers(text);
        if (markers.isEmpty()) {
            return new Result(text, Map.of());
        }
        List<ScalarAt> scalars = new ArrayList<>();
        int document = -1;
        int[] codePointToChar = codePointOffsets(text);
        try {
            LoadSettings settings = LoadSettings.builder().setParseComments(false).build();
            for (Event event : new Parse(settings).parseString(text)) {
                if (event instanceof DocumentStartEvent) {
                    document++;
                } else if (event instanceof ScalarEvent scalar && scalar.getStartMark().isPresent() && scalar.getEndMark().isPresent()) {
                    Mark start = scalar.getStartMark().get();
                    Mark end = scalar.getEndMark().get();
                    scalars.add(new ScalarAt(Math.max(document, 0), codePointToChar[start.getIndex()], codePointToChar[end.getIndex()],
                            end.getLine(), scalar.getValue(), scalar.getScalarStyle()));
                }
            }
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("not valid YAML: " + firstLine(e.getMessage()));
        }

        List<Replacement> replacements = new ArrayList<>();
        for (MarkerAt marker : markers) {
            String value = values.get(marker.setter);
            if (value == null) {
                continue;
            }
            ScalarAt target = null;
            boolean insideScalar = scalars.stream().anyMatch(s -> s.start <= marker.offset && marker.offset < s.end);
            if (insideScalar) {
                continue;
            }
            for (ScalarAt s : scalars) {
                if (s.endLine == marker.line && s.end <= marker.offset) {
                    target = s;
                }
            }
            if (target == null || target.style == ScalarStyle.LITERAL || target.style == ScalarStyle.FOLDED) {
                continue;
            }
            if (target.value.equals(value)) {
                continue;
            }
            boolean quoted = target.style == ScalarStyle.SINGLE_QUOTED || target.style == ScalarStyle.DOUBLE_QUOTED;
            int from = quoted ? target.start + 1 : target.start;
            int to = quoted ? target.end - 1 : target.end;
            replacements.add(new Replacement(from, to, value, target.document, new Change(marker.setter, target.value, value)));
        }
        if (replacements.isEmpty()) {
            return new Result(text, Map.of());
        }
        List<ObjectIdentifier> objects = objects(text);
        StringBuilder out = new StringBuilder(text);
        Map<ObjectIdentifier, List<Change>> changes = new LinkedHashMap<>();
        replacements.sort((a, b) -> Integer.compare(b.from, a.from));
        for (Replacement r : replacements) {
            out.replace(r.from, r.to, r.value);
        }
        replacements.sort((a, b) -> Integer.compare(a.from, b.from));
        for (Replacement r : replacements) {
            ObjectIdentifier id = r.document < objects.size() ? objects.get(r.document) : new ObjectIdentifier("", "", "", "");
            changes.computeIfAbsent(id, k -> new ArrayList<>()).add(r.change);
        }
        return new Result(out.toString(), changes);
    }

    private static List<MarkerAt> markers(String text) {
        List<MarkerAt> markers = new ArrayList<>();
        int lineStart = 0;
        int line = 0;
        while (lineStart <= text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            String l = text.substring(lineStart, lineEnd);
            Matcher m = MARKER.matcher(l);
            if (m.find()) {
                markers.add(new MarkerAt(line, lineStart + m.start(), m.group(1).trim()));
            }
            lineStart = lineEnd + 1;
            line++;
        }
        return markers;
    }

    @SuppressWarnings("unchecked")
    private static List<ObjectIdentifier> objects(String text) {
        List<ObjectIdentifier> ids = new ArrayList<>();
        List<Object> documents;
        try {
            documents = BoundedLoad.loadAll(LoadSettings.builder().build(), text);
        } catch (YamlEngineException | YamlException e) {
            throw new IllegalArgumentException("not valid YAML: " + firstLine(e.getMessage()));
        }
        for (Object doc : documents) {
            if (doc instanceof Map<?, ?> map) {
                Map<String, Object> meta = map.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                ids.add(new ObjectIdentifier(str(map.get("apiVersion")), str(map.get("kind")), str(meta.get("name")), str(meta.get("namespace"))));
            } else {
                ids.add(new ObjectIdentifier("", "", "", ""));
            }
        }
        return ids;
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /** For each code point index (snakeyaml-engine's marks count code points) the Java char offset. */
    private static int[] codePointOffsets(String text) {
        int[] offsets = new int[text.codePointCount(0, text.length()) + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); ) {
            offsets[cp++] = i;
            i += Character.charCount(text.codePointAt(i));
        }
        offsets[cp] = text.length();
        return offsets;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private record MarkerAt(int line, int offset, String setter) {
    }

    private record ScalarAt(int document, int start, int end, int endLine, String value, ScalarStyle style) {
    }

    private record Replacement(int from, int to, String value, int document, Change change) {
    }
}
