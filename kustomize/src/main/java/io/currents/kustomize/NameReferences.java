package io.currents.kustomize;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rewrites references to objects whose names changed (prefix, suffix, hash, namespace), using the
 * name-reference table: e.g. a Deployment's configMapRef follows its ConfigMap's new name.
 */
final class NameReferences {
    private NameReferences() {
    }

    static void fix(ResMap m, TransformerConfig config) {
        // per referrer, the rules that may apply (kustomize selects referrers by their original type)
        Map<Resource, List<Object[]>> filters = new LinkedHashMap<>();
        for (TransformerConfig.NameBackRef ref : config.nameReference) {
            for (FieldSpec fs : ref.referrers()) {
                for (Resource r : m) {
                    if (r.orgId().gvk().isSelectedBy(fs.gvk())) {
                        filters.computeIfAbsent(r, x -> new ArrayList<>()).add(new Object[] {fs, ref.target()});
                    }
                }
            }
        }
        for (Map.Entry<Resource, List<Object[]>> e : filters.entrySet()) {
            Resource referrer = e.getKey();
            List<Resource> candidates = subsetThatCouldBeReferenced(m, referrer);
            for (Object[] f : e.getValue()) {
                FieldSpec fs = (FieldSpec) f[0];
                Gvk target = (Gvk) f[1];
                FieldSpec spec = new FieldSpec(referrer.gvk(), fs.path(), false);
                try {
                    spec.apply(referrer.obj, FieldSpec.CreateKind.NONE,
                            node -> set(node, referrer, target, fs, candidates, m));
                } catch (KustomizeException ex) {
                    throw new KustomizeException("updating name reference in '" + fs.path() + "' field of '"
                            + referrer.curId() + "': " + ex.getMessage(), ex);
                }
            }
        }
    }

    private static Object set(Object node, Resource referrer, Gvk target, FieldSpec fs, List<Resource> candidates,
                              ResMap m) {
        if (node == null) {
            return FieldSpec.UNCHANGED;
        }
        if (node instanceof Map<?, ?>) {
            setMapping(Nodes.asMap(node), referrer, target, fs, m, candidates);
            return FieldSpec.UNCHANGED;
        }
        if (node instanceof List<?> l) {
            List<Object> list = Nodes.asList(l);
            for (int i = 0; i < list.size(); i++) {
                Object x = list.get(i);
                if (x instanceof Map<?, ?>) {
                    setMapping(Nodes.asMap(x), referrer, target, fs, m, candidates);
                } else if (x != null) {
                    Object r = setScalar(Nodes.scalarText(x), referrer, target, fs, candidates);
                    if (r != FieldSpec.UNCHANGED) {
                        list.set(i, r);
                    }
                }
            }
            return FieldSpec.UNCHANGED;
        }
        return setScalar(Nodes.scalarText(node), referrer, target, fs, candidates);
    }

    private static Object setScalar(String oldName, Resource referrer, Gvk target, FieldSpec fs,
                                    List<Resource> candidates) {
        Resource referral = selectReferral(oldName, candidates, referrer, target, fs, false);
        if (referral == null || referral.name().equals(oldName)) {
            return FieldSpec.UNCHANGED;
        }
        return referral.name();
    }

    private static void setMapping(Map<String, Object> node, Resource referrer, Gvk target, FieldSpec fs, ResMap m,
                                   List<Resource> all) {
        if (!node.containsKey("name")) {
            throw new KustomizeException("path config error; no 'name' field in node");
        }
        List<Resource> candidates = all;
        if (node.containsKey("namespace")) {
            String ns = Nodes.scalarText(node.get("namespace"));
            List<Resource> byOrg = new ArrayList<>();
            for (Resource r : all) {
                if (nsEquals(r.orgId().namespace(), ns)) {
                    byOrg.add(r);
                }
            }
            if (byOrg.isEmpty()) {
                for (Resource r : all) {
                    if (nsEquals(r.namespace(), ns)) {
                        byOrg.add(r);
                    }
                }
            }
            candidates = byOrg;
        }
        String oldName = Nodes.scalarText(node.get("name"));
        Resource referral = selectReferral(oldName, candidates, referrer, target, fs, true);
        if (referral == null) {
            return;
        }
        if (referral.name().equals(oldName) && referral.namespace().isEmpty()) {
            return;
        }
        node.put("name", referral.name());
        if (!referral.namespace().isEmpty()) {
            node.put("namespace", referral.namespace());
        }
    }

