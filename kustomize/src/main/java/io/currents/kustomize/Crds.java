package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code crds} field: OpenAPI definition files (type name to {@code {Schema, Dependencies}}, as
 * kube-openapi generates them) whose {@code x-kubernetes-*} property extensions add field specs: object
 * references ({@code x-kubernetes-object-ref-api-version}/{@code -kind}/{@code -name-key}) become name
 * references, {@code x-kubernetes-annotation}, {@code -label-selector} and {@code -identity} fields get
 * commonAnnotations, commonLabels and the name prefix.
 */
final class Crds {
    private Crds() {
    }

    static TransformerConfig load(Loader ldr, List<String> paths) {
        TransformerConfig tc = new TransformerConfig();
        for (String path : paths) {
            String content = ldr.read(path);
            Map<String, Map<String, Object>> defs;
            try {
                defs = definitions(content);
            } catch (KustomizeException | YamlException e) {
                throw new KustomizeException("unable to parse open API definition from '" + path + "': " + e.getMessage(), e);
            }
            tc = tc.merge(fromDefinitions(defs));
        }
        return tc;
    }

    /** The definitions of a file: every value must be an object whose Schema (any case) is an object. */
    private static Map<String, Map<String, Object>> definitions(String content) {
        if (content.startsWith("{")) {
            return definitionsOf(YamlReader.read(content, false));
        }
        Object doc = Kustomization.toJsonish(YamlReader.read(content, true));
        try {
            return definitionsOf(doc);
        } catch (KustomizeException e) {
            // sigs.k8s.io/yaml decodes YAML through JSON and says so
            throw new KustomizeException("error unmarshaling JSON: while decoding JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Map<String, Object>> definitionsOf(Object doc) {
        Map<String, Object> m = Nodes.asMap(doc);
        if (m == null) {
            throw new KustomizeException("json: cannot unmarshal " + GoStruct.jsonKind(doc)
                    + " into Go value of type accumulator.nameToApiMap");
        }
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Map<String, Object> def = Nodes.asMap(e.getValue());
            if (def == null && e.getValue() != null) {
                throw new KustomizeException("json: cannot unmarshal " + GoStruct.jsonKind(e.getValue())
                        + " into Go value of type accumulator.OpenAPIDefinition");
            }
            Map<String, Object> schema = null;
            if (def != null) {
                for (Map.Entry<String, Object> f : def.entrySet()) {
                    if (f.getKey().equalsIgnoreCase("Schema")) {
                        schema = Nodes.asMap(f.getValue());
                    }
                }
            }
            out.put(e.getKey(), schema == null ? Map.of() : schema);
        }
        return out;
    }

    private static TransformerConfig fromDefinitions(Map<String, Map<String, Object>> defs) {
        TransformerConfig result = new TransformerConfig();
        for (Map.Entry<String, Map<String, Object>> e : defs.entrySet()) {
            Map<String, Object> props = Nodes.asMap(e.getValue().get("properties"));
            if (props == null || !props.containsKey("kind") || !props.containsKey("apiVersion")
                    || !props.containsKey("metadata")) {
                continue;
            }
            String[] parts = e.getKey().split("\\.", -1);
            Gvk gvk = new Gvk("", "", parts[parts.length - 1]);
            TransformerConfig tc = new TransformerConfig();
            load(tc, gvk, defs, e.getKey(), new ArrayList<>(), 0);
            result = result.merge(tc);
        }
        return result;
    }

    private static String extString(Map<String, Object> property, String name) {
        for (Map.Entry<String, Object> e : property.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && e.getValue() instanceof String s) {
                return s;
            }
        }
        return null;
    }

    private static void load(TransformerConfig tc, Gvk gvk, Map<String, Map<String, Object>> defs, String typeName,
                             List<String> path, int depth) {
        Map<String, Object> api = defs.get(typeName);
        if (api == null || depth > 100) {
            return;
        }
        Map<String, Object> props = Nodes.asMap(api.get("properties"));
        if (props == null) {
            return;
        }
        for (Map.Entry<String, Object> e : props.entrySet()) {
            Map<String, Object> property = Nodes.asMap(e.getValue());
            if (property == null) {
                continue;
            }
            List<String> here = new ArrayList<>(path);
            here.add(e.getKey());
            String fsPath = String.join("/", here);
            if (extString(property, "x-kubernetes-annotation") != null) {
                tc.commonAnnotations = TransformerConfig.mergeOne(tc.commonAnnotations, new FieldSpec(gvk, fsPath, false));
            }
            if (extString(property, "x-kubernetes-label-selector") != null) {
                tc.commonLabels = TransformerConfig.mergeOne(tc.commonLabels, new FieldSpec(gvk, fsPath, false));
            }
            if (extString(property, "x-kubernetes-identity") != null) {
                tc.namePrefix = TransformerConfig.mergeOne(tc.namePrefix, new FieldSpec(gvk, fsPath, false));
            }
            String version = extString(property, "x-kubernetes-object-ref-api-version");
            String kind = extString(property, "x-kubernetes-object-ref-kind");
            if (version != null && kind != null) {
                String nameKey = extString(property, "x-kubernetes-object-ref-name-key");
                if (nameKey == null) {
                    nameKey = "name";
                }
                TransformerConfig ref = new TransformerConfig();
                ref.nameReference.add(new TransformerConfig.NameBackRef(new Gvk("", version, kind),
                        List.of(new FieldSpec(gvk, fsPath + "/" + nameKey, false))));
                TransformerConfig merged = tc.merge(ref);
                tc.nameReference = merged.nameReference;
            }
            if (property.get("$ref") instanceof String ref && !ref.isEmpty()) {
                load(tc, gvk, defs, ref, here, depth + 1);
            }
        }
    }
}
