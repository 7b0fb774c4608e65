package io.currents.kustomize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The ReplicaCountTransformer built-in (the kustomization's {@code replicas}): sets the replica count by name. */
final class ReplicaCountTransformer implements BuiltinPlugin.Transformer {
    static final GoStruct.Struct SCHEMA = new GoStruct.Struct("builtins.ReplicaCountTransformerPlugin")
            .field("replica", KustomizationSchema.REPLICA)
            .field("fieldSpecs", GoStruct.slice(KustomizationSchema.FIELD_SPEC));

    private String name = "";
    private long count;
    private List<FieldSpec> fieldSpecs = new ArrayList<>();

    static ReplicaCountTransformer of(Map<String, Object> replica, List<FieldSpec> fieldSpecs) {
        ReplicaCountTransformer t = new ReplicaCountTransformer();
        t.name = BuiltinPlugin.str(replica, "name");
        t.count = replica.get("count") == null ? 0 : (Long) replica.get("count");
        t.fieldSpecs = fieldSpecs;
        return t;
    }

    @Override
    public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
        Map<String, Object> c = BuiltinPlugin.decode(config, SCHEMA);
        Map<String, Object> r = Nodes.asMap(c.get("replica"));
        name = BuiltinPlugin.str(r, "name");
        count = r == null || r.get("count") == null ? 0 : (Long) r.get("count");
        fieldSpecs = TransformerConfig.specs(c.get("fieldSpecs"));
    }

    @Override
    public void transform(ResMap m) {
        boolean found = false;
        for (FieldSpec fs : fieldSpecs) {
            List<Resource> matched = m.matchingAnyId(id -> id.name().equals(name) && id.gvk().isSelectedBy(fs.gvk()));
            if (!matched.isEmpty()) {
                found = true;
            }
            for (Resource r : matched) {
                fs.apply(r, FieldSpec.CreateKind.SCALAR, cur -> {
                    if (cur instanceof Map || cur instanceof List) {
                        throw new KustomizeException("wrong node kind: expected ScalarNode but got "
                                + (cur instanceof Map ? "MappingNode" : "SequenceNode"));
                    }
                    return count;
                });
            }
        }
        if (!found) {
            List<String> gvks = new ArrayList<>();
            for (FieldSpec fs : fieldSpecs) {
                gvks.add(fs.gvk().toString());
            }
            throw new KustomizeException("resource with name " + name
                    + " does not match a config with the following GVK [" + String.join(" ", gvks) + "]");
        }
    }
}
