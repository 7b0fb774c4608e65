package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * kustomize's builtinconfig.TransformerConfig: the field specs each built-in transformer uses and the
 * name-reference table. Each kustomization level starts from the defaults (a resource file in the
 * {@code configurations} format) merged with its own {@code configurations} and {@code crds}; merging
 * drops field specs already covered and sorts as kustomize sorts (Go's unstable sort, by type).
 */
final class TransformerConfig {
    /** A name-reference rule: objects of type {@code target} are referred to at these field specs. */
    record NameBackRef(Gvk target, List<FieldSpec> referrers) {
    }

    List<FieldSpec> namePrefix = new ArrayList<>();
    List<FieldSpec> nameSuffix = new ArrayList<>();
    List<FieldSpec> namespace = new ArrayList<>();
    List<FieldSpec> commonLabels = new ArrayList<>();
    List<FieldSpec> labels = new ArrayList<>();
    List<FieldSpec> templateLabels = new ArrayList<>();
    List<FieldSpec> commonAnnotations = new ArrayList<>();
    List<NameBackRef> nameReference = new ArrayList<>();
    List<FieldSpec> varReference = new ArrayList<>();
    List<FieldSpec> images = new ArrayList<>();
    List<FieldSpec> replicas = new ArrayList<>();
    /** Set on copies of the defaults (and merges of them with themselves): merging two such is a copy. */
    private boolean isDefaults;

    private static volatile TransformerConfig defaults;

    /** kustomize's MakeDefaultConfig (a copy each time). */
    static TransformerConfig defaults() {
        TransformerConfig d = defaults;
        if (d == null) {
            try (InputStream in = TransformerConfig.class.getResourceAsStream("default-field-specs.yaml")) {
                // merged into an empty configuration, as every accumulator receives it (duplicates dropped)
                d = new TransformerConfig().merge(fromText(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        "default-field-specs.yaml"));
            } catch (IOException e) {
                throw new IllegalStateException("the default field specs are missing from the classpath", e);
            }
            d.isDefaults = true;
            defaults = d;
        }
        return d.copy();
    }

    /** kustomize's MakeTransformerConfig: the defaults merged with the configuration files. */
    static TransformerConfig make(Loader ldr, List<String> paths) {
        TransformerConfig t1 = defaults();
        if (paths.isEmpty()) {
            return t1;
        }
        TransformerConfig result = new TransformerConfig();
        for (String path : paths) {
            String text = ldr.read(path);
            result = result.merge(fromText(text, path));
        }
        return t1.merge(result);
    }

    /** A configuration file: decoded strictly (sigs.k8s.io/yaml UnmarshalStrict), then sorted. */
    static TransformerConfig fromText(String text, String where) {
        Object doc;
        try {
            doc = Kustomization.toJsonish(YamlReader.read(text, true));
        } catch (YamlException e) {
            throw new KustomizeException("error converting YAML to JSON: yaml: " + e.getMessage());
        }
        TransformerConfig t = new TransformerConfig();
        if (doc == null) {
            return t;
        }
        Map<String, Object> m;
        try {
            m = Nodes.asMap(GoStruct.decodeYaml(doc, KustomizationSchema.TRANSFORMER_CONFIG, true));
        } catch (GoStruct.DecodeError e) {
            throw new KustomizeException("error unmarshaling JSON: while decoding JSON: " + e.getMessage());
        }
        t.namePrefix = specs(m.get("namePrefix"));
        t.nameSuffix = specs(m.get("nameSuffix"));
        t.namespace = specs(m.get("namespace"));
        t.commonLabels = specs(m.get("commonLabels"));
        t.labels = specs(m.get("labels"));
        t.templateLabels = specs(m.get("templateLabels"));
        t.commonAnnotations = specs(m.get("commonAnnotations"));
        t.varReference = specs(m.get("varReference"));
        t.images = specs(m.get("images"));
        t.replicas = specs(m.get("replicas"));
        List<Object> nrs = Nodes.asList(m.get("nameReference"));
        if (nrs != null) {
            for (Object o : nrs) {
                Map<String, Object> nr = Nodes.asMap(o);
                t.nameReference.add(new NameBackRef(gvk(nr), specs(nr.get("fieldSpecs"))));
            }
        }
        t.sortFields();
        return t;
    }

    static Gvk gvk(Map<String, Object> m) {
        return new Gvk(str(m.get("group")), str(m.get("version")), str(m.get("kind")));
    }

    private static String str(Object o) {
        return o == null ? "" : (String) o;
    }

    /** Field specs from a decoded {@code []types.FieldSpec}. */
    static List<FieldSpec> specs(Object list) {
        List<FieldSpec> out = new ArrayList<>();
        List<Object> l = Nodes.asList(list);
        if (l == null) {
            return out;
        }
        for (Object o : l) {
            out.add(fieldSpec(Nodes.asMap(o)));
        }
        return out;
    }

    static FieldSpec fieldSpec(Map<String, Object> m) {
        return new FieldSpec(gvk(m), str(m.get("path")), Boolean.TRUE.equals(m.get("create")));
    }

    TransformerConfig copy() {
        TransformerConfig c = new TransformerConfig();
        c.namePrefix = new ArrayList<>(namePrefix);
        c.nameSuffix = new ArrayList<>(nameSuffix);
        c.namespace = new ArrayList<>(namespace);
        c.commonLabels = new ArrayList<>(commonLabels);
        c.labels = new ArrayList<>(labels);
        c.templateLabels = new ArrayList<>(templateLabels);
        c.commonAnnotations = new ArrayList<>(commonAnnotations);
        c.varReference = new ArrayList<>(varReference);
        c.images = new ArrayList<>(images);
        c.replicas = new ArrayList<>(replicas);
        c.isDefaults = isDefaults;
        for (NameBackRef r : nameReference) {
            c.nameReference.add(new NameBackRef(r.target(), new ArrayList<>(r.referrers())));
        }
        return c;
    }

    /** kustomize's TransformerConfig.Merge: a new, sorted configuration holding both. */
    TransformerConfig merge(TransformerConfig input) {
        if (input == null) {
            return this;
        }
        if (isDefaults && input.isDefaults) {
            // every spec of one is already in the other, and sorting a sorted list changes nothing
            return copy();
        }
        if (isEmpty() && input.isDefaults) {
            return input.copy();
        }
        TransformerConfig m = new TransformerConfig();
        m.namePrefix = mergeAll(namePrefix, input.namePrefix, "NamePrefix");
        m.nameSuffix = mergeAll(nameSuffix, input.nameSuffix, "NameSuffix");
        m.namespace = mergeAll(namespace, input.namespace, "NameSpace");
        m.commonAnnotations = mergeAll(commonAnnotations, input.commonAnnotations, "CommonAnnotations");
        m.commonLabels = mergeAll(commonLabels, input.commonLabels, "CommonLabels");
        m.labels = mergeAll(labels, input.labels, "Labels");
        m.templateLabels = mergeAll(templateLabels, input.templateLabels, "TemplateLabels");
        m.varReference = mergeAll(varReference, input.varReference, "VarReference");
        List<NameBackRef> refs = new ArrayList<>();
        for (NameBackRef r : nameReference) {
            refs.add(new NameBackRef(r.target(), new ArrayList<>(r.referrers())));
        }
        for (NameBackRef other : input.nameReference) {
            boolean found = false;
            for (int i = 0; i < refs.size(); i++) {
                NameBackRef c = refs.get(i);
                if (c.target().equals(other.target())) {
                    refs.set(i, new NameBackRef(c.target(), mergeAll(c.referrers(), other.referrers(), "NameReference")));
                    found = true;
                }
            }
            if (!found) {
                refs.add(new NameBackRef(other.target(), new ArrayList<>(other.referrers())));
            }
        }
        m.nameReference = refs;
        m.images = mergeAll(images, input.images, "Images");
        m.replicas = mergeAll(replicas, input.replicas, "Replicas");
        m.sortFields();
        return m;
    }

    private boolean isEmpty() {
        return namePrefix.isEmpty() && nameSuffix.isEmpty() && namespace.isEmpty() && commonLabels.isEmpty()
                && labels.isEmpty() && templateLabels.isEmpty() && commonAnnotations.isEmpty()
                && nameReference.isEmpty() && varReference.isEmpty() && images.isEmpty() && replicas.isEmpty();
    }

    /** kustomize's FsSlice.MergeAll: appends specs not already covered; a create flag clash is an error. */
    static List<FieldSpec> mergeAll(List<FieldSpec> into, List<FieldSpec> incoming, String what) {
        List<FieldSpec> result = new ArrayList<>(into);
        for (FieldSpec x : incoming) {
            int idx = -1;
            for (int i = 0; i < result.size(); i++) {
                FieldSpec s = result.get(i);
                if (s.gvk().isSelectedBy(x.gvk()) && s.path().equals(x.path())) {
                    idx = i;
                    break;
                }
            }
            if (idx > -1) {
                if (result.get(idx).create() != x.create()) {
                    throw new KustomizeException("failed to merge " + what + " fieldSpec: conflicting fieldspecs");
                }
                continue;
            }
            result.add(x);
        }
        return result;
    }

    /** kustomize's FsSlice.MergeOne. */
    static List<FieldSpec> mergeOne(List<FieldSpec> into, FieldSpec x) {
        return mergeAll(into, List.of(x), "");
    }

    private static final Comparator<FieldSpec> BY_GVK = (a, b) -> compareGvk(a.gvk(), b.gvk());

    /** Gvk.IsLessThan as a comparator (0 when neither is less). */
    static int compareGvk(Gvk a, Gvk b) {
        if (a.isLessThan(b)) {
            return -1;
        }
        return b.isLessThan(a) ? 1 : 0;
    }

    private void sortFields() {
        GoSort.sort(namePrefix, BY_GVK);
        GoSort.sort(nameSuffix, BY_GVK);
        GoSort.sort(namespace, BY_GVK);
        GoSort.sort(commonLabels, BY_GVK);
        GoSort.sort(labels, BY_GVK);
        GoSort.sort(templateLabels, BY_GVK);
        GoSort.sort(commonAnnotations, BY_GVK);
        GoSort.sort(nameReference, (a, b) -> compareGvk(a.target(), b.target()));
        GoSort.sort(varReference, BY_GVK);
        GoSort.sort(images, BY_GVK);
        GoSort.sort(replicas, BY_GVK);
    }
}
