package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kustomize's resource factory: objects out of a YAML stream. Empty documents are skipped, every
 * object needs a kind and (unless its kind ends in {@code List}) a name, and {@code *List} objects with
 * {@code items} are replaced by their items, which go after the other objects of the stream (lists in
 * lists unwrap too).
 */
final class ResourceFactory {
    private ResourceFactory() {
    }

    private static final java.util.regex.Pattern SEPARATOR = java.util.regex.Pattern.compile("\n---.*\n");

    /**
     * kyaml's ByteReader: the text split at every line starting with {@code ---} (content after it on the
     * line must be a comment), each part read as one document on its own.
     */
    static List<Object> documents(String text, String file) {
        String s = text.replace("\r\n", "\n");
        List<String> parts = new ArrayList<>();
        if (!s.isEmpty()) {
            java.util.regex.Matcher m = SEPARATOR.matcher(s);
            int prev = 0;
            while (m.find()) {
                String after = m.group().substring(4).strip();
                if (!after.isEmpty() && after.charAt(0) != '#') {
                    throw new KustomizeException("invalid document separator: " + m.group().strip());
                }
                parts.add(s.substring(prev, m.start()));
                prev = m.end();
            }
            parts.add(s.substring(prev));
        }
        List<Object> docs = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = i != parts.size() - 1 ? parts.get(i) + "\n" : parts.get(i);
            List<Object> ds;
            try {
                ds = YamlReader.readAll(part);
            } catch (YamlException e) {
                throw new KustomizeException("MalformedYAMLError: " + e.getMessage() + " in File: " + file);
            }
            if (!ds.isEmpty() && ds.get(0) != null) {
                docs.add(ds.get(0));
            }
        }
        // a single List (or ResourceList) document with items is unwrapped by the reader itself
        if (parts.size() == 1 && docs.size() == 1 && docs.get(0) instanceof Map<?, ?> only) {
            Object kind = only.get("kind");
            if (("List".equals(kind) || "ResourceList".equals(kind))
                    && (only.containsKey("items") || only.containsKey("functionConfig"))) {
                Object items = only.get("items");
                List<Object> out = new ArrayList<>();
                if (items instanceof List<?> l) {
                    out.addAll(l);
                } else if (items instanceof Map<?, ?> im) {
                    for (Map.Entry<?, ?> e : im.entrySet()) {
                        out.add(e.getKey());
                        out.add(e.getValue());
                    }
                }
                return out;
            }
        }
        return docs;
    }

    /** kustomize's SliceFromBytes; a YAML error is reported as MalformedYAMLError naming the file. */
    static List<Resource> sliceFromBytes(String text, String file) {
        List<Object> docs = documents(text, file);
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Object d : docs) {
            if (d == null) {
                continue;
            }
            Map<String, Object> m = Nodes.asMap(d);
            if (m == null) {
                throw new KustomizeException("missing Resource metadata");
            }
            if (m.isEmpty()) {
                continue;
            }
            validate(m);
            nodes.add(m);
        }
        List<Resource> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Map<String, Object> m = nodes.get(i);
            String kind = Nodes.getString(m, "kind");
            if (kind == null || !kind.endsWith("List") || !m.containsKey("items")) {
                out.add(Resource.read(m));
                continue;
            }
            Object items = m.get("items");
            if (items == null) {
                continue;
            }
            List<Object> l = Nodes.asList(items);
            if (l == null) {
                throw new KustomizeException("expected array in " + kind + "/items, but found " + goTypeName(items));
            }
            for (Object it : l) {
                if (it == null) {
                    continue;
                }
                Map<String, Object> im = Nodes.asMap(it);
                if (im == null) {
                    throw new KustomizeException("missing Resource metadata");
                }
                if (im.isEmpty()) {
                    continue;
                }
                validate(im);
                nodes.add(im);
            }
        }
        return out;
    }

    /** The Go type encoding/json gives a decoded value, as %T prints it. */
    static String goTypeName(Object v) {
        if (v instanceof Map) {
            return "map[string]interface {}";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger) {
            return "int";
        }
        if (v instanceof Number) {
            return "float64";
        }
        return "<nil>";
    }

    /** kyaml's GetValidatedMetadata. */
    static void validate(Map<String, Object> m) {
        Object kind = m.get("kind");
        String k = kind == null ? "" : Nodes.scalarText(kind);
        if (k.isEmpty()) {
            throw new KustomizeException("missing kind in object " + metaString(m));
        }
        if (k.endsWith("List")) {
            return;
        }
        String name = Nodes.getString(m, "metadata", "name");
        if (name == null || name.isEmpty()) {
            throw new KustomizeException("missing metadata.name in object " + metaString(m));
        }
    }

    /**
     * kyaml's ResourceMeta as Go's %v prints it: {@code {{apiVersion kind} {{name namespace} labels annotations}}},
     * the maps as {@code map[k:v ...]} with sorted keys.
     */
    private static String metaString(Map<String, Object> m) {
        Object meta = m.get("metadata");
        Map<?, ?> md = meta instanceof Map<?, ?> mm ? mm : Map.of();
        return "{{" + orEmpty(Nodes.getString(m, "apiVersion")) + " " + orEmpty(Nodes.getString(m, "kind")) + "} {{"
                + orEmpty(Nodes.getString(m, "metadata", "name")) + " "
                + orEmpty(Nodes.getString(m, "metadata", "namespace")) + "} " + goMap(md.get("labels")) + " "
                + goMap(md.get("annotations")) + "}}";
    }

    private static String goMap(Object v) {
        StringBuilder b = new StringBuilder("map[");
        if (v instanceof Map<?, ?> map) {
            java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
            map.forEach((k, val) -> sorted.put(String.valueOf(k), val == null ? "" : Nodes.scalarText(val)));
            String sep = "";
            for (var e : sorted.entrySet()) {
                b.append(sep).append(e.getKey()).append(':').append(e.getValue());
                sep = " ";
            }
        }
        return b.append(']').toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
