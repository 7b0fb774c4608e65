package io.currents.kustomize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The legacy {@code vars} field. Each kustomization level binds its vars to the one object each names
 * (by type, name and, when given, namespace: more than one match is an error), bases' vars join the
 * set, and once the whole build is gathered every {@code $(NAME)} in the var-reference fields becomes
 * the field value of the bound object; a value that is exactly one reference keeps the field's type.
 */
final class Vars {
    private Vars() {
    }

    /**
     * A declared var (kustomize's types.Var after Defaulting), with the group, version and field path as written
     * ({@code raw*}), which kustomize's messages print before defaulting.
     */
    record Var(String name, Gvk gvk, String objName, String namespace, String fieldPath, String apiVersion,
            Gvk rawGvk, String rawFieldPath) {
        /** Go's %v of the defaulted var: {@code {NAME Kind.version.group {fieldPath}}} (Target prints as its Gvk). */
        @Override
        public String toString() {
            return goString(gvk, fieldPath);
        }

        /** The var as written, before Defaulting. */
        String raw() {
            return goString(rawGvk, rawFieldPath);
        }

        /** The var after Target.GVK() but before the field path's default (kustomize's MergeVars). */
        String gvkDefaulted() {
            return goString(gvk, rawFieldPath);
        }

        private String goString(Gvk g, String fp) {
            return "{" + name + " " + g + " {" + fp + "}}";
        }
    }

    /** The vars a kustomization declares, decoded. */
    static List<Var> declared(Kustomization k) {
        List<Var> out = new ArrayList<>();
        for (Map<String, Object> v : k.objects("vars")) {
            String name = BuiltinPlugin.str(v, "name");
            Map<String, Object> ref = Nodes.asMap(v.get("objref"));
            String apiVersion = BuiltinPlugin.str(ref, "apiVersion");
            String group = BuiltinPlugin.str(ref, "group");
            String version = BuiltinPlugin.str(ref, "version");
            if (!apiVersion.isEmpty()) {
                String[] parts = apiVersion.split("/", -1);
                if (parts.length == 2) {
                    group = parts[0];
                    version = parts[1];
                } else if (parts.length == 1) {
                    version = parts[0];
                }
            }
            Gvk g = new Gvk(group, version, BuiltinPlugin.str(ref, "kind"));
            Gvk raw = new Gvk(BuiltinPlugin.str(ref, "group"), BuiltinPlugin.str(ref, "version"),
                    BuiltinPlugin.str(ref, "kind"));
            String rawFp = BuiltinPlugin.str(Nodes.asMap(v.get("fieldref")), "fieldPath");
            String fp = rawFp;
            if (fp.isEmpty()) {
                fp = "metadata.name";
            }
            out.add(new Var(name, g, BuiltinPlugin.str(ref, "name"), BuiltinPlugin.str(ref, "namespace"), fp, apiVersion, raw, rawFp));
        }
        return out;
    }

    /** kustomize's ResAccumulator.MergeVars: binds each var to its object, then adds it to the set. */
    static void mergeVars(KustTarget.Accumulator ra, List<Var> incoming) {
        for (Var v : incoming) {
            ResId target = new ResId(v.gvk(), v.objName(), v.namespace());
            boolean exact = !v.namespace().isEmpty() || target.isClusterScoped();
            List<Resource> matched = ra.resources.matchingAnyId(id -> exact ? target.matches(id)
                    : id.name().equals(target.name()) && id.gvk().equals(target.gvk()));
            if (matched.size() > 1) {
                throw new KustomizeException("merging vars " + goVars(incoming) + ": found " + matched.size()
                        + " resId matches for var " + v.gvkDefaulted() + " (unable to disambiguate)");
            }
            if (matched.size() == 1) {
                matched.get(0).refVarNames.add(v.name());
            }
        }
        for (Var v : incoming) {
            merge(ra, v, incoming);
        }
    }

    private static String goVars(List<Var> vars) {
        List<String> s = new ArrayList<>();
        for (Var v : vars) {
            s.add(v.raw());
        }
        return "[" + String.join(" ", s) + "]";
    }

    private static void merge(KustTarget.Accumulator ra, Var v, List<Var> incoming) {
        if (ra.vars.containsKey(v.name())) {
            throw new KustomizeException("merging vars " + goVars(incoming) + ": var '" + v.name()
                    + "' already encountered");
        }
        ra.vars.put(v.name(), v);
    }

    /** kustomize's VarSet.MergeSet (a base's vars joining the parent's). */
    static void mergeSet(KustTarget.Accumulator ra, Map<String, Var> incoming) {
        for (Var v : incoming.values()) {
            if (ra.vars.containsKey(v.name())) {
                throw new KustomizeException("var '" + v.name() + "' already encountered");
            }
            ra.vars.put(v.name(), v);
        }
    }

