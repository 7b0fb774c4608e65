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
        ResId id = r.curId();
        for (Resource o : list) {
            if (o.curId().matches(id)) {
                throw new KustomizeException("may not add resource with an already registered id: " + id);
            }
        }
        list.add(r);
    }

    void appendAll(ResMap other) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Resource r : list) {
            keys.add(r.curId().key());
        }
        for (Resource r : other.list) {
            ResId id = r.curId();
            if (!keys.add(id.key())) {
                throw new KustomizeException("may not add resource with an already registered id: " + id);
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

    /** Resources matched by a patch or replacement target selector. */
    List<Resource> select(Selector s) {
        List<Resource> out = new ArrayList<>();
        GoRegex name = s.name().isEmpty() ? null : compile(s.name());
        GoRegex ns = s.namespace().isEmpty() ? null : compile(s.namespace());
        for (Resource r : list) {
            ResId cur = r.curId();
            ResId org = r.orgId();
            if (ns != null && !ns.matches(org.effectiveNamespace()) && !ns.matches(cur.effectiveNamespace())) {
                continue;
            }
            if (name != null && !name.matches(org.name()) && !name.matches(cur.name())) {
                continue;
            }
            if (!r.gvk().isSelectedBy(s.gvk())) {
                continue;
            }
            if (!s.labelSelector().isEmpty() && !LabelSelector.parse(s.labelSelector()).matches(r.labels())) {
                continue;
            }
            if (!s.annotationSelector().isEmpty()
                    && !LabelSelector.parse(s.annotationSelector()).matches(r.annotations())) {
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
            throw new KustomizeException(e.getMessage());
        }
    }

    /** kustomize's selector: gvk fields, name and namespace regexes, label and annotation selectors. */
    record Selector(Gvk gvk, String name, String namespace, String labelSelector, String annotationSelector) {
        static Selector fromMap(Map<String, Object> m, String field) {
            if (m == null) {
                return null;
            }
            return new Selector(
                    new Gvk(Kustomization.asString(m.get("group"), field), Kustomization.asString(m.get("version"), field),
                            Kustomization.asString(m.get("kind"), field)),
                    Kustomization.asString(m.get("name"), field),
                    Kustomization.asString(m.get("namespace"), field),
                    Kustomization.asString(m.get("labelSelector"), field),
                    Kustomization.asString(m.get("annotationSelector"), field));
        }
    }
}
