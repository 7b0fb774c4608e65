package io.currents.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The legacy vars field: $(NAME) in known fields is replaced by a field of another object. */
final class Vars {
    private Vars() {
    }

    record Var(String name, Gvk gvk, String objName, String namespace, String fieldPath) {
        @Override
        public String toString() {
            return "{" + name + " {" + gvk.kind() + " " + objName + "} {" + fieldPath + "}}";
        }
    }

    static void merge(KustTarget.Accumulator ra, Kustomization k) {
        List<Var> vars = new ArrayList<>();
        for (Map<String, Object> v : k.objects("vars")) {
            String name = Kustomization.asString(v.get("name"), "Var.name");
            Map<String, Object> ref = Nodes.asMap(v.get("objref"));
            if (ref == null) {
                throw new KustomizeException("var '" + name + "' has no objref");
            }
            String apiVersion = Kustomization.asString(ref.get("apiVersion"), "Target.apiVersion");
            Gvk g = Gvk.of(apiVersion, Kustomization.asString(ref.get("kind"), "Target.kind"));
            String group = Kustomization.asString(ref.get("group"), "Target.group");
            String version = Kustomization.asString(ref.get("version"), "Target.version");
            if (!group.isEmpty() || !version.isEmpty()) {
                g = new Gvk(group.isEmpty() ? g.group() : group, version.isEmpty() ? g.version() : version, g.kind());
            }
            Map<String, Object> fr = Nodes.asMap(v.get("fieldref"));
            String fp = fr == null ? "" : Kustomization.asString(fr.get("fieldpath"), "FieldSelector.fieldpath");
            if (fp.isEmpty()) {
                fp = "metadata.name";
            }
            vars.add(new Var(name, g, Kustomization.asString(ref.get("name"), "Target.name"),
                    Kustomization.asString(ref.get("namespace"), "Target.namespace"), fp));
        }
        mergeAll(ra, vars, k.file);
    }

    static void mergeAll(KustTarget.Accumulator ra, List<Var> incoming, String where) {
        for (Var v : incoming) {
            List<Resource> matched = ra.resources.matchingAnyId(id -> id.gvk().isSelectedBy(v.gvk())
                    && id.name().equals(v.objName()));
            if (matched.size() > 1) {
                throw new KustomizeException("found " + matched.size() + " resId matches for var " + v
                        + " (unable to disambiguate)");
            }
            for (Var o : ra.vars) {
                if (o.name().equals(v.name())) {
                    throw new KustomizeException("var '" + v.name() + "' already encountered");
                }
            }
            ra.vars.add(v);
        }
    }

    static void resolve(ResMap m, List<Var> vars, TransformerConfig tc) {
        if (vars.isEmpty()) {
            return;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Var v : vars) {
            List<Resource> matched = m.matchingAnyId(id -> id.gvk().isSelectedBy(v.gvk()) && id.name().equals(v.objName()));
            if (matched.size() > 1) {
                throw new KustomizeException("found " + matched.size() + " resId matches for var " + v
                        + " (unable to disambiguate)");
            }
            if (matched.isEmpty()) {
                throw new KustomizeException("var '" + v + "' cannot be mapped to a field in the set of known resources");
            }
            List<FieldPath.Slot> slots = FieldPath.find(matched.get(0).obj, FieldPath.split(v.fieldPath()), false, null);
            if (slots.isEmpty() || !Nodes.isScalar(slots.get(0).get())) {
                throw new KustomizeException("field specified in var '" + v + "' not found in corresponding resource");
            }
            Object val = slots.get(0).get();
            values.put(v.name(), val == null ? "" : val);
        }
        for (Resource r : m) {
            for (FieldSpec fs : tc.varReference) {
                if (!fs.appliesTo(r)) {
                    continue;
                }
                fs.apply(r.obj, FieldSpec.CreateKind.NONE, node -> expandNode(node, values));
            }
        }
    }

    private static Object expandNode(Object node, Map<String, Object> values) {
        if (node == null) {
            return FieldSpec.UNCHANGED;
        }
        if (node instanceof String s) {
            return expand(s, values);
        }
        if (node instanceof Map<?, ?>) {
            Map<String, Object> mm = Nodes.asMap(node);
            for (Map.Entry<String, Object> e : mm.entrySet()) {
                if (e.getValue() instanceof String s) {
                    e.setValue(expand(s, values));
                }
            }
            return FieldSpec.UNCHANGED;
        }
        if (node instanceof List<?>) {
            List<Object> l = Nodes.asList(node);
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i) instanceof String s) {
                    l.set(i, expand(s, values));
                }
            }
            return FieldSpec.UNCHANGED;
        }
        return FieldSpec.UNCHANGED;
    }

    /** Kubernetes-style $(VAR) expansion; $$ escapes; a value that is exactly one reference keeps its type. */
    static Object expand(String in, Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        int checkpoint = 0;
        Object single = null;
        int refs = 0;
        boolean onlyRef = true;
        for (int cursor = 0; cursor < in.length(); cursor++) {
            if (in.charAt(cursor) == '$' && cursor + 1 < in.length()) {
                sb.append(in, checkpoint, cursor);
                char next = in.charAt(cursor + 1);
                if (next == '$') {
                    sb.append('$');
                    onlyRef = false;
                    cursor++;
                    checkpoint = cursor + 1;
                } else if (next == '(') {
                    int close = in.indexOf(')', cursor + 2);
                    if (close < 0) {
                        sb.append("$(");
                        onlyRef = false;
                        cursor++;
                        checkpoint = cursor + 1;
                        continue;
                    }
                    String name = in.substring(cursor + 2, close);
                    if (values.containsKey(name)) {
                        Object v = values.get(name);
                        if (cursor == 0 && close == in.length() - 1) {
                            single = v;
                            refs++;
                        }
                        sb.append(Nodes.scalarText(v));
                    } else {
                        sb.append(in, cursor, close + 1);
                        onlyRef = false;
                    }
                    cursor = close;
                    checkpoint = cursor + 1;
                } else {
                    sb.append('$');
                    onlyRef = false;
                    checkpoint = cursor + 1;
                }
            }
        }
        sb.append(in.substring(checkpoint));
        if (refs == 1 && onlyRef && single != null) {
            return single;
        }
        return sb.toString();
    }
}
