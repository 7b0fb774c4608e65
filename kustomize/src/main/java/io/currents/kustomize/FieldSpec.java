package io.currents.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A field path in objects of some type, with whether a missing field is created (kustomize's FieldSpec). */
record FieldSpec(Gvk gvk, String path, boolean create) {

    static FieldSpec of(String path, boolean create) {
        return new FieldSpec(new Gvk("", "", ""), path, create);
    }

    static FieldSpec of(String group, String version, String kind, String path, boolean create) {
        return new FieldSpec(new Gvk(group, version, kind), path, create);
    }

    /** What to create at the end of the path when it is missing. */
    enum CreateKind { NONE, SCALAR, MAP }

    /** Returned by a setter to leave the value as it is. */
    static final Object UNCHANGED = new Object();

    boolean appliesTo(Resource r) {
        return appliesTo(r.gvk());
    }

    boolean appliesTo(Gvk g) {
        return (gvk.kind().isEmpty() || gvk.kind().equals(g.kind()))
                && (gvk.group().isEmpty() || gvk.group().equals(g.group()))
                && (gvk.version().isEmpty() || gvk.version().equals(g.version()));
    }

    /** Splits on '/', keeping "\/" inside a segment. */
    private static final java.util.concurrent.ConcurrentHashMap<String, List<String>> SPLIT_CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();

    static List<String> splitPath(String path) {
        return SPLIT_CACHE.computeIfAbsent(path, FieldSpec::doSplitPath);
    }

    private static List<String> doSplitPath(String path) {
        List<String> res = new ArrayList<>();
        for (String p : path.split("/", -1)) {
            if (!res.isEmpty() && res.get(res.size() - 1).endsWith("\\")) {
                String last = res.remove(res.size() - 1);
                res.add(last.substring(0, last.length() - 1) + "/" + p);
            } else {
                res.add(p);
            }
        }
        return List.copyOf(res);
    }

    /**
     * Visits the value(s) at this path in the object (sequences along the way are entered element by
     * element) and replaces each with what the setter returns.
     */
    void apply(Map<String, Object> obj, CreateKind createKind, UnaryOperator<Object> setter) {
        List<String> parts = splitPath(path);
        try {
            walk(obj, parts, 0, createKind, setter);
        } catch (KustomizeException e) {
            throw new KustomizeException("considering field '" + path + "' of object " + describe(obj) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String describe(Map<String, Object> obj) {
        Resource r = new Resource(obj);
        return r.curId().toString();
    }

    private Object walk(Object node, List<String> parts, int i, CreateKind ck, UnaryOperator<Object> setter) {
        if (i == parts.size()) {
            return setter.apply(node);
        }
        if (node == null) {
            return UNCHANGED;
        }
        if (node instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) l;
            for (int j = 0; j < list.size(); j++) {
                Object r = walk(list.get(j), parts, i, ck, setter);
                if (r != UNCHANGED) {
                    list.set(j, r);
                }
            }
            return UNCHANGED;
        }
        Map<String, Object> m = Nodes.asMap(node);
        if (m == null) {
            throw new KustomizeException("expected sequence or mapping node");
        }
        String name = parts.get(i);
        boolean isSeq = false;
        if (name.endsWith("[]")) {
            name = name.substring(0, name.length() - 2);
            isSeq = true;
        }
        if (name.isEmpty()) {
            throw new KustomizeException("cannot set or create an empty field name");
        }
        boolean last = i == parts.size() - 1;
        CreateKind kind = CreateKind.NONE;
        boolean seqKind = false;
        boolean creating = create && ck != CreateKind.NONE && !isSeq;
        if (!creating) {
            seqKind = isSeq;
        } else if (last) {
            kind = ck;
        } else {
            kind = CreateKind.MAP;
        }
        if (!m.containsKey(name)) {
            if (!creating) {
                return UNCHANGED;
            }
            m.put(name, kind == CreateKind.MAP ? new LinkedHashMap<String, Object>() : "");
        } else if (m.get(name) == null) {
            if (seqKind) {
                m.put(name, new ArrayList<>());
            } else if (kind == CreateKind.MAP) {
                m.put(name, new LinkedHashMap<String, Object>());
            } else if (kind == CreateKind.SCALAR) {
                m.put(name, "");
            }
        }
        Object r = walk(m.get(name), parts, i + 1, ck, setter);
        if (r != UNCHANGED) {
            m.put(name, r);
        }
        return UNCHANGED;
    }
}
