package io.currents.kustomize;

import io.currents.api.regex.GoRegex;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** An ordered set of resources with unique current ids (kustomize's ResMap). */
final class ResMap implements Iterable<Resource> {
    final List<Resource> list = new ArrayList<>();

    @Override
    public Iterator<Resource> iterator() {
        return list.iterator();
    }

    int size() {
        return list.size();
    }

    void append(Resource r) {
        String key = r.curKey();
        for (Resource o : list) {
            if (o.curKey().equals(key)) {
                throw new KustomizeException("may not add resource with an already registered id: " + r.curId());
            }
        }
        list.add(r);
    }

    void appendAll(ResMap other) {
        java.util.Set<String> keys = new java.util.HashSet<>(Math.max(16, (list.size() + other.list.size()) * 2));
        for (Resource r : list) {
            keys.add(r.curKey());
        }
        for (Resource r : other.list) {
            if (!keys.add(r.curKey())) {
                throw new KustomizeException("may not add resource with an already registered id: " + r.curId());
            }
            list.add(r);
        }
    }

    List<Resource> matchingAnyId(Predicate<ResId> p) {
        List<Resource> out = new ArrayList<>();
        for (Resource r : list) {
            for (ResId id : r.prevIds()) {
                if (p.test(id)) {
                    out.add(r);
                    break;
                }
            }
        }
        return out;
    }

    List<Resource> matchingCurrentId(Predicate<ResId> p) {
        List<Resource> out = new ArrayList<>();
        for (Resource r : list) {
            if (p.test(r.curId())) {
                out.add(r);
            }
        }
        return out;
    }

    /** The one resource that has or had this id; kustomize's GetById as used by patches. */
    Resource getById(ResId id) {
        List<Resource> m = matchingAnyId(id::matches);
        if (m.size() == 1) {
            return m.get(0);
        }
        if (m.isEmpty()) {
            throw new KustomizeException("no matches for Id " + id + "; failed to find unique target for patch " + id);
        }
        throw new KustomizeException("multiple matches for Id " + id + "; failed to find unique target for patch " + id);
    }

    void remove(Resource r) {
        list.remove(r);
    }

    void replace(Resource old, Resource r) {
        int i = list.indexOf(old);
        list.set(i, r);
    }

    /** kustomize's ResMap.Select: by anchored regexes on type, name and namespace (original or current), and selectors. */
    List<Resource> select(Selector s) {
        List<Resource> out = new ArrayList<>();
        GoRegex group = s.gvk().group().isEmpty() ? null : compile(s.gvk().group());
        GoRegex version = s.gvk().version().isEmpty() ? null : compile(s.gvk().version());
        GoRegex kind = s.gvk().kind().isEmpty() ? null : compile(s.gvk().kind());
        GoRegex name = s.name().isEmpty() ? null : compile(s.name());
        GoRegex ns = s.namespace().isEmpty() ? null : compile(s.namespace());
        LabelSelector labels = s.labelSelector().isEmpty() ? null : LabelSelector.parse(s.labelSelector());
        LabelSelector annotations = s.annotationSelector().isEmpty() ? null : LabelSelector.parse(s.annotationSelector());
        for (Resource r : list) {
            ResId cur = r.curId();
            ResId org = r.orgId();
            if (ns != null && !ns.matches(org.effectiveNamespace()) && !ns.matches(cur.effectiveNamespace())) {
                continue;
            }
            if (name != null && !name.matches(org.name()) && !name.matches(cur.name())) {
                continue;
            }
            Gvk g = r.gvk();
            if (group != null && !group.matches(g.group()) || version != null && !version.matches(g.version())
                    || kind != null && !kind.matches(g.kind())) {
                continue;
            }
            if (labels != null && !labels.matches(r.labels())) {
                continue;
            }
            if (annotations != null && !annotations.matches(r.annotations())) {
                continue;
            }
            out.add(r);
        }
        return out;
    }

    private static GoRegex compile(String re) {
        try {
            return GoRegex.compileWhole(re);
        } catch (GoRegex.InvalidRegexException e) {
            throw new KustomizeException("error parsing regexp: " + e.reason() + ": `" + re + "`");
        }
    }

    /** kustomize's types.Selector: a group, version, kind, name and namespace (regexes), and label/annotation selectors. */
    record Selector(Gvk gvk, String name, String namespace, String labelSelector, String annotationSelector) {
        /** From a decoded selector; null for none. */
        static Selector fromMap(Map<String, Object> m) {
            if (m == null) {
                return null;
            }
            return new Selector(TransformerConfig.gvk(m), BuiltinPlugin.str(m, "name"), BuiltinPlugin.str(m, "namespace"),
                    BuiltinPlugin.str(m, "labelSelector"), BuiltinPlugin.str(m, "annotationSelector"));
        }

        @Override
        public String toString() {
            return new ResId(gvk, name, namespace).toString();
        }
    }
}
