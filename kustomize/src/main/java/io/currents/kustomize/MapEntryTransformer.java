package io.currents.kustomize;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The LabelTransformer and AnnotationsTransformer built-ins (commonLabels, labels, commonAnnotations):
 * set string entries in the maps at the field specs, creating the maps where the spec says so.
 */
final class MapEntryTransformer implements BuiltinPlugin.Transformer {
    static final GoStruct.Struct LABEL_SCHEMA = new GoStruct.Struct("builtins.LabelTransformerPlugin")
            .field("labels", GoStruct.map(GoStruct.STRING))
            .field("fieldSpecs", GoStruct.slice(KustomizationSchema.FIELD_SPEC));
    static final GoStruct.Struct ANNOTATIONS_SCHEMA = new GoStruct.Struct("builtins.AnnotationsTransformerPlugin")
            .field("annotations", GoStruct.map(GoStruct.STRING))
            .field("fieldSpecs", GoStruct.slice(KustomizationSchema.FIELD_SPEC));

    private final boolean labels;
    private Map<String, String> entries;
    private List<FieldSpec> fieldSpecs;

    MapEntryTransformer(boolean labels) {
        this.labels = labels;
    }

    static MapEntryTransformer of(boolean labels, Map<String, String> entries, List<FieldSpec> fieldSpecs) {
        MapEntryTransformer t = new MapEntryTransformer(labels);
        t.entries = entries;
        t.fieldSpecs = fieldSpecs;
        return t;
    }

    @Override
    public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
        Map<String, Object> c = BuiltinPlugin.decode(config, labels ? LABEL_SCHEMA : ANNOTATIONS_SCHEMA);
        entries = BuiltinPlugin.stringMap(c, labels ? "labels" : "annotations");
        fieldSpecs = TransformerConfig.specs(c.get("fieldSpecs"));
    }

    @Override
    public void transform(ResMap m) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, String> sorted = new TreeMap<>(entries);
        for (Resource r : m.list) {
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                for (FieldSpec fs : fieldSpecs) {
                    fs.apply(r, FieldSpec.CreateKind.MAP, cur -> setEntry(cur, e.getKey(), e.getValue()));
                }
            }
        }
    }

    /** kyaml's FieldSetter for one string entry; a null map stays null (kyaml cannot add to it). */
    static Object setEntry(Object cur, String key, String value) {
        if (cur == null) {
            return FieldSpec.UNCHANGED;
        }
        Map<String, Object> cm = Nodes.asMap(cur);
        if (cm == null) {
            throw new KustomizeException("wrong node kind: expected MappingNode but got "
                    + (cur instanceof List ? "SequenceNode" : "ScalarNode"));
        }
        cm.put(key, value);
        return FieldSpec.UNCHANGED;
    }
}