    /** kustomize's ResolveVars: the values from the bound objects, then $(NAME) replaced in the var-reference fields. */
    static void resolve(ResMap m, Map<String, Var> vars, List<FieldSpec> varReference, List<BuildWarning> warnings) {
        Map<String, Object> values = new TreeMap<>();
        java.util.Set<String> fromSecrets = new java.util.HashSet<>();
        for (Var v : new TreeMap<>(vars).values()) {
            Resource bound = null;
            for (Resource r : m.list) {
                if (r.refVarNames.contains(v.name())) {
                    bound = r;
                    break;
                }
            }
            if (bound == null) {
                throw new KustomizeException("var '" + v + "' cannot be mapped to a field in the set of known resources");
            }
            Object value = fieldValue(bound, v);
            values.put(v.name(), value);
            if ("Secret".equals(bound.kind())) {
                fromSecrets.add(v.name());
            }
        }
        if (values.isEmpty()) {
            return;
        }
        Replacer rp = new Replacer(values, fromSecrets, new java.util.HashSet<>(), warnings);
        try {
            for (Resource r : m.list) {
                for (FieldSpec fs : varReference) {
                    fs.apply(r, FieldSpec.CreateKind.NONE, node -> expandNode(node, rp));
                }
            }
        } finally {
            // kustomize logs this even when the replacement pass then fails
            List<String> unused = new ArrayList<>();
            for (String name : values.keySet()) {
                if (!rp.used().contains(name)) {
                    unused.add(name);
                }
            }
            if (!unused.isEmpty()) {
                warnings.add(new BuildWarning("well-defined vars that were never replaced: "
                        + String.join(",", unused), true));
            }
        }
    }

    /**
     * The var values, the vars read from Secrets, the names replaced at least once, and where kustomize's
     * log lines go.
     */
    private record Replacer(Map<String, Object> values, java.util.Set<String> fromSecrets,
            java.util.Set<String> used, List<BuildWarning> warnings) {
    }

    /** kyaml's GetFieldValue: the value at a dotted path ({@code a[0]} is the first element of a). */
    private static Object fieldValue(Resource r, Var v) {
        List<String> fields = new ArrayList<>();
        for (String s : KyamlPath.splitDotted(v.fieldPath())) {
            java.util.regex.Matcher mm = java.util.regex.Pattern.compile("^(.*)\\[(\\d+)\\]$").matcher(s);
            if (s.endsWith("]") && mm.matches()) {
                if (!mm.group(1).isEmpty()) {
                    fields.add(mm.group(1));
                }
                fields.add(mm.group(2));
            } else {
                fields.add(s);
            }
        }
        KyamlPath.Slot slot;
        try {
            slot = KyamlPath.lookup(r.obj, fields);
        } catch (KustomizeException e) {
            slot = null;
        }
        if (slot == null) {
            throw new KustomizeException("field specified in var '" + v + "' not found in corresponding resource");
        }
        Object val = slot.get();
        return val == null ? "" : val;
    }

    /** A replacement for $(NAME): strings, numbers and booleans are used; anything else is left as written. */
    private static Object mapping(String key, Replacer rp) {
        if (!rp.values().containsKey(key)) {
            return "$(" + key + ")";
        }
        Object v = rp.values().get(key);
        if (v == null || v instanceof Map || v instanceof List) {
            // kustomize prints the value; a Secret's data stays out of our logs, so only its type shows
            String val = rp.fromSecrets().contains(key) ? "<redacted>" : GoFormat.value(v);
            rp.warnings().add(new BuildWarning("MakePrimitiveReplacer: bad replacement type="
                    + GoFormat.typeOf(v) + " val=" + val, true));
            return "$(" + key + ")";
        }
        rp.used().add(key);
        return v;
    }

    private static Object expandNode(Object node, Replacer rp) {
        if (node == null) {
            return FieldSpec.UNCHANGED;
        }
        if (node instanceof String s) {
            return expand(s, rp);
        }
        if (node instanceof Map<?, ?>) {
            Map<String, Object> mm = Nodes.asMap(node);
            for (Map.Entry<String, Object> e : mm.entrySet()) {
                if (e.getValue() instanceof String s) {
                    e.setValue(expand(s, rp));
                }
            }
            return FieldSpec.UNCHANGED;
        }
        if (node instanceof List<?>) {
            List<Object> l = Nodes.asList(node);
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof String s)) {
                    throw new KustomizeException("invalid value type expect a string");
                }
                l.set(i, expand(s, rp));
            }
            return FieldSpec.UNCHANGED;
        }
        return FieldSpec.UNCHANGED;
    }

    /** kustomize's DoReplacements: $(NAME) expansion, $$ an escaped $, a value that is exactly one reference typed. */
    static Object expand(String in, Replacer rp) {
        StringBuilder sb = new StringBuilder();
        int checkpoint = 0;
        for (int cursor = 0; cursor < in.length(); cursor++) {
            if (in.charAt(cursor) == '$' && cursor + 1 < in.length()) {
                sb.append(in, checkpoint, cursor);
                char next = in.charAt(cursor + 1);
                int advance;
                if (next == '$') {
                    sb.append('$');
                    advance = 1;
                } else if (next == '(') {
                    int close = in.indexOf(')', cursor + 2);
                    if (close < 0) {
                        sb.append("$(");
                        advance = 1;
                    } else {
                        String name = in.substring(cursor + 2, close);
                        Object mapped = mapping(name, rp);
                        if (in.equals("$(" + name + ")")) {
                            return mapped;
                        }
                        sb.append(goValue(mapped));
                        advance = close - cursor;
                    }
                } else {
                    sb.append('$').append(next);
                    advance = 1;
                }
                cursor += advance;
                checkpoint = cursor + 1;
            }
        }
        sb.append(in.substring(Math.min(checkpoint, in.length())));
        return sb.toString();
    }

    /** Go's %v of a var value. */
    private static String goValue(Object v) {
        if (v instanceof Double d) {
            return io.currents.kustomize.yaml.GoScalars.formatFloatJson(d);
        }
        return String.valueOf(v);
    }
}
