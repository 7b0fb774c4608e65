package io.currents.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in plugins by kind, and how a kustomization's fields configure them (kustomize's
 * kusttarget_configplugin.go): which plugin instances a kustomization creates, with which configuration
 * and in which order, decides the output and the transformer annotations.
 */
final class BuiltinConfigurators {
    private BuiltinConfigurators() {
    }

    /** A built-in plugin by kind, ready to configure; null for an unknown kind. */
    static BuiltinPlugin create(String kind) {
        return switch (kind) {
            case "AnnotationsTransformer" -> new MapEntryTransformer(false);
            case "LabelTransformer" -> new MapEntryTransformer(true);
            case "ConfigMapGenerator" -> new Generators(false);
            case "SecretGenerator" -> new Generators(true);
            case "IAMPolicyGenerator" -> new IamPolicyGenerator();
            case "HashTransformer" -> new HashTransformer();
            case "ImageTagTransformer" -> new ImageTagTransformer();
            case "NamespaceTransformer" -> new NamespaceTransformer();
            case "PatchJson6902Transformer" -> new PatchTransformers.Json6902Patch();
            case "PatchStrategicMergeTransformer" -> new PatchTransformers.StrategicMergePatch();
            case "PatchTransformer" -> new PatchTransformers.Patch();
            case "PrefixSuffixTransformer" -> new PrefixSuffixTransformer();
            case "PrefixTransformer" -> new NameAffixTransformer(true);
            case "SuffixTransformer" -> new NameAffixTransformer(false);
            case "ReplicaCountTransformer" -> new ReplicaCountTransformer();
            case "ValueAddTransformer" -> new ValueAddTransformer();
            case "HelmChartInflationGenerator" -> new HelmChartInflationGenerator();
            case "ReplacementTransformer" -> new Replacements();
            default -> null;
        };
    }

    /** The legacy PrefixSuffixTransformer: a prefix and a suffix transformer configured alike. */
    static final class PrefixSuffixTransformer implements BuiltinPlugin.Transformer {
        private final NameAffixTransformer prefix = new NameAffixTransformer(true);
        private final NameAffixTransformer suffix = new NameAffixTransformer(false);

        @Override
        public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
            prefix.configure(h, config);
            suffix.configure(h, config);
        }

