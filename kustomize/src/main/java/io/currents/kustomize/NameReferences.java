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
 * kustomize's name-reference fix-up: after every rename (prefix, suffix, hash, namespace, patches), the
 * fields the name-reference table names follow the renamed objects. A reference is rewritten when
 * exactly one object could be meant: one that had that name before, of the referenced type, in a
 * namespace the referrer can see, and (when several remain) built in the same prefix/suffix context.
 */
final class NameReferences {
    private NameReferences() {
    }

    /** What the rewrite needs to know of every resource; ids do not change while references are fixed. */
    private static final class Info {
        final Resource r;
        final List<ResId> previous;
        final ResId cur;
        final ResId org;
        final boolean clusterScoped;
        final String curNs;
        final String rawNs;
        final boolean serviceAccount;
        private final Map<Gvk, Boolean> selected = new HashMap<>();

        Info(Resource r) {
            this.r = r;
            this.previous = r.previousIdsNow();
            this.cur = r.curId();
            this.org = previous.isEmpty() ? cur : previous.get(0);
            this.clusterScoped = cur.isClusterScoped();
            this.curNs = cur.effectiveNamespace();
            this.rawNs = r.namespace();
            this.serviceAccount = r.kind().equals("ServiceAccount");
        }

        /** Whether a previous id is selected by this type (kustomize's previousIdSelectedByGvk), remembered. */
        boolean previousSelected(Gvk selector) {
            Boolean b = selected.get(selector);
            if (b == null) {
                b = false;
                for (ResId id : previous) {
                    if (id.gvk().isSelectedBy(selector)) {
                        b = true;
                        break;
                    }
                }
                selected.put(selector, b);
            }
            return b;
        }
    }

    private record Rule(FieldSpec spec, Gvk target) {
    }

    static void fix(ResMap m, TransformerConfig config) {
        List<Info> infos = new ArrayList<>();
        // objects by each of their previous names: only renamed objects can be referral targets
        Map<String, List<Info>> byPreviousName = new HashMap<>();
        for (Resource r : m) {
            Info info = new Info(r);
            infos.add(info);
            Set<String> names = new HashSet<>();
            for (ResId id : info.previous) {
                if (names.add(id.name())) {
                    byPreviousName.computeIfAbsent(id.name(), k -> new ArrayList<>()).add(info);
                }
            }
        }
        if (byPreviousName.isEmpty()) {
            // nothing was renamed: only kustomize's check of role binding subjects remains to be done
            for (Info info : infos) {
                couldBeReferenced(info);
            }
            return;
        }
        Map<Info, List<Rule>> rules = new LinkedHashMap<>();
        for (TransformerConfig.NameBackRef ref : config.nameReference) {
            for (FieldSpec fs : ref.referrers()) {
                for (Info info : infos) {
                    if (info.org.gvk().isSelectedBy(fs.gvk())) {
                        rules.computeIfAbsent(info, x -> new ArrayList<>()).add(new Rule(fs, ref.target()));
                    }
                }
            }
        }
        for (Map.Entry<Info, List<Rule>> e : rules.entrySet()) {
            Info referrer = e.getKey();
            Predicate<Info> visible = couldBeReferenced(referrer);
            for (Rule rule : e.getValue()) {
                FieldSpec spec = new FieldSpec(referrer.r.gvk(), rule.spec().path(), false);
                Ctx ctx = new Ctx(referrer, rule, byPreviousName, visible, infos);
                try {
                    spec.apply(referrer.r, FieldSpec.CreateKind.NONE, node -> set(node, ctx));
                } catch (KustomizeException ex) {
                    throw new KustomizeException("updating name reference in '" + rule.spec().path() + "' field of '"
                            + referrer.cur + "': " + ex.getMessage(), ex);
                }
            }
        }
    }

