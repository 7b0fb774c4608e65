package io.currents.kustomize.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Arrays;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.comments.CommentLine;
import org.snakeyaml.engine.v2.comments.CommentType;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Reads YAML text into plain Java values (LinkedHashMap, ArrayList, String, Long, BigInteger, Double,
 * Boolean, null) with go-yaml v3's resolution rules, or into {@link RawScalar}s for files that
 * kustomize decodes with YAML 1.1 rules (kustomization files). Alias expansion is bounded as go-yaml
 * bounds it ({@link AliasBudget}).
 */
public final class YamlReader {
    private YamlReader() {
    }

    /** A scalar kept as written: its text and whether it was plain (unquoted, untagged). */
    public record RawScalar(String text, boolean plain) {
        @Override
        public String toString() {
            return text;
        }
    }

    private static final Tag IMPLICIT = new Tag("tag:currents.io,2025:implicit");

    private static final Schema SCHEMA = new Schema() {
        @Override
        public org.snakeyaml.engine.v2.resolver.ScalarResolver getScalarResolver() {
            return (value, implicit) -> implicit ? IMPLICIT : Tag.STR;
        }

        @Override
        public Map<Tag, ConstructNode> getSchemaTagConstructors() {
            return Collections.emptyMap();
        }
    };

    private static final LoadSettings SETTINGS = LoadSettings.builder()
            .setSchema(SCHEMA)
            .setAllowDuplicateKeys(true)
            .setCodePointLimit(Integer.MAX_VALUE)
            .setMaxAliasesForCollections(1000)
            .setParseComments(false)
            .setLabel("yaml")
            .build();

    /** As SETTINGS, with comments: kyaml reads schema comments on the fields of objects and patches. */
    private static final LoadSettings SETTINGS_WITH_COMMENTS = LoadSettings.builder()
            .setSchema(SCHEMA)
            .setAllowDuplicateKeys(true)
            .setCodePointLimit(Integer.MAX_VALUE)
            .setMaxAliasesForCollections(1000)
            .setParseComments(true)
            .setLabel("yaml")
            .build();

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Parses every document of a stream; empty documents are dropped. */
    public static List<Object> readAll(String text) {
        return readAll(text, false);
    }

    public static List<Object> readAll(String text, boolean raw) {
        if (!raw && text.indexOf('#') >= 0) {
            try {
                return readAll(text, false, SETTINGS_WITH_COMMENTS);
            } catch (YamlException e) {
                // SnakeYAML's comment handling refuses a few placements the parser alone accepts
            }
        }
        return readAll(text, raw, SETTINGS);
    }

