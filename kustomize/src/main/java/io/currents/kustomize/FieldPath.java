package io.currents.kustomize;

import io.currents.kustomize.yaml.GoScalars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dotted field paths as replacements and vars use them: {@code spec.containers.[name=app].image},
 * {@code spec.ports.0.port}, {@code metadata.annotations.[a.b/c]}.
 */
final class FieldPath {
    private FieldPath() {
    }

    /** Stands for a scalar field a replacement has just created (it takes the type its text resolves to). */
    static final Object CREATED = new Object();

    /** Splits on dots outside brackets (kyaml's SmarterPathSplitter). */
    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            }
            if (c == '.' && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        List<String> res = new ArrayList<>();
        for (String p : out) {
            // "containers[name=x]" is the same as "containers.[name=x]"
            int b = p.indexOf('[');
            if (b > 0 && p.endsWith("]") && isIndex(p.substring(b + 1, p.length() - 1))) {
                res.add(p.substring(0, b));
                res.add(p.substring(b + 1, p.length() - 1));
            } else if (b > 0 && p.endsWith("]")) {
                res.add(p.substring(0, b));
                res.add(p.substring(b));
            } else if (p.startsWith("[") && p.endsWith("]") && !p.contains("=")) {
                res.add(p.substring(1, p.length() - 1));
            } else {
                res.add(p);
            }
        }
        return res;
    }

    /** A place holding a value: a map key or a list index. */
    record Slot(Map<String, Object> map, List<Object> list, String key, int index) {
        Object get() {
            return map != null ? map.get(key) : list.get(index);
        }

        void set(Object v) {
            if (map != null) {
                map.put(key, v);
            } else {
                list.set(index, v);
            }
        }
    }

    /** Finds (and with create, makes) the values at a path. */
    static List<Slot> find(Map<String, Object> root, List<String> parts, boolean create, Object createSample) {
        List<Slot> out = new ArrayList<>();
        find(root, parts, 0, create, createSample, out);
        return out;
    }

    private static void find(Object node, List<String> parts, int i, boolean create, Object sample, List<Slot> out) {
        String p = parts.get(i);
        boolean last = i == parts.size() - 1;
        if (p.startsWith("[") && p.endsWith("]")) {
            List<Object> l = Nodes.asList(node);
            if (l == null) {
                return;
            }
            String inner = p.substring(1, p.length() - 1);
            int eq = inner.indexOf('=');
            if (eq < 0) {
                throw new KustomizeException("list path element must contain fieldName=fieldValue for element to match");
            }
            String k = inner.substring(0, eq);
            String v = inner.substring(eq + 1);
            boolean found = false;
            for (int j = 0; j < l.size(); j++) {
                Object e = l.get(j);
                boolean match;
                if (k.isEmpty()) {
                    match = e != null && Nodes.isScalar(e) && (v.equals("*") || Nodes.scalarText(e).equals(v));
                } else {
                    Map<String, Object> em = Nodes.asMap(e);
                    match = em != null && em.get(k) != null && (v.equals("*") || Nodes.scalarText(em.get(k)).equals(v));
                }
                if (match) {
                    found = true;
                    if (last) {
                        out.add(new Slot(null, l, null, j));
                    } else {
                        find(e, parts, i + 1, create, sample, out);
                    }
                }
            }
            if (!found && create && !v.equals("*")) {
                Object e;
                if (k.isEmpty()) {
                    e = v;
                } else {
                    Map<String, Object> em = new LinkedHashMap<>();
                    em.put(k, v);
                    e = em;
                }
                l.add(e);
                if (last) {
                    out.add(new Slot(null, l, null, l.size() - 1));
                } else {
                    find(e, parts, i + 1, create, sample, out);
                }
            }
            return;
        }
        if (node instanceof List<?> && (p.equals("-") || isIndex(p))) {
            List<Object> l = Nodes.asList(node);
            int idx = p.equals("-") ? l.size() - 1 : Integer.parseInt(p);
            if (idx < 0 || idx >= l.size()) {
                return;
            }
            if (last) {
                out.add(new Slot(null, l, null, idx));
            } else {
                find(l.get(idx), parts, i + 1, create, sample, out);
            }
            return;
        }
        if (node instanceof List<?>) {
            throw new KustomizeException("wrong Node Kind for " + String.join(".", parts.subList(0, i))
                    + " expected: MappingNode was SequenceNode");
        }
        Map<String, Object> m = Nodes.asMap(node);
        if (m == null) {
            return;
        }
        if (!m.containsKey(p) || m.get(p) == null) {
            if (!create) {
                if (last && m.containsKey(p)) {
                    out.add(new Slot(m, null, p, 0));
                }
                return;
            }
            Object v;
            if (last) {
                v = sample instanceof Map ? new LinkedHashMap<String, Object>()
                        : sample instanceof List ? new ArrayList<>() : CREATED;
            } else if (parts.get(i + 1).startsWith("[")) {
                v = new ArrayList<>();
            } else {
                v = new LinkedHashMap<String, Object>();
            }
            m.put(p, v);
        }
        if (last) {
            out.add(new Slot(m, null, p, 0));
        } else {
            find(m.get(p), parts, i + 1, create, sample, out);
        }
    }

    private static boolean isIndex(String p) {
        if (p.isEmpty()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (!Character.isDigit(p.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Value for a scalar field after its text changes: the field keeps its YAML type (as kyaml keeps the tag). */
    static Object retype(Object old, String text) {
        if (old instanceof String || old == null) {
            return old == null ? GoScalars.resolvePlainV3(text) : text;
        }
        try {
            if (old instanceof Boolean) {
                return GoScalars.resolveTagged("tag:yaml.org,2002:bool", text);
            }
            if (old instanceof Double) {
                return GoScalars.resolveTagged("tag:yaml.org,2002:float", text);
            }
            return GoScalars.resolveTagged("tag:yaml.org,2002:int", text);
        } catch (IllegalArgumentException e) {
            throw new KustomizeException(e.getMessage());
        }
    }
}