    private record Ctx(Info referrer, Rule rule, Map<String, List<Info>> byPreviousName, Predicate<Info> visible,
                       List<Info> all) {
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
                if (x == null) {
                    continue;
                }
                if (x instanceof Map<?, ?>) {
                    setMapping(Nodes.asMap(x), ctx);
                } else if (x instanceof List<?>) {
                    throw new KustomizeException("a sequence element is expected to be either a string or a map of string");
                } else {
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
        Info referral = selectReferral(oldName, visibleNamed(oldName, ctx), ctx, false);
        if (referral == null || referral.cur.name().equals(oldName)) {
            return FieldSpec.UNCHANGED;
        }
        return referral.cur.name();
    }

    private static List<Info> visibleNamed(String name, Ctx ctx) {
        List<Info> out = new ArrayList<>();
        for (Info i : ctx.byPreviousName().getOrDefault(name, List.of())) {
            if (ctx.visible().test(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static void setMapping(Map<String, Object> node, Ctx ctx) {
        if (!node.containsKey("name")) {
            throw new KustomizeException("path config error; no 'name' field in node");
        }
        String oldName = node.get("name") == null ? "" : Nodes.scalarText(node.get("name"));
        List<Info> candidates = visibleNamed(oldName, ctx);
        if (node.containsKey("namespace")) {
            candidates = byNamespace(candidates, node.get("namespace") == null ? "" : Nodes.scalarText(node.get("namespace")),
                    ctx);
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

    /**
     * kustomize's filterMapCandidatesByNamespace: the candidates whose original namespace is the one named,
     * or, when no visible object had that original namespace, those whose current namespace it is.
     */
    private static List<Info> byNamespace(List<Info> candidates, String ns, Ctx ctx) {
        boolean anyOriginal = false;
        for (Info i : ctx.all()) {
            if (ctx.visible().test(i) && !i.org.isClusterScoped() && i.org.effectiveNamespace().equals(ns)) {
                anyOriginal = true;
                break;
            }
        }
        List<Info> out = new ArrayList<>();
        for (Info i : candidates) {
            ResId id = anyOriginal ? i.org : i.cur;
            if (!id.isClusterScoped() && id.effectiveNamespace().equals(ns)) {
                out.add(i);
            }
        }
        return out;
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

    private static Info selectReferral(String oldName, List<Info> candidates, Ctx ctx, boolean withNamespace) {
        Info referrer = ctx.referrer();
        List<Info> c = sieve(candidates, i -> i.previousSelected(ctx.rule().target()));
        if (ctx.rule().spec().path().endsWith("roleRef/name")) {
            Gvk roleRef = roleRefGvk(referrer.r);
            if (roleRef != null) {
                c = sieve(c, i -> i.previousSelected(roleRef));
            }
        }
        if (!referrer.clusterScoped) {
            c = sieve(c, i -> i.clusterScoped || i.serviceAccount || referrer.curNs.equals(i.curNs));
        }
        if (c.size() == 1) {
            return c.get(0);
        }
        c = sieve(c, i -> prefixesSuffixesEqual(i.r, referrer.r, true));
        if (c.size() > 1) {
            c = sieve(c, i -> prefixesSuffixesEqual(i.r, referrer.r, false));
        }
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
        throw new KustomizeException("found multiple possible referrals: " + String.join(", ", ids));
    }

    /** kustomize's PrefixesSuffixesEquals; with allowEmpty an empty list on either side matches anything. */
    private static boolean prefixesSuffixesEqual(Resource a, Resource b, boolean allowEmpty) {
        if (allowEmpty) {
            boolean prefixEmpty = a.prefixes.isEmpty() || b.prefixes.isEmpty();
            boolean suffixEmpty = a.suffixes.isEmpty() || b.suffixes.isEmpty();
            return (prefixEmpty || sameEndingSubSlice(a.prefixes, b.prefixes))
                    && (suffixEmpty || sameEndingSubSlice(a.suffixes, b.suffixes));
        }
        return sameEndingSubSlice(a.prefixes, b.prefixes) && sameEndingSubSlice(a.suffixes, b.suffixes);
    }

    /** kustomize's SameEndingSubSlice: the shorter list is the end of the longer; two empty lists are equal. */
    private static boolean sameEndingSubSlice(List<String> a, List<String> b) {
        List<String> shortest = a.size() <= b.size() ? a : b;
        List<String> longest = a.size() <= b.size() ? b : a;
        int diff = longest.size() - shortest.size();
        if (shortest.isEmpty()) {
            return diff == 0;
        }
        for (int i = shortest.size() - 1; i >= 0; i--) {
            if (!longest.get(i + diff).equals(shortest.get(i))) {
                return false;
            }
        }
        return true;
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
                    Map<String, Object> sm = Nodes.asMap(s);
                    if (sm == null || !sm.containsKey("namespace") || !"ServiceAccount".equals(sm.get("kind"))) {
                        continue;
                    }
                    if (!(sm.get("namespace") instanceof String ns)) {
                        throw new KustomizeException("Invalid Input: namespace is blank for resource \"" + referrer.cur + "\"");
                    }
                    roleBindingNamespaces.add(ns);
                }
            }
        }
        if (roleBindingNamespaces.isEmpty()) {
            return i -> i.clusterScoped || i.curNs.equals(referrer.curNs);
        }
        return i -> i.clusterScoped || i.curNs.equals(referrer.curNs) || roleBindingNamespaces.contains(i.rawNs);
    }
}
