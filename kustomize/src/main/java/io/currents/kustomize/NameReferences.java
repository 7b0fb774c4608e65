package io.currents.kustomize;

import java.util.ArrayList;
import java.util.HashMap;
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

    /** What the rewrite needs to know of every resource; names do not change while references are fixed. */
    private static final class Info {
        final Resource r;
        final List<ResId> prevIds;
        final ResId cur;
        final boolean clusterScoped;
        final int order;

        Info(Resource r, int order) {
            this.r = r;
            this.prevIds = r.prevIds();
            this.cur = r.curId();
            this.clusterScoped = cur.isClusterScoped();
            this.order = order;
        }
    }

    private record Rule(FieldSpec spec, Gvk target) {
    }

    static void fix(ResMap m, TransformerConfig config) {
        List<Info> infos = new ArrayList<>();
        Map<String, List<Info>> byName = new HashMap<>();
        for (Resource r : m) {
            Info info = new Info(r, infos.size());
            infos.add(info);
            Set<String> names = new HashSet<>();
            for (ResId id : info.prevIds) {
                if (names.add(id.name())) {
                    byName.computeIfAbsent(id.name(), k -> new ArrayList<>()).add(info);
                }
            }
        }
        // per referrer, the rules that may apply (kustomize selects referrers by their original type)
        Map<Info, List<Rule>> rules = new LinkedHashMap<>();
        for (TransformerConfig.NameBackRef ref : config.nameReference) {
            for (FieldSpec fs : ref.referrers()) {
                for (Info info : infos) {
                    if (info.r.orgId().gvk().isSelectedBy(fs.gvk())) {
                        rules.computeIfAbsent(info, x -> new ArrayList<>()).add(new Rule(fs, ref.target()));
                    }
                }
            }
        }
        for (Map.Entry<Info, List<Rule>> e : rules.entrySet()) {
            Info referrer = e.getKey();
            Predicate<Info> couldBeReferenced = couldBeReferenced(referrer);
            for (Rule rule : e.getValue()) {
                FieldSpec spec = new FieldSpec(referrer.r.gvk(), rule.spec().path(), false);
                Ctx ctx = new Ctx(referrer, rule, byName, couldBeReferenced);
                try {
                    spec.apply(referrer.r.obj, FieldSpec.CreateKind.NONE, node -> set(node, ctx));
                } catch (KustomizeException ex) {
                    throw new KustomizeException("updating name reference in '" + rule.spec().path() + "' field of '"
                            + referrer.cur + "': " + ex.getMessage(), ex);
                }
            }
        }
    }

    private record Ctx(Info referrer, Rule rule, Map<String, List<Info>> byName, Predicate<Info> subset) {
        List<Info> candidates(String name) {
            List<Info> out = new ArrayList<>();
            for (Info i : byName.getOrDefault(name, List.of())) {
                if (subset.test(i)) {
                    out.add(i);
                }
            }
            return out;
        }
    }

    private static Object set(Object node, Ctx ctx) {
        if (node == null) {
            return FieldSpec.UNCHANGED;
        }
        if (node instanceof Map<?, ?>) {
            setMapping(Nodes.asMap(node), ctx);
            return FieldSpec.UNCHANGED;
        }
        if (node instanceof List<?> l) {
            List<Object> list = Nodes.asList(l);
            for (int i = 0; i < list.size(); i++) {
                Object x = list.get(i);
                if (x instanceof Map<?, ?>) {
                    setMapping(Nodes.asMap(x), ctx);
                } else if (x != null) {
                    Object r = setScalar(Nodes.scalarText(x), ctx);
                    if (r != FieldSpec.UNCHANGED) {
                        list.set(i, r);
                    }
                }
            }
            return FieldSpec.UNCHANGED;
        }
        return setScalar(Nodes.scalarText(node), ctx);
    }

    private static Object setScalar(String oldName, Ctx ctx) {
        Info referral = selectReferral(oldName, ctx.candidates(oldName), ctx, false);
        if (referral == null || referral.cur.name().equals(oldName)) {
            return FieldSpec.UNCHANGED;
        }
        return referral.cur.name();
    }

    private static boolean nsEquals(String a, String b) {
        return (a.isEmpty() ? "default" : a).equals(b.isEmpty() ? "default" : b);
    }

    private static void setMapping(Map<String, Object> node, Ctx ctx) {
        if (!node.containsKey("name")) {
            throw new KustomizeException("path config error; no 'name' field in node");
        }
        String oldName = Nodes.scalarText(node.get("name"));
        List<Info> candidates = ctx.candidates(oldName);
        if (node.containsKey("namespace")) {
            String ns = Nodes.scalarText(node.get("namespace"));
            // kustomize groups all candidates by original namespace, falling back to the current one
            boolean anyOrg = false;
            for (List<Info> l : ctx.byName().values()) {
                for (Info i : l) {
                    if (ctx.subset().test(i) && nsEquals(i.r.orgId().namespace(), ns)) {
                        anyOrg = true;
                        break;
                    }
                }
                if (anyOrg) {
                    break;
                }
            }
            List<Info> filtered = new ArrayList<>();
            for (Info i : candidates) {
                if (anyOrg ? nsEquals(i.r.orgId().namespace(), ns) : nsEquals(i.cur.namespace(), ns)) {
                    filtered.add(i);
                }
            }
            candidates = filtered;
        }
        Info referral = selectReferral(oldName, candidates, ctx, true);
        if (referral == null) {
            return;
        }
        if (referral.cur.name().equals(oldName) && referral.cur.namespace().isEmpty()) {
            return;
        }
        node.put("name", referral.cur.name());
        if (!referral.cur.namespace().isEmpty()) {
            node.put("namespace", referral.cur.namespace());
        }
    }

    private static List<Info> sieve(List<Info> in, Predicate<Info> p) {
        List<Info> out = new ArrayList<>();
        for (Info r : in) {
            if (p.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean anyPrevSelected(Info i, Gvk selector) {
        for (ResId id : i.prevIds) {
            if (id.gvk().isSelectedBy(selector)) {
                return true;
            }
        }
        return false;
    }

    private static Info selectReferral(String oldName, List<Info> candidates, Ctx ctx, boolean withNamespace) {
        Info referrer = ctx.referrer();
        List<Info> c = sieve(candidates, i -> anyPrevSelected(i, ctx.rule().target()));
        if (ctx.rule().spec().path().endsWith("roleRef/name")) {
            Gvk roleRef = roleRefGvk(referrer.r);
            if (roleRef != null) {
                c = sieve(c, i -> anyPrevSelected(i, roleRef));
            }
        }
        if (!referrer.clusterScoped) {
            c = sieve(c, i -> i.clusterScoped || i.r.kind().equals("ServiceAccount") || referrer.cur.isNsEquals(i.cur));
        }
        if (c.size() == 1) {
            return c.get(0);
        }
        c = sieve(c, i -> i.r.prefixesSuffixesEquals(referrer.r));
        if (c.size() == 1) {
            return c.get(0);
        }
        if (c.isEmpty()) {
            return null;
        }
        boolean same = true;
        for (Info i : c) {
            if (!i.cur.name().equals(c.get(0).cur.name())
                    || (withNamespace && !i.cur.namespace().equals(c.get(0).cur.namespace()))) {
                same = false;
                break;
            }
        }
        if (same) {
            return c.get(0);
        }
        List<String> ids = new ArrayList<>();
        for (Info i : c) {
            ids.add(i.cur.toString());
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

    /** kustomize's SubsetThatCouldBeReferencedByResource, as a test on each candidate. */
    private static Predicate<Info> couldBeReferenced(Info referrer) {
        if (referrer.clusterScoped) {
            return i -> true;
        }
        Set<String> roleBindingNamespaces = new HashSet<>();
        if (referrer.r.kind().equals("RoleBinding")) {
            List<Object> subjects = Nodes.asList(referrer.r.obj.get("subjects"));
            if (subjects != null) {
                for (Object s : subjects) {
                    String ns = Nodes.getString(s, "namespace");
                    if (ns != null && !ns.isEmpty()) {
                        roleBindingNamespaces.add(ns);
                    }
                }
            }
        }
        return i -> i.clusterScoped || i.cur.isNsEquals(referrer.cur) || roleBindingNamespaces.contains(i.cur.namespace());
    }
}
