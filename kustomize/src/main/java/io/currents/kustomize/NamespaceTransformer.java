package io.currents.kustomize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NamespaceTransformer built-in (the kustomization's {@code namespace}): sets metadata.namespace of
 * every namespaced object, the namespace fields of the field specs, and the namespace of role binding
 * subjects (those named {@code default}, all service accounts, or none, per
 * {@code setRoleBindingSubjects}); {@code unsetOnly} leaves namespaces already set.
 */
final class NamespaceTransformer implements BuiltinPlugin.Transformer {
    static final GoStruct.Struct SCHEMA = new GoStruct.Struct("builtins.NamespaceTransformerPlugin")
            .field("metadata", KustomizationSchema.OBJECT_META)
            .field("fieldSpecs", GoStruct.slice(KustomizationSchema.FIELD_SPEC))
            .field("unsetOnly", GoStruct.BOOL)
            .field("setRoleBindingSubjects", GoStruct.named("namespace.RoleBindingSubjectMode", 's'));

    private static final FieldSpec META_NAMESPACE = FieldSpec.of("metadata/namespace", true);

    private String namespace = "";
    private List<FieldSpec> fieldSpecs = new ArrayList<>();
    private boolean unsetOnly;
    private String subjects = "defaultOnly";

    static NamespaceTransformer of(String namespace, List<FieldSpec> fieldSpecs) {
        NamespaceTransformer t = new NamespaceTransformer();
        t.namespace = namespace;
        t.fieldSpecs = fieldSpecs;
        return t;
    }

    @Override
    public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
        Map<String, Object> c;
        try {
            c = BuiltinPlugin.decode(config, SCHEMA);
        } catch (KustomizeException e) {
            throw new KustomizeException("unmarshalling NamespaceTransformer config: " + e.getMessage(), e);
        }
        namespace = BuiltinPlugin.str(Nodes.asMap(c.get("metadata")), "namespace");
        fieldSpecs = TransformerConfig.specs(c.get("fieldSpecs"));
        unsetOnly = BuiltinPlugin.bool(c, "unsetOnly");
        String mode = BuiltinPlugin.str(c, "setRoleBindingSubjects");
        switch (mode) {
            case "allServiceAccounts", "defaultOnly", "none" -> subjects = mode;
            case "" -> subjects = "defaultOnly";
            default -> throw new KustomizeException("invalid value \"" + mode + "\" for setRoleBindingSubjects: "
                    + "must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\"");
        }
    }

    @Override
    public void transform(ResMap m) {
        if (namespace.isEmpty()) {
            return;
        }
        // current ids counted as they change: kustomize checks each object's new id against all others
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        for (Resource r : m.list) {
            ids.merge(r.curId().key(), 1, Integer::sum);
        }
        for (Resource r : new ArrayList<>(m.list)) {
            if (r.isEmpty()) {
                continue;
            }
            ids.merge(r.curId().key(), -1, Integer::sum);
            r.storePreviousId();
            apply(r, namespace, fieldSpecs, unsetOnly, subjects);
            ResId id = r.curId();
            if (ids.merge(id.key(), 1, Integer::sum) != 1) {
                throw new KustomizeException("namespace transformation produces ID conflict: "
                        + m.matchingCurrentId(id::matches));
            }
        }
    }

    /** kustomize's namespace filter on one object. */
    static void apply(Resource r, String ns, List<FieldSpec> fieldSpecs, boolean unsetOnly, String subjects) {
        String apiVersion = r.apiVersion();
        List<FieldSpec> fss = new ArrayList<>();
        for (FieldSpec fs : fieldSpecs) {
            if (fs.path().equals("metadata/namespace")) {
                continue;
            }
            if (!apiVersion.equals("v1") && fs.path().equals("metadata/name")) {
                continue;
            }
            fss.add(fs);
        }
        Gvk gvk = r.gvk();
        if (!gvk.isClusterScoped()) {
            META_NAMESPACE.apply(r, FieldSpec.CreateKind.SCALAR,
                    cur -> set(cur, ns, unsetOnly));
        }
        if (gvk.kind().equals("RoleBinding") || gvk.kind().equals("ClusterRoleBinding")) {
            fss.removeIf(fs -> (fs.gvk().kind().equals("RoleBinding") || fs.gvk().kind().equals("ClusterRoleBinding"))
                    && fs.path().equals("subjects/namespace"));
            roleBindingSubjects(r, ns, unsetOnly, subjects);
        }
        for (FieldSpec fs : fss) {
            try {
                fs.apply(r, FieldSpec.CreateKind.SCALAR, cur -> {
                    if (cur instanceof Map || cur instanceof List) {
                        // kyaml's InvalidNodeKindError, which prints the node
                        throw new InvalidNodeKind("wrong node kind: expected ScalarNode but got "
                                + (cur instanceof Map ? "MappingNode" : "SequenceNode") + ": node contents:\n"
                                + io.currents.kustomize.yaml.YamlWriter.toYaml(cur));
                    }
                    return set(cur, ns, unsetOnly);
                });
            } catch (KustomizeException e) {
                // kustomize wraps the whole error (field spec and traversal context included) by its kind
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof InvalidNodeKind) {
                        throw new KustomizeException("namespace field specs must target scalar nodes: " + e.getMessage(), e);
                    }
                }
                throw new KustomizeException("namespace transformation failed: " + e.getMessage(), e);
            }
        }
    }

    private static Object set(Object cur, String ns, boolean unsetOnly) {
        if (unsetOnly && cur != null && !(cur instanceof Map) && !(cur instanceof List)
                && !Nodes.scalarText(cur).isEmpty()) {
            return FieldSpec.UNCHANGED;
        }
        return ns;
    }

    private static void roleBindingSubjects(Resource r, String ns, boolean unsetOnly, String mode) {
        if (mode.equals("none")) {
            return;
        }
        List<Object> subjects = Nodes.asList(r.obj.get("subjects"));
        if (subjects == null) {
            return;
        }
        for (Object s : subjects) {
            Map<String, Object> sm = Nodes.asMap(s);
            if (sm == null) {
                continue;
            }
            String field = mode.equals("allServiceAccounts") ? "kind" : "name";
            String want = mode.equals("allServiceAccounts") ? "ServiceAccount" : "default";
            Object v = sm.get(field);
            if (v == null || !Nodes.isScalar(v) || !want.equals(Nodes.scalarText(v))) {
                continue;
            }
            Object r2 = set(sm.get("namespace"), ns, unsetOnly);
            if (r2 != FieldSpec.UNCHANGED) {
                sm.put("namespace", r2);
            }
        }
    }

    /** A field spec reached a map or a list where the namespace is a scalar. */
    private static final class InvalidNodeKind extends KustomizeException {
        InvalidNodeKind(String message) {
            super(message);
        }
    }
}
