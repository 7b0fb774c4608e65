package io.currents.kustomize;

import java.util.List;
import java.util.Map;

/**
 * The PrefixTransformer and SuffixTransformer built-ins (namePrefix, nameSuffix): prepend or append to
 * the fields of the field specs, recording the affix and the previous id of each renamed object so that
 * references to it can follow. CustomResourceDefinitions, APIServices and Namespaces keep their names.
 */
final class NameAffixTransformer implements BuiltinPlugin.Transformer {
    static final GoStruct.Struct PREFIX_SCHEMA = new GoStruct.Struct("builtins.PrefixTransformerPlugin")
            .field("prefix", GoStruct.STRING).field("fieldSpecs", GoStruct.slice(KustomizationSchema.FIELD_SPEC));
    static final GoStruct.Struct SUFFIX_SCHEMA = new GoStruct.Struct("builtins.SuffixTransformerPlugin")
            .field("suffix", GoStruct.STRING).field("fieldSpecs", GoStruct.slice(KustomizationSchema.FIELD_SPEC));

    private static final List<Gvk> SKIPPED = List.of(new Gvk("", "", "CustomResourceDefinition"),
            new Gvk("apiregistration.k8s.io", "", "APIService"), new Gvk("", "", "Namespace"));

    private final boolean prefix;
    private String affix;
    private List<FieldSpec> fieldSpecs;

    NameAffixTransformer(boolean prefix) {
        this.prefix = prefix;
    }

    @Override
    public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
        Map<String, Object> c = BuiltinPlugin.decode(config, prefix ? PREFIX_SCHEMA : SUFFIX_SCHEMA);
        affix = BuiltinPlugin.str(c, prefix ? "prefix" : "suffix");
        if (c.get("fieldSpecs") == null) {
            throw new KustomizeException("fieldSpecs is not expected to be nil");
        }
        fieldSpecs = TransformerConfig.specs(c.get("fieldSpecs"));
    }

    /** Configured directly (the kustomization's namePrefix or nameSuffix). */
    static NameAffixTransformer of(boolean prefix, String affix, List<FieldSpec> fieldSpecs) {
        NameAffixTransformer t = new NameAffixTransformer(prefix);
        t.affix = affix;
        t.fieldSpecs = fieldSpecs;
        return t;
    }

    @Override
    public void transform(ResMap m) {
        for (Resource r : m.list) {
            ResId org = r.orgId();
            if (skipped(org)) {
                continue;
            }
            for (FieldSpec fs : fieldSpecs) {
                if (!org.gvk().isSelectedBy(fs.gvk())) {
                    continue;
                }
                if (fs.path().equals("metadata/name")) {
                    // the affix is recorded even when empty is not (kustomize's appendCsvAnnotation)
                    if (!affix.isEmpty()) {
                        (prefix ? r.prefixes : r.suffixes).add(affix);
                        r.storePreviousId();
                    }
                }
                fs.apply(r, FieldSpec.CreateKind.SCALAR, cur -> {
                    if (cur instanceof Map || cur instanceof List) {
                        throw new KustomizeException("wrong node kind: expected ScalarNode but got "
                                + (cur instanceof Map ? "MappingNode" : "SequenceNode"));
                    }
                    String v = cur == null ? "" : Nodes.scalarText(cur);
                    return prefix ? affix + v : v + affix;
                });
            }
        }
    }

    private static boolean skipped(ResId id) {
        for (Gvk g : SKIPPED) {
            if (id.gvk().isSelectedBy(g)) {
                return true;
            }
        }
        return false;
    }
}
