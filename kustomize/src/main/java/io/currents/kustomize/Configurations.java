package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.util.List;
import java.util.Map;

/** Transformer configuration files ({@code configurations}) and CRD files ({@code crds}). */
final class Configurations {
    private Configurations() {
    }

    static FieldSpec fieldSpec(Map<String, Object> m) {
        String apiVersion = Kustomization.asString(m.get("apiVersion"), "FieldSpec.apiVersion");
        Gvk g = Gvk.of(apiVersion, Kustomization.asString(m.get("kind"), "FieldSpec.kind"));
        String group = Kustomization.asString(m.get("group"), "FieldSpec.group");
        String version = Kustomization.asString(m.get("version"), "FieldSpec.version");
        g = new Gvk(group.isEmpty() ? g.group() : group, version.isEmpty() ? g.version() : version, g.kind());
        return new FieldSpec(g, Kustomization.asString(m.get("path"), "FieldSpec.path"),
                Kustomization.asBool(m.get("create"), "FieldSpec.create"));
    }

    static TransformerConfig load(Loader ldr, List<String> files) {
        TransformerConfig tc = new TransformerConfig();
        for (String f : files) {
            Object doc;
            try {
                doc = Kustomization.toJsonish(YamlReader.read(ldr.read(f), true));
            } catch (YamlException e) {
                throw new KustomizeException("MalformedYAMLError: " + e.getMessage() + " in File: " + ldr.resolve(f));
            }
            Map<String, Object> m = Nodes.asMap(doc);
            if (m == null) {
                continue;
            }
            for (Map.Entry<String, Object> e : m.entrySet()) {
                String key = e.getKey();
                if (key.equals("nameReference")) {
                    for (Map<String, Object> nr : Kustomization.asObjects(e.getValue(), "NameBackReferences")) {
                        FieldSpec target = fieldSpec(nr);
                        List<FieldSpec> refs = new java.util.ArrayList<>();
                        for (Map<String, Object> fs : Kustomization.asObjects(nr.get("fieldSpecs"), "FieldSpec")) {
                            refs.add(fieldSpec(fs));
                        }
                        tc.nameReference.add(new TransformerConfig.NameBackRef(target.gvk(), refs));
                    }
                    continue;
                }
                List<FieldSpec> target = switch (key) {
                    case "namePrefix" -> tc.namePrefix;
                    case "nameSuffix" -> tc.nameSuffix;
                    case "namespace" -> tc.namespace;
                    case "commonLabels" -> tc.commonLabels;
                    case "templateLabels" -> tc.templateLabels;
                    case "commonAnnotations" -> tc.commonAnnotations;
                    case "varReference" -> tc.varReference;
                    case "images" -> tc.images;
                    case "replicas" -> tc.replicas;
                    default -> throw new KustomizeException("unknown field \"" + key + "\" in transformer configuration "
                            + ldr.resolve(f));
                };
                for (Map<String, Object> fs : Kustomization.asObjects(e.getValue(), "FieldSpec")) {
                    TransformerConfig.mergeList(target, List.of(fieldSpec(fs)));
                }
            }
        }
        return tc;
    }

    /** CRD files only need to be readable here; their openAPI name-reference hints are not used. */
    static TransformerConfig fromCrds(Loader ldr, List<String> files) {
        for (String f : files) {
            Object doc;
            try {
                doc = YamlReader.read(ldr.read(f), false);
            } catch (YamlException e) {
                doc = null;
            }
            if (!(doc instanceof Map)) {
                throw new KustomizeException("loading CRDs [" + String.join(" ", files) + "]: unable to parse open API "
                        + "definition from '" + f + "'");
            }
        }
        return new TransformerConfig();
    }
}
