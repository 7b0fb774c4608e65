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
            try {
                doc = applyOp(doc, o);
            } catch (KustomizeException e) {
                throw new KustomizeException("failed to apply json patch '" + GoJson.marshal(ops) + "' from " + where
                        + " to " + r.curId() + ": " + e.getMessage(), e);
            }
        }
        Map<String, Object> m = Nodes.asMap(doc);
        if (m == null) {
            throw new KustomizeException("json patch from " + where + " did not leave an object");
        }
        r.obj = m;
    }

    private static String str(Map<String, Object> op, String k) {
        Object v = op.get(k);
        return v == null ? null : Nodes.scalarText(v);
    }

    private static Object applyOp(Object doc, Map<String, Object> op) {
        String kind = str(op, "op");
        String path = str(op, "path");
        if (kind == null) {
            throw new KustomizeException("missing op");
        }
        if (path == null) {
            throw new KustomizeException("operation missing path");
        }
        switch (kind) {
            case "add":
                if (!op.containsKey("value")) {
                    throw new KustomizeException("add operation missing value");
                }
                return add(doc, path, Nodes.deepCopy(op.get("value")), "add");
            case "remove":
                return remove(doc, path);
            case "replace": {
                if (!op.containsKey("value")) {
                    throw new KustomizeException("replace operation missing value");
                }
                if (path.isEmpty()) {
                    return Nodes.deepCopy(op.get("value"));
                }
                Container c = container(doc, path, "replace");
                if (!c.exists() && c.list != null) {
                    throw new KustomizeException("replace operation does not apply: doc is missing key: " + path);
                }
                c.set(Nodes.deepCopy(op.get("value")));
                return doc;
            }
            case "move": {
                String from = str(op, "from");
                if (from == null) {
                    throw new KustomizeException("move operation missing from");
                }
                Container c = container(doc, from, "move");
                if (!c.exists()) {
                    throw new KustomizeException("move operation does not apply: doc is missing from path: " + from);
                }
                Object v = c.get();
                doc = remove(doc, from);
                return add(doc, path, v, "move");
            }
            case "copy": {
                String from = str(op, "from");
                if (from == null) {
                    throw new KustomizeException("copy operation missing from");
                }
                Container c = container(doc, from, "copy");
                if (!c.exists()) {
                    throw new KustomizeException("copy operation does not apply: doc is missing from path: " + from);
                }
                return add(doc, path, Nodes.deepCopy(c.get()), "copy");
            }
            case "test": {
                Object actual;
                if (path.isEmpty()) {
                    actual = doc;
                } else {
                    Container c = container(doc, path, "test");
                    if (!c.exists()) {
                        if (op.get("value") == null) {
                            return doc;
                        }
                        throw new KustomizeException("testing value " + path + " failed: doc is missing path");
                    }
                    actual = c.get();
                }
                if (!jsonEquals(actual, op.get("value"))) {
                    throw new KustomizeException("testing value " + path + " failed: test failed");
                }
                return doc;
            }
            default:
                throw new KustomizeException("Unexpected kind: " + kind);
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

    private static Object add(Object doc, String path, Object value, String op) {
        if (path.isEmpty()) {
            return value;
        }
        Container c = container(doc, path, op);
        if (c.list != null) {
            int idx;
            if (c.key.equals("-")) {
                idx = c.list.size();
            } else {
                idx = index(c.key, c.list.size() + 1, op, path);
            }
            c.list.add(idx, value);
        } else {
            c.map.put(c.key, value);
        }
        return doc;
    }

    private static Object remove(Object doc, String path) {
        Container c = container(doc, path, "remove");
        if (c.list != null) {
            int idx = index(c.key, c.list.size(), "remove", path);
            c.list.remove(idx);
        } else {
            if (!c.map.containsKey(c.key)) {
                throw new KustomizeException("Unable to remove nonexistent key: " + c.key + ": missing value");
            }
            c.map.remove(c.key);
        }
        return doc;
    }

    private static int index(String key, int size, String op, String path) {
        int idx;
        try {
            idx = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new KustomizeException(op + " operation does not apply: invalid array index '" + key + "' in " + path);
        }
        if (idx < 0) {
            idx += size;
        }
        if (idx < 0 || idx >= size) {
            throw new KustomizeException(op + " operation does not apply: index out of bounds: " + path);
        }
        return idx;
    }

    private static final class Container {
        Map<String, Object> map;
        List<Object> list;
        String key;

        boolean exists() {
            if (list != null) {
                try {
                    int i = Integer.parseInt(key);
                    if (i < 0) {
                        i += list.size();
                    }
                    return i >= 0 && i < list.size();
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            return map.containsKey(key);
        }

        Object get() {
            if (list != null) {
                int i = Integer.parseInt(key);
                return list.get(i < 0 ? i + list.size() : i);
            }
            return map.get(key);
        }

        void set(Object v) {
            if (list != null) {
                int i = Integer.parseInt(key);
                list.set(i < 0 ? i + list.size() : i, v);
            } else {
                map.put(key, v);
            }
        }
    }

    private static List<String> pointer(String path) {
        if (!path.startsWith("/")) {
            throw new KustomizeException("invalid JSON pointer '" + path + "'");
        }
        List<String> out = new ArrayList<>();
        for (String p : path.substring(1).split("/", -1)) {
            out.add(p.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    private static Container container(Object doc, String path, String op) {
        List<String> parts = pointer(path);
        Object cur = doc;
        for (int i = 0; i < parts.size() - 1; i++) {
            String p = parts.get(i);
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(p);
            } else if (cur instanceof List<?> l) {
                int idx;
                try {
                    idx = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    cur = null;
                    break;
                }
                if (idx < 0) {
                    idx += l.size();
                }
                cur = idx >= 0 && idx < l.size() ? l.get(idx) : null;
            } else {
                cur = null;
            }
            if (cur == null) {
                break;
            }
        }
        Container c = new Container();
        c.key = parts.get(parts.size() - 1);
        if (cur instanceof Map<?, ?>) {
            c.map = Nodes.asMap(cur);
        } else if (cur instanceof List<?>) {
            c.list = Nodes.asList(cur);
        } else {
            throw new KustomizeException(op + " operation does not apply: doc is missing path: " + path
                    + ": missing value");
        }
        return c;
    }
}