    private static boolean nsEquals(String a, String b) {
        return (a.isEmpty() ? "default" : a).equals(b.isEmpty() ? "default" : b);
    }

    private static List<Resource> sieve(List<Resource> in, Predicate<Resource> p) {
        List<Resource> out = new ArrayList<>();
        for (Resource r : in) {
            if (p.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private static Resource selectReferral(String oldName, List<Resource> candidates, Resource referrer, Gvk target,
                                           FieldSpec fs, boolean withNamespace) {
        List<Resource> c = sieve(candidates, r -> r.prevIds().stream().anyMatch(id -> id.name().equals(oldName)));
        c = sieve(c, r -> r.prevIds().stream().anyMatch(id -> id.gvk().isSelectedBy(target)));
        if (fs.path().endsWith("roleRef/name")) {
            Gvk roleRef = roleRefGvk(referrer);
            if (roleRef != null) {
                c = sieve(c, r -> r.prevIds().stream().anyMatch(id -> id.gvk().isSelectedBy(roleRef)));
            }
        }
        ResId refId = referrer.curId();
        if (!refId.isClusterScoped()) {
            c = sieve(c, r -> r.curId().isClusterScoped() || r.kind().equals("ServiceAccount")
                    || refId.isNsEquals(r.curId()));
        }
        if (c.size() == 1) {
            return c.get(0);
        }
        c = sieve(c, r -> r.prefixesSuffixesEquals(referrer));
        if (c.size() == 1) {
            return c.get(0);
        }
        if (c.isEmpty()) {
            return null;
        }
        boolean same = true;
        for (Resource r : c) {
            if (!r.name().equals(c.get(0).name()) || (withNamespace && !r.namespace().equals(c.get(0).namespace()))) {
                same = false;
                break;
            }
        }
        if (same) {
            return c.get(0);
        }
        List<String> ids = new ArrayList<>();
        for (Resource r : c) {
            ids.add(r.curId().toString());
        }
        throw new KustomizeException(" found multiple possible referrals: " + String.join(", ", ids));
    }

    private static Gvk roleRefGvk(Resource referrer) {
        Map<String, Object> roleRef = Nodes.asMap(referrer.obj.get("roleRef"));
        if (roleRef == null || roleRef.get("apiGroup") == null || roleRef.get("kind") == null) {
            return null;
        }
        return new Gvk(Nodes.scalarText(roleRef.get("apiGroup")), "", Nodes.scalarText(roleRef.get("kind")));
    }

    private static List<Resource> subsetThatCouldBeReferenced(ResMap m, Resource referrer) {
        ResId refId = referrer.curId();
        if (refId.isClusterScoped()) {
            return new ArrayList<>(m.list);
        }
        Set<String> roleBindingNamespaces = new HashSet<>();
        if (referrer.kind().equals("RoleBinding")) {
            List<Object> subjects = Nodes.asList(referrer.obj.get("subjects"));
            if (subjects != null) {
                for (Object s : subjects) {
                    String ns = Nodes.getString(s, "namespace");
                    if (ns != null && !ns.isEmpty()) {
                        roleBindingNamespaces.add(ns);
                    }
                }
            }
        }
        List<Resource> out = new ArrayList<>();
        for (Resource r : m) {
            ResId id = r.curId();
            if (id.isClusterScoped() || id.isNsEquals(refId) || roleBindingNamespaces.contains(r.namespace())) {
                out.add(r);
            }
        }
        return out;
    }
}
