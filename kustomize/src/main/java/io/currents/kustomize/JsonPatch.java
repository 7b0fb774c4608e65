package io.currents.kustomize;

import io.currents.kustomize.yaml.GoScalars;
import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** RFC 6902 JSON patch over the document model, with the semantics of evanphx/json-patch that kustomize uses. */
final class JsonPatch {
    private JsonPatch() {
    }

    /** Parses patch operations; YAML input is read with YAML 1.1 scalars, as kustomize converts it to JSON. */
    static List<Object> v2Ops(String text) {
        Object raw;
        try {
            // sigs.k8s.io/yaml converts only the first document of a stream
            List<Object> docs = YamlReader.readAll(text, true);
            raw = docs.isEmpty() ? null : docs.get(0);
        } catch (YamlException e) {
            throw new KustomizeException("unable to parse SM or JSON patch from " + text + ": " + e.getMessage());
        }
        Object ops = v2(raw);
        List<Object> l = Nodes.asList(ops);
        if (l == null) {
            throw new KustomizeException("unable to parse SM or JSON patch from " + text);
        }
        return l;
    }

    private static Object v2(Object o) {
        if (o instanceof YamlReader.RawScalar s) {
            if (!s.plain()) {
                return s.text();
            }
            String t = s.text();
            String conv = GoScalars.v2PlainToStringField(t);
            if (conv == null) {
                return null;
            }
            if ((conv.equals("true") || conv.equals("false")) && !Character.isDigit(t.isEmpty() ? 'x' : t.charAt(0))) {
                return Boolean.valueOf(conv);
            }
            return GoScalars.resolvePlainV3(t);
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                r.put(String.valueOf(e.getKey()), v2(e.getValue()));
            }
            return r;
        }
        if (o instanceof List<?> l) {
            List<Object> r = new ArrayList<>();
            for (Object x : l) {
                r.add(v2(x));
            }
            return r;
        }
        return o;
    }

    static void apply(Resource r, List<Object> ops, String where) {
        Object doc = r.obj;
        for (Object op : ops) {
            Map<String, Object> o = Nodes.asMap(op);
            if (o == null) {
                throw new KustomizeException("invalid JSON patch operation in " + where);
            }
            // kustomize's patchjson6902 filter returns the JSON patch library's error as it is
            doc = applyOp(doc, o);
        }
        Map<String, Object> m = Nodes.asMap(doc);
        if (m == null) {
            throw new KustomizeException("json patch from " + where + " did not leave an object");
        }
        r.obj = m;
    }

    /**
     * One operation as evanphx/json-patch v4.12 applies it (kustomize's library), with its messages: a
     * missing parent is "doc is missing path", while a missing key reads as null (so copy and replace of a
     * missing key add it), "value" absent or null is null, indices may be negative, and errors are wrapped
     * as pkg/errors does ("context: cause").
     */
    private static Object applyOp(Object doc, Map<String, Object> op) {
        String kind = op.get("op") == null ? "unknown" : Nodes.scalarText(op.get("op"));
        switch (kind) {
            case "add": {
                String path = field(op, "path");
                if (path == null) {
                    throw new KustomizeException("add operation failed to decode path: missing value");
                }
                Container c = findObject(doc, path);
                if (c == null) {
                    throw new KustomizeException("add operation does not apply: doc is missing path: \"" + path
                            + "\": missing value");
                }
                wrap(() -> c.add(Nodes.deepCopy(op.get("value"))), "error in add for path: '" + path + "'");
                return doc;
            }
            case "remove": {
                String path = field(op, "path");
                if (path == null) {
                    throw new KustomizeException("remove operation failed to decode path: missing value");
                }
                Container c = findObject(doc, path);
                if (c == null) {
                    throw new KustomizeException("remove operation does not apply: doc is missing path: \"" + path
                            + "\": missing value");
                }
                wrap(c::remove, "error in remove for path: '" + path + "'");
                return doc;
            }
            case "replace": {
                String path = field(op, "path");
                if (path == null) {
                    throw new KustomizeException("replace operation failed to decode path: operation missing path "
                            + "field: missing value");
                }
                if (path.isEmpty()) {
                    Object v = op.get("value");
                    if (!(v instanceof Map) && !(v instanceof List)) {
                        throw new KustomizeException("replace operation value must be object or array");
                    }
                    return Nodes.deepCopy(v);
                }
                Container c = findObject(doc, path);
                if (c == null) {
                    throw new KustomizeException("replace operation does not apply: doc is missing path: " + path
                            + ": missing value");
                }
                try {
                    c.get();
                } catch (KustomizeException e) {
                    throw new KustomizeException("replace operation does not apply: doc is missing key: " + path
                            + ": missing value", e);
                }
                wrap(() -> c.set(Nodes.deepCopy(op.get("value"))), "error in remove for path: '" + path + "'");
                return doc;
            }
            case "move": {
                String from = field(op, "from");
                if (from == null) {
                    throw new KustomizeException("move operation failed to decode from: operation, missing from field: "
                            + "missing value");
                }
                Container src = findObject(doc, from);
                if (src == null) {
                    throw new KustomizeException("move operation does not apply: doc is missing from path: " + from
                            + ": missing value");
                }
                Object[] v = new Object[1];
                wrap(() -> v[0] = src.get(), "error in move for path: '" + src.key + "'");
                wrap(src::remove, "error in move for path: '" + src.key + "'");
                String path = field(op, "path");
                if (path == null) {
                    throw new KustomizeException("move operation failed to decode path: operation missing path field: "
                            + "missing value");
                }
                Container dst = findObject(doc, path);
                if (dst == null) {
                    throw new KustomizeException("move operation does not apply: doc is missing destination path: "
                            + path + ": missing value");
                }
                wrap(() -> dst.add(v[0]), "error in move for path: '" + path + "'");
                return doc;
            }
            case "copy": {
                String from = field(op, "from");
                if (from == null) {
                    throw new KustomizeException("copy operation failed to decode from: operation, missing from field: "
                            + "missing value");
                }
                Container src = findObject(doc, from);
                if (src == null) {
                    throw new KustomizeException("copy operation does not apply: doc is missing from path: " + from
                            + ": missing value");
                }
                Object[] v = new Object[1];
                wrap(() -> v[0] = src.get(), "error in copy for from: '" + from + "'");
                String path = field(op, "path");
                if (path == null) {
                    throw new KustomizeException("copy operation failed to decode path: missing value");
                }
                Container dst = findObject(doc, path);
                if (dst == null) {
                    throw new KustomizeException("copy operation does not apply: doc is missing destination path: "
                            + path + ": missing value");
                }
                Object copy = Nodes.deepCopy(v[0]);
                wrap(() -> dst.add(copy), "error while adding value during copy");
                return doc;
            }
            case "test": {
                String path = field(op, "path");
                if (path == null) {
                    throw new KustomizeException("test operation failed to decode path: operation missing path field: "
                            + "missing value");
                }
                Object actual;
                if (path.isEmpty()) {
                    actual = doc;
                } else {
                    Container c = findObject(doc, path);
                    if (c == null) {
                        throw new KustomizeException("test operation does not apply: is missing path: " + path
                                + ": missing value");
                    }
                    Object[] v = new Object[1];
                    wrap(() -> v[0] = c.get(), "error in test for path: '" + path + "'");
                    actual = v[0];
                    if (actual == null) {
                        if (op.get("value") == null) {
                            return doc;
                        }
                        throw new KustomizeException("testing value " + path + " failed: test failed");
                    }
                }
                if (!op.containsKey("value") || !jsonEquals(actual, op.get("value"))) {
                    throw new KustomizeException("testing value " + path + " failed: test failed");
                }
                return doc;
            }
            default:
                throw new KustomizeException("Unexpected kind: " + kind);
        }
    }

    /** An operation's path or from: absent or null is an error in the library, reported by the caller. */
    private static String field(Map<String, Object> op, String k) {
        Object v = op.get(k);
        return v == null ? null : Nodes.scalarText(v);
    }

    private static void wrap(Runnable r, String context) {
        try {
            r.run();
        } catch (KustomizeException e) {
            throw new KustomizeException(context + ": " + e.getMessage(), e);
        }
    }

    private static boolean jsonEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !jsonEquals(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!jsonEquals(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** Go's strconv.Atoi, with its messages. */
    private static int atoi(String key) {
        String digits = key.startsWith("+") || key.startsWith("-") ? key.substring(1) : key;
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new KustomizeException("strconv.Atoi: parsing " + PatchTransformers.quote(key) + ": invalid syntax");
        }
        try {
            long v = Long.parseLong(key);
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        } catch (NumberFormatException e) {
            throw new KustomizeException("strconv.Atoi: parsing " + PatchTransformers.quote(key) + ": value out of range");
        }
    }

    private static KustomizeException invalidIndex(int idx) {
        return new KustomizeException("Unable to access invalid index: " + idx + ": invalid index referenced");
    }

    /** The library's container (an object or an array) and the last key of a path in it. */
    private static final class Container {
        Map<String, Object> map;
        List<Object> list;
        String key;

        /** A missing key of an object reads as null; an array index must exist. */
        Object get() {
            if (map != null) {
                return map.get(key);
            }
            int idx = atoi(key);
            if (idx < 0) {
                if (idx < -list.size()) {
                    throw invalidIndex(idx);
                }
                idx += list.size();
            }
            if (idx >= list.size()) {
                throw invalidIndex(idx);
            }
            return list.get(idx);
        }

        /** replace: the index was checked by get. */
        void set(Object v) {
            if (map != null) {
                map.put(key, v);
                return;
            }
            int idx = atoi(key);
            if (idx < 0) {
                if (idx < -list.size()) {
                    throw invalidIndex(idx);
                }
                idx += list.size();
            }
            list.set(idx, v);
        }

        void add(Object v) {
            if (map != null) {
                map.put(key, v);
                return;
            }
            if (key.equals("-")) {
                list.add(v);
                return;
            }
            int idx;
            try {
                idx = atoi(key);
            } catch (KustomizeException e) {
                throw new KustomizeException("value was not a proper array index: '" + key + "': " + e.getMessage(), e);
            }
            int size = list.size() + 1;
            if (idx >= size) {
                throw invalidIndex(idx);
            }
            if (idx < 0) {
                if (idx < -size) {
                    throw invalidIndex(idx);
                }
                idx += size;
            }
            list.add(idx, v);
        }

        void remove() {
            if (map != null) {
                if (!map.containsKey(key)) {
                    throw new KustomizeException("Unable to remove nonexistent key: " + key + ": missing value");
                }
                map.remove(key);
                return;
            }
            int idx = atoi(key);
            if (idx >= list.size()) {
                throw invalidIndex(idx);
            }
            if (idx < 0) {
                if (idx < -list.size()) {
                    throw invalidIndex(idx);
                }
                idx += list.size();
            }
            list.remove(idx);
        }
    }

    private static String decodeKey(String k) {
        return k.replace("~1", "/").replace("~0", "~");
    }

    /**
     * The library's findObject: the path split at '/', its first part dropped (so a path without a leading
     * '/' loses its first segment), every part but the last walked; a missing, null or scalar step, or an
     * index that is not one, means there is no container.
     */
    private static Container findObject(Object doc, String path) {
        String[] split = path.split("/", -1);
        if (split.length < 2) {
            return null;
        }
        Object cur = doc;
        for (int i = 1; i < split.length - 1; i++) {
            String part = decodeKey(split[i]);
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(part);
            } else if (cur instanceof List<?> l) {
                Container c = new Container();
                c.list = Nodes.asList(l);
                c.key = part;
                try {
                    cur = c.get();
                } catch (KustomizeException e) {
                    return null;
                }
            }
            if (!(cur instanceof Map) && !(cur instanceof List)) {
                return null;
            }
        }
        Container c = new Container();
        c.key = decodeKey(split[split.length - 1]);
        if (cur instanceof Map<?, ?>) {
            c.map = Nodes.asMap(cur);
        } else {
            c.list = Nodes.asList(cur);
        }
        return c;
    }
}