    private static List<Object> readAll(String text, boolean raw, LoadSettings settings) {
        List<Object> docs = new ArrayList<>();
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            while (composer.hasNext()) {
                Node node = composer.next();
                if (node instanceof ScalarNode s && s.getTag().equals(IMPLICIT) && s.getValue().isEmpty()) {
                    continue; // empty document
                }
                Object v = new Converter(raw).convert(node, 0);
                if (v != null) {
                    docs.add(v);
                }
            }
        } catch (YamlEngineException e) {
            String trimmed = e.getMessage() != null && e.getMessage().contains("\\t") ? withoutTrailingTabs(text) : null;
            if (trimmed != null && !trimmed.equals(text)) {
                // go-yaml skips a tab after a value on its line; SnakeYAML refuses it
                return readAll(trimmed, raw, settings);
            }
            throw new YamlException(describe(e));
        } catch (StackOverflowError e) {
            throw new YamlException("document nested too deeply");
        } catch (YamlException e) {
            throw e;
        } catch (ClassCastException | IllegalStateException | IndexOutOfBoundsException | NullPointerException e) {
            // SnakeYAML's own faults on some malformed input (a comment where its composer expects a node): still a
            // refusal of this text, and the comment-free parse gets its turn
            throw new YamlException("invalid YAML (" + e.getClass().getSimpleName() + " in the YAML parser)");
        }
        return docs;
    }

    /**
     * The text with tabs (and spaces around them) at line ends removed, except inside block scalars,
     * whose lines keep every character.
     */
    static String withoutTrailingTabs(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder sb = new StringBuilder(text.length());
        int blockIndent = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            boolean blank = line.isBlank();
            if (blockIndent >= 0 && (blank || indent > blockIndent)) {
                sb.append(line);
            } else {
                blockIndent = -1;
                String t = line;
                int end = t.length();
                while (end > 0 && (t.charAt(end - 1) == '\t' || t.charAt(end - 1) == ' ' || t.charAt(end - 1) == '\r')) {
                    end--;
                }
                boolean cr = t.endsWith("\r");
                String content = t.substring(0, end);
                sb.append(t.indexOf('\t', end) >= 0 ? content + (cr ? "\r" : "") : t);
                if (content.matches(".*(:|-|^)\\s*[|>][0-9+-]*(\\s+#.*)?")) {
                    blockIndent = indent;
                }
            }
            if (i < lines.length - 1) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Parses a single-document text; returns null for an empty text. */
    public static Object read(String text, boolean raw) {
        List<Object> docs = readAll(text, raw);
        if (docs.size() > 1) {
            throw new YamlException("expected a single YAML document, found " + docs.size());
        }
        return docs.isEmpty() ? null : docs.get(0);
    }

    private static String describe(YamlEngineException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replace(" in yaml,", " at").trim();
    }

    private static final class Converter {
        private final boolean raw;
        private final IdentityHashMap<Node, Boolean> active = new IdentityHashMap<>();
        private final IdentityHashMap<Node, Boolean> seen = new IdentityHashMap<>();
        private final AliasBudget budget = new AliasBudget();
        private int aliasDepth;

        Converter(boolean raw) {
            this.raw = raw;
        }

        Object convert(Node node, int depth) {
            if (depth > 10_000) {
                throw new YamlException("document nested too deeply");
            }
            // the composer shares an anchored node between its uses: meeting it again is an alias expansion
            boolean alias = seen.put(node, Boolean.TRUE) != null;
            if (alias) {
                aliasDepth++;
            }
            try {
                budget.count(aliasDepth > 0);
                return node instanceof ScalarNode s ? scalar(s) : collection(node, depth);
            } finally {
                if (alias) {
                    aliasDepth--;
                }
            }
        }

        private Object collection(Node node, int depth) {
            if (active.put(node, Boolean.TRUE) != null) {
                throw new YamlException("recursive alias in document");
            }
            try {
                if (node instanceof SequenceNode seq) {
                    List<Object> list = new ArrayList<>(seq.getValue().size());
                    for (Node n : seq.getValue()) {
                        list.add(convert(n, depth + 1));
                    }
                    return list;
                }
                MappingNode map = (MappingNode) node;
                YamlMap out = new YamlMap();
                Set<String> explicit = new HashSet<>();
                List<Node> merges = new ArrayList<>();
                for (NodeTuple t : map.getValue()) {
                    Node k = t.getKeyNode();
                    if (k instanceof ScalarNode ks && ks.getTag().equals(IMPLICIT) && ks.getValue().equals("<<")) {
                        merges.add(t.getValueNode());
                        continue;
                    }
                    String key = keyText(k);
                    if (!explicit.add(key) && !raw) {
                        // kustomization files go through sigs.k8s.io/yaml, where a repeated key's last value wins
                        int line = k.getStartMark().map(mk -> mk.getLine() + 1).orElse(0);
                        throw new YamlException("mapping key \"" + key + "\" already defined at line " + line);
                    }
                    Node valueNode = t.getValueNode();
                    Object converted = convert(valueNode, depth + 1);
                    out.put(key, converted);
                    if (!raw && key.equals("annotations") && converted instanceof YamlMap am
                            && valueNode instanceof MappingNode an) {
                        // kustomize ends up writing annotations as the text of each value: 0o17 stays "0o17"
                        recordTexts(am, an);
                    }
                    if (t.getValueNode() instanceof ScalarNode vs && vs.getTag().equals(IMPLICIT) && vs.getValue().isEmpty()) {
                        out.markEmptyNull(key);
                    }
                    String schema = raw ? null : schemaComment(k, valueNode);
                    if (schema != null) {
                        out.recordFieldSchema(key, schema);
                    }
                }
                for (Node m : merges) {
                    List<Node> sources = m instanceof SequenceNode s ? s.getValue() : List.of(m);
                    for (Node src : sources) {
                        Object v = convert(src, depth + 1);
                        if (!(v instanceof Map<?, ?> mv)) {
                            throw new YamlException("map merge requires map or sequence of maps as the value");
                        }
                        for (Map.Entry<?, ?> e : mv.entrySet()) {
                            out.putIfAbsent((String) e.getKey(), e.getValue());
                        }
                    }
                }
                return out;
            } finally {
                active.remove(node);
            }
        }

        /**
         * kyaml's FieldMeta.Read: the field's line comment, else the comment lines above it, when it is a JSON
         * object with members (a line comment that is not one hides the lines above).
         */
        private static String schemaComment(Node key, Node value) {
            StringBuilder line = new StringBuilder();
            for (List<CommentLine> comments : Arrays.asList(key.getInLineComments(), value.getInLineComments())) {
                if (comments != null) {
                    for (CommentLine c : comments) {
                        line.append(c.getValue());
                    }
                }
            }
            String text = line.toString();
            if (text.isEmpty() && key.getBlockComments() != null) {
                StringBuilder head = new StringBuilder();
                for (CommentLine c : key.getBlockComments()) {
                    // go-yaml keeps a comment block as the key's head comment across blank lines around it
                    if (c.getCommentType() != CommentType.BLANK_LINE) {
                        head.append(head.isEmpty() ? "" : "\n#").append(c.getValue());
                    }
                }
                text = head.toString();
            }
            int start = 0;
            while (start < text.length() && text.charAt(start) == '#') {
                start++;
            }
            text = text.substring(start).strip();
            if (!text.startsWith("{")) {
                return null;
            }
            try {
                return JSON.readTree(text) instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.isEmpty() ? text : null;
            } catch (java.io.IOException e) {
                return null;
            }
        }

        private void recordTexts(YamlMap m, MappingNode an) {
            for (NodeTuple t : an.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode ks && t.getValueNode() instanceof ScalarNode vs
                        && !(ks.getTag().equals(IMPLICIT) && ks.getValue().equals("<<"))) {
                    Object v = m.get(ks.getValue());
                    if (!(v instanceof String str && str.equals(vs.getValue()))) {
                        m.recordText(ks.getValue(), v, vs.getValue());
                    }
                }
            }
        }

        private String keyText(Node k) {
            if (k instanceof ScalarNode s) {
                if (!raw && s.getTag().equals(IMPLICIT) && !(GoScalars.resolvePlainV3(s.getValue()) instanceof String)) {
                    // go-yaml decodes such a map as map[interface{}]interface{}, which JSON cannot encode
                    throw new YamlException("json: unsupported type: map[interface {}]interface {} (key "
                            + s.getValue() + " is not a string)");
                }
                return s.getValue();
            }
            throw new YamlException("invalid map key: not a scalar");
        }

        private Object scalar(ScalarNode s) {
            Tag tag = s.getTag();
            if (raw) {
                if (tag.equals(IMPLICIT)) {
                    return new RawScalar(s.getValue(), true);
                }
                if (tag.getValue().equals("tag:yaml.org,2002:null")) {
                    return null;
                }
                return new RawScalar(s.getValue(), false);
            }
            if (tag.equals(IMPLICIT)) {
                return GoScalars.resolvePlainV3(s.getValue());
            }
            if (tag.equals(Tag.STR)) {
                return s.getValue();
            }
            try {
                return GoScalars.resolveTagged(tag.getValue(), s.getValue());
            } catch (IllegalArgumentException e) {
                throw new YamlException(e.getMessage());
            }
        }
    }
}
