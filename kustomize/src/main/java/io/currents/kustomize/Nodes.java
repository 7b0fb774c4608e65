package io.currents.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers over the plain-Java document model (maps, lists and scalars). */
final class Nodes {
    private Nodes() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        return o instanceof List<?> ? (List<Object>) o : null;
    }

    static Object deepCopy(Object o) {
        if (o instanceof io.currents.kustomize.yaml.YamlMap ym) {
            io.currents.kustomize.yaml.YamlMap c = ym.emptyCopy();
            for (Map.Entry<String, Object> e : ym.entrySet()) {
                c.put(e.getKey(), deepCopy(e.getValue()));
            }
            return c;
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>(Math.max(4, m.size() * 2));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                c.put((String) e.getKey(), deepCopy(e.getValue()));
            }
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>(l.size());
            for (Object x : l) {
                c.add(deepCopy(x));
            }
            return c;
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copyMap(Map<String, Object> m) {
        return (Map<String, Object>) deepCopy(m);
    }

    /** Follows a path of map keys; null when absent. */
    static Object get(Object root, String... keys) {
        Object cur = root;
        for (String k : keys) {
            Map<String, Object> m = asMap(cur);
            if (m == null) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }

    static String getString(Object root, String... keys) {
        Object v = get(root, keys);
        return v == null ? null : scalarText(v);
    }

    /** The text a scalar has in YAML (what kyaml's node Value holds, for resolved scalars). */
    static String scalarText(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return io.currents.kustomize.yaml.GoScalars.formatFloatYamlV2(d);
        }
        return v.toString();
    }

    /** kyaml's text of a map entry's scalar value: as written in the file while unchanged, else as formatted. */
    static String entryText(Map<String, Object> m, String key) {
        if (m instanceof io.currents.kustomize.yaml.YamlMap ym) {
            String t = ym.writtenText(key);
            if (t != null) {
                return t;
            }
        }
        Object v = m.get(key);
        return v == null ? "" : scalarText(v);
    }

    static Map<String, Object> getOrCreateMap(Map<String, Object> m, String key) {
        Map<String, Object> c = asMap(m.get(key));
        if (c == null) {
            c = new LinkedHashMap<>();
            m.put(key, c);
        }
        return c;
    }

    static boolean isScalar(Object o) {
        return !(o instanceof Map) && !(o instanceof List);
    }
}