        @Override
        public void transform(ResMap m) {
            prefix.transform(m);
            suffix.transform(m);
        }
    }

    /** The HashTransformer: a content-hash suffix on the names of generated objects that want one. */
    static final class HashTransformer implements BuiltinPlugin.Transformer {
        @Override
        public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
        }

        @Override
        public void transform(ResMap m) {
            Generators.addHashesToNames(m);
        }
    }

    private static Origin builtinOrigin(KustTarget kt, String kind) {
        return kt.origin == null ? null : Origin.builtin(kt.origin, kt.kustFileName, kind);
    }

    private static <T> void add(List<PluginRunner.Configured<T>> out, T plugin, KustTarget kt, String kind) {
        out.add(new PluginRunner.Configured<>(plugin, builtinOrigin(kt, kind)));
    }

    // ---- generators from the kustomization's fields ----

    static List<PluginRunner.Configured<BuiltinPlugin.Generator>> generators(KustTarget kt) {
        List<PluginRunner.Configured<BuiltinPlugin.Generator>> out = new ArrayList<>();
        Kustomization k = kt.k;
        Map<String, Object> global = k.object("generatorOptions");
        for (Map<String, Object> args : k.objects("configMapGenerator")) {
            add(out, Generators.of(false, withOptions(args, global), kt.ldr), kt, "ConfigMapGenerator");
        }
        for (Map<String, Object> args : k.objects("secretGenerator")) {
            add(out, Generators.of(true, withOptions(args, global), kt.ldr), kt, "SecretGenerator");
        }
        Map<String, Object> helmGlobals = k.object("helmGlobals");
        for (Map<String, Object> chart : k.objects("helmCharts")) {
            HelmChartInflationGenerator g = new HelmChartInflationGenerator();
            Map<String, Object> config = new LinkedHashMap<>();
            if (helmGlobals != null) {
                config.putAll(helmGlobals);
            }
            config.putAll(chart);
            try {
                g.configure(new BuiltinPlugin.PluginHelpers(kt.ldr, kt.options), config);
            } catch (KustomizeException e) {
                throw new KustomizeException("trouble configuring builtin HelmChartInflationGenerator with config: `\n"
                        + io.currents.kustomize.yaml.YamlWriter.toYaml(config) + "`: " + e.getMessage(), e);
            }
            add(out, g, kt, "HelmChartInflationGenerator");
        }
        return out;
    }

    private static Map<String, Object> withOptions(Map<String, Object> args, Map<String, Object> global) {
        Map<String, Object> a = new LinkedHashMap<>(args);
        Map<String, Object> opts = Generators.mergeGlobalOptions(Nodes.asMap(args.get("options")), global);
        if (opts != null) {
            a.put("options", opts);
        }
        return a;
    }

    // ---- transformers from the kustomization's fields, in kustomize's order ----

    static List<PluginRunner.Configured<BuiltinPlugin.Transformer>> transformers(KustTarget kt, TransformerConfig tc) {
        List<PluginRunner.Configured<BuiltinPlugin.Transformer>> out = new ArrayList<>();
        Kustomization k = kt.k;
        BuiltinPlugin.PluginHelpers h = new BuiltinPlugin.PluginHelpers(kt.ldr, kt.options);

        List<String> psm = k.strings("patchesStrategicMerge");
        if (!psm.isEmpty()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("paths", new ArrayList<Object>(psm));
            add(out, configure(new PatchTransformers.StrategicMergePatch(), h, c, "PatchStrategicMergeTransformer"), kt,
                    "PatchStrategicMergeTransformer");
        }
        for (Map<String, Object> p : k.objects("patches")) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (String f : List.of("path", "patch", "target", "options")) {
                if (p.get(f) != null) {
                    c.put(f, p.get(f));
                }
            }
            add(out, configure(new PatchTransformers.Patch(), h, c, "PatchTransformer"), kt, "PatchTransformer");
        }
        String ns = k.str("namespace");
        if (!ns.isEmpty()) {
            add(out, NamespaceTransformer.of(ns, tc.namespace), kt, "NamespaceTransformer");
        }
        String prefix = k.str("namePrefix");
        if (!prefix.isEmpty()) {
            add(out, NameAffixTransformer.of(true, prefix, tc.namePrefix), kt, "PrefixTransformer");
        }
        String suffix = k.str("nameSuffix");
        if (!suffix.isEmpty()) {
            add(out, NameAffixTransformer.of(false, suffix, tc.nameSuffix), kt, "SuffixTransformer");
        }
        labelTransformers(out, kt, tc);
        Map<String, String> ann = k.stringMap("commonAnnotations");
        if (!ann.isEmpty()) {
            add(out, MapEntryTransformer.of(false, ann, tc.commonAnnotations), kt, "AnnotationsTransformer");
        }
        for (Map<String, Object> p : k.objects("patchesJson6902")) {
            Map<String, Object> c = new LinkedHashMap<>();
            if (p.get("target") != null) {
                c.put("target", p.get("target"));
            }
            if (p.get("path") != null) {
                c.put("path", p.get("path"));
            }
            if (p.get("patch") != null) {
                c.put("jsonOp", p.get("patch"));
            }
            add(out, configure(new PatchTransformers.Json6902Patch(), h, c, "PatchJson6902Transformer"), kt,
                    "PatchJson6902Transformer");
        }
        for (Map<String, Object> r : k.objects("replicas")) {
            add(out, ReplicaCountTransformer.of(r, tc.replicas), kt, "ReplicaCountTransformer");
        }
        for (Map<String, Object> img : k.objects("images")) {
            add(out, ImageTagTransformer.of(img, tc.images), kt, "ImageTagTransformer");
        }
        List<Map<String, Object>> repl = k.objects("replacements");
        if (!repl.isEmpty()) {
            Replacements r;
            try {
                r = Replacements.of(repl, kt.ldr);
            } catch (KustomizeException e) {
                throw trouble("ReplacementTransformer", Map.of("Replacements", repl), e);
            }
            add(out, r, kt, "ReplacementTransformer");
        }
        return out;
    }

    private static <T extends BuiltinPlugin> T configure(T p, BuiltinPlugin.PluginHelpers h, Map<String, Object> c,
                                                         String kind) {
        try {
            p.configure(h, c);
        } catch (KustomizeException e) {
            throw trouble(kind, c, e);
        }
        return p;
    }

    private static KustomizeException trouble(String kind, Map<String, Object> config, KustomizeException e) {
        return new KustomizeException("trouble configuring builtin " + kind + " with config: `\n"
                + io.currents.kustomize.yaml.YamlWriter.toYaml(config) + "`: " + e.getMessage(), e);
    }

    /** kustomize's LabelTransformer configurator: one per {@code labels} entry, then one for commonLabels. */
    private static void labelTransformers(List<PluginRunner.Configured<BuiltinPlugin.Transformer>> out, KustTarget kt,
                                          TransformerConfig tc) {
        Kustomization k = kt.k;
        List<Map<String, Object>> labels = k.objects("labels");
        Map<String, String> common = k.stringMap("commonLabels");
        if (labels.isEmpty() && common.isEmpty()) {
            return;
        }
        for (Map<String, Object> l : labels) {
            List<FieldSpec> fss = TransformerConfig.specs(l.get("fields"));
            fss = TransformerConfig.mergeAll(fss, tc.labels, "labels");
            if (BuiltinPlugin.bool(l, "includeSelectors")) {
                fss = TransformerConfig.mergeAll(fss, tc.commonLabels, "labels");
            } else {
                if (BuiltinPlugin.bool(l, "includeTemplates")) {
                    fss = TransformerConfig.mergeAll(fss, tc.templateLabels, "labels");
                }
                fss = TransformerConfig.mergeOne(fss, FieldSpec.of("metadata/labels", true));
            }
            add(out, MapEntryTransformer.of(true, BuiltinPlugin.stringMap(l, "pairs"), fss), kt, "LabelTransformer");
        }
        add(out, MapEntryTransformer.of(true, common, tc.commonLabels), kt, "LabelTransformer");
    }
}
