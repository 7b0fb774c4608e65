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

    /** What to create at the end of the path when it is missing (kyaml's node kinds; NONE creates nothing). */
    enum CreateKind { NONE, SCALAR, MAP, SEQ }

    /** Returned by a setter to leave the value as it is. */
    static final Object UNCHANGED = new Object();

    boolean appliesTo(Resource r) {
        return appliesTo(r.gvk());
    }

    /** kustomize's isMatchGVK: the spec's non-empty group, version and kind equal the object's. */
    boolean appliesTo(Gvk g) {
        return (gvk.kind().isEmpty() || gvk.kind().equals(g.kind()))
                && (gvk.group().isEmpty() || gvk.group().equals(g.group()))
                && (gvk.version().isEmpty() || gvk.version().equals(g.version()));
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, List<String>> SPLIT_CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** kyaml's PathSplitter on '/': a leading slash is dropped, "\/" stays inside a segment. */
    static List<String> splitPath(String path) {
        return SPLIT_CACHE.computeIfAbsent(path, FieldSpec::doSplitPath);
    }

    private static List<String> doSplitPath(String path) {
        String[] ps = path.split("/", -1);
        int start = ps.length > 1 && ps[0].isEmpty() ? 1 : 0;
        List<String> res = new ArrayList<>();
        res.add(ps[start]);
        for (int i = start + 1; i < ps.length; i++) {
            String last = res.get(res.size() - 1);
            if (last.endsWith("\\")) {
                res.set(res.size() - 1, last.substring(0, last.length() - 1) + "/" + ps[i]);
            } else {
                res.add(ps[i]);
            }
        }
        return List.copyOf(res);
    }

    /**
     * kustomize's fieldspec filter: when the object's type matches, visits the value(s) at this path
     * (sequences along the way are entered element by element, missing fields created when the spec
     * says so) and replaces each with what the setter returns.
     */
    void apply(Map<String, Object> obj, CreateKind createKind, UnaryOperator<Object> setter) {
        if (!appliesTo(Gvk.of(Nodes.getString(obj, "apiVersion"), Nodes.getString(obj, "kind")))) {
            return;
        }
        applyMatched(obj, createKind, setter);
    }

    /** {@link #apply} on a resource, whose type is known. */
    void apply(Resource r, CreateKind createKind, UnaryOperator<Object> setter) {
        if (!appliesTo(r.gvk())) {
            return;
        }
        applyMatched(r.obj, createKind, setter);
    }

    private void applyMatched(Map<String, Object> obj, CreateKind createKind, UnaryOperator<Object> setter) {
        List<String> parts = splitPath(path);
        try {
            Object r = walk(obj, parts, 0, createKind, setter);
            if (r != UNCHANGED) {
                throw new KustomizeException("cannot replace the object itself");
            }
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
            try {
                for (int j = 0; j < list.size(); j++) {
                    Object r = walk(list.get(j), parts, i, ck, setter);
                    if (r != UNCHANGED) {
                        list.set(j, r);
                    }
                }
            } catch (KustomizeException e) {
                // kustomize's handleSequence names the path still to walk, as Go prints a []string
                throw new KustomizeException("visit traversal on path: [" + String.join(" ", parts.subList(i, parts.size()))
                        + "]: " + e.getMessage(), e);
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
        CreateKind kind;
        boolean creating;
        if (!create || ck == CreateKind.NONE || isSeq) {
            creating = false;
            kind = isSeq ? CreateKind.SEQ : CreateKind.NONE;
        } else if (parts.size() - i <= 1) {
            creating = true;
            kind = ck;
        } else {
            creating = true;
            kind = CreateKind.MAP;
        }
        if (!m.containsKey(name)) {
            if (!creating) {
                return UNCHANGED;
            }
            m.put(name, empty(kind));
        } else if (m.get(name) == null && kind != CreateKind.NONE) {
            // a null field takes the kind it is used as
            m.put(name, empty(kind));
        }
        Object r = walk(m.get(name), parts, i + 1, ck, setter);
        if (r != UNCHANGED) {
            m.put(name, r);
        }
        return UNCHANGED;
    }

    private static Object empty(CreateKind kind) {
        return switch (kind) {
            case MAP -> new LinkedHashMap<String, Object>();
            case SEQ -> new ArrayList<>();
            default -> "";
        };
    }
}
