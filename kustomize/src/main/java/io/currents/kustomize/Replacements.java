package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The ReplacementTransformer built-in ({@code replacements}): copies a field of one object (all of it,
 * or one part of it split on a delimiter) into fields of others, selected by id, labels and annotations,
 * minus rejected ones. Target paths may use {@code *} and {@code [key=regexp]}; {@code options.create}
 * makes missing fields. A scalar target keeps its type and takes only the source's text.
 */
final class Replacements implements BuiltinPlugin.Transformer {
    static final GoStruct.Struct SCHEMA = new GoStruct.Struct("builtins.ReplacementTransformerPlugin")
            .field("replacements", GoStruct.slice(KustomizationSchema.REPLACEMENT_FIELD));

    private final List<Map<String, Object>> replacements = new ArrayList<>();

    static Replacements of(List<Map<String, Object>> fields, Loader ldr) {
        Replacements r = new Replacements();
        r.load(fields, ldr);
        return r;
    }

    @Override
    public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
        Map<String, Object> c = BuiltinPlugin.decode(config, SCHEMA);
        load(BuiltinPlugin.objects(c, "replacements"), h.ldr());
    }

    private void load(List<Map<String, Object>> fields, Loader ldr) {
        for (Map<String, Object> r : fields) {
            String path = BuiltinPlugin.str(r, "path");
            if (!path.isEmpty() && (r.get("source") != null || !BuiltinPlugin.objects(r, "targets").isEmpty())) {
                throw new KustomizeException("cannot specify both path and inline replacement");
            }
            if (path.isEmpty()) {
                replacements.add(r);
                continue;
            }
            Object doc;
            try {
                doc = Kustomization.toJsonish(YamlReader.read(ldr.read(path), true));
            } catch (YamlException e) {
                throw new KustomizeException("error converting YAML to JSON: yaml: " + e.getMessage());
            }
            try {
                if (doc instanceof List<?> l) {
                    for (Object x : l) {
                        Object d = GoStruct.decodeYaml(x, KustomizationSchema.REPLACEMENT, false);
                        replacements.add(d == null ? new java.util.LinkedHashMap<>() : Nodes.asMap(d));
                    }
                } else if (doc instanceof Map<?, ?>) {
                    replacements.add(Nodes.asMap(GoStruct.decodeYaml(doc, KustomizationSchema.REPLACEMENT, false)));
                } else {
                    throw new KustomizeException("unsupported replacement type encountered within replacement path: "
                            + (doc == null ? "invalid" : doc instanceof String ? "string" : "bool"));
                }
            } catch (GoStruct.DecodeError e) {
                throw new KustomizeException("error unmarshaling JSON: while decoding JSON: " + e.getMessage());
            }
        }
    }

    /** A resource id selector (kustomize's ResId used as one: empty fields match anything). */
    private record IdSel(Gvk gvk, String name, String namespace) {
        static IdSel of(Map<String, Object> s) {
            return new IdSel(TransformerConfig.gvk(s), BuiltinPlugin.str(s, "name"), BuiltinPlugin.str(s, "namespace"));
        }

        boolean isEmpty() {
            return gvk.group().isEmpty() && gvk.version().isEmpty() && gvk.kind().isEmpty() && name.isEmpty()
                    && namespace.isEmpty();
        }

        /** kustomize's ResId.IsSelectedBy. */
        boolean selects(ResId id) {
            return (name.isEmpty() || name.equals(id.name()))
                    && (namespace.isEmpty() || new ResId(gvk, "", namespace).isNsEquals(id))
                    && id.gvk().isSelectedBy(gvk);
        }

        @Override
        public String toString() {
            return new ResId(gvk, name, namespace).toString();
        }
    }

    /** kustomize's MakeResIds: the current id, then the previous ones (with the current group and version). */
    private static List<ResId> ids(Resource r) {
        List<ResId> out = new ArrayList<>();
        out.add(r.curId());
        out.addAll(r.previousIdsNow());
        return out;
    }

    @Override
    public void transform(ResMap m) {
        for (Map<String, Object> r : replacements) {
            Map<String, Object> source = Nodes.asMap(r.get("source"));
            if (source == null || r.get("targets") == null) {
                throw new KustomizeException("replacements must specify a source and at least one target");
            }
            Value value = sourceValue(m, source);
            for (Map<String, Object> t : BuiltinPlugin.objects(r, "targets")) {
                applyTarget(m, value, t);
            }
        }
    }

    /** The value a replacement copies: the node (as the document model has it) and kyaml's text of it. */
    private record Value(Object node, String text) {
    }

    private static Value sourceValue(ResMap m, Map<String, Object> source) {
        IdSel sel = IdSel.of(source);
        Resource src = null;
        for (Resource res : m.list) {
            for (ResId id : ids(res)) {
                if (sel.selects(id)) {
                    if (src != null) {
                        throw new KustomizeException("multiple matches for selector " + sel);
                    }
                    src = res;
                    break;
                }
            }
        }
        if (src == null) {
            throw new KustomizeException("nothing selected by " + sel);
        }
        String fp = BuiltinPlugin.str(source, "fieldPath");
        if (fp.isEmpty()) {
            fp = "metadata.name";
        }
        KyamlPath.Slot slot;
        try {
            slot = KyamlPath.lookup(src.obj, KyamlPath.splitDotted(fp));
        } catch (KustomizeException e) {
            throw new KustomizeException("error looking up replacement source: " + e.getMessage(), e);
        }
        Object v = slot == null ? null : slot.get();
        if (v == null || v instanceof Map<?, ?> vm && vm.isEmpty() || v instanceof List<?> vl && vl.isEmpty()) {
            throw new KustomizeException("fieldPath `" + fp + "` is missing for replacement source " + sel);
        }
        Map<String, Object> opts = Nodes.asMap(source.get("options"));
        String delimiter = BuiltinPlugin.str(opts, "delimiter");
        String text = Nodes.isScalar(v) ? KyamlPath.text(v) : "";
        if (!delimiter.isEmpty()) {
            if (!Nodes.isScalar(v)) {
                throw new KustomizeException("delimiter option can only be used with scalar nodes");
            }
            String[] parts = text.split(java.util.regex.Pattern.quote(delimiter), -1);
            int index = opts.get("index") == null ? 0 : ((Long) opts.get("index")).intValue();
            if (index >= parts.length || index < 0) {
                throw new KustomizeException("options.index " + index + " is out of bounds for value " + text);
            }
            // the node keeps its type with the part as its text
            return new Value(FieldPath.retype(v, parts[index]), parts[index]);
        }
        return new Value(Nodes.deepCopy(v), text);
    }

    private static void applyTarget(ResMap m, Value value, Map<String, Object> t) {
        Map<String, Object> select = Nodes.asMap(t.get("select"));
        if (select == null) {
            throw new KustomizeException("target must specify resources to select");
        }
        IdSel sel = IdSel.of(select);
        List<Map<String, Object>> rejects = BuiltinPlugin.objects(t, "reject");
        List<String> fieldPaths = BuiltinPlugin.strings(t, "fieldPaths");
        if (fieldPaths.isEmpty()) {
            fieldPaths = List.of("metadata.name");
        }
        Map<String, Object> options = Nodes.asMap(t.get("options"));
        for (Resource res : new ArrayList<>(m.list)) {
            List<ResId> ids = ids(res);
            if (!selectByAnnoAndLabel(res, select, rejects)) {
                continue;
            }
            for (ResId id : ids) {
                if (sel.selects(id) && !containsRejectId(rejects, ids)) {
                    copyValueToTarget(res, value, fieldPaths, options);
                    break;
                }
            }
        }
    }

    private static boolean matchesAnnoAndLabel(Resource res, Map<String, Object> selector) {
        String anno = BuiltinPlugin.str(selector, "annotationSelector");
        String label = BuiltinPlugin.str(selector, "labelSelector");
        return LabelSelector.parse(anno).matches(res.annotations()) && LabelSelector.parse(label).matches(res.labels());
    }

    private static boolean selectByAnnoAndLabel(Resource res, Map<String, Object> select, List<Map<String, Object>> rejects) {
        if (!matchesAnnoAndLabel(res, select)) {
            return false;
        }
        for (Map<String, Object> reject : rejects) {
            if (BuiltinPlugin.str(reject, "annotationSelector").isEmpty() && BuiltinPlugin.str(reject, "labelSelector").isEmpty()) {
                continue;
            }
            if (matchesAnnoAndLabel(res, reject)) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsRejectId(List<Map<String, Object>> rejects, List<ResId> ids) {
        for (Map<String, Object> r : rejects) {
            IdSel s = IdSel.of(r);
            if (s.isEmpty()) {
                continue;
            }
            for (ResId id : ids) {
                if (s.selects(id)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void copyValueToTarget(Resource res, Value value, List<String> fieldPaths, Map<String, Object> options) {
        boolean create = BuiltinPlugin.bool(options, "create");
        for (String fp : fieldPaths) {
            KyamlPath.Kind kind = !create ? null : value.node() instanceof Map ? KyamlPath.Kind.MAP
                    : value.node() instanceof List ? KyamlPath.Kind.SEQ : KyamlPath.Kind.SCALAR;
            String what = "unable to " + (create ? "find or create" : "find") + " field " + PatchTransformers.quote(fp)
                    + " in replacement target";
            List<KyamlPath.Slot> slots;
            try {
                slots = KyamlPath.match(res.obj, KyamlPath.splitDotted(fp), kind);
            } catch (KustomizeException e) {
                throw new KustomizeException(what + ": " + e.getMessage(), e);
            }
            if (slots.isEmpty()) {
                throw new KustomizeException(what);
            }
            for (KyamlPath.Slot s : slots) {
                setFieldValue(options, s, value);
            }
        }
    }

    private static void setFieldValue(Map<String, Object> options, KyamlPath.Slot target, Value value) {
        Object cur = target.get();
        String text = value.text();
        Object node = Nodes.deepCopy(value.node());
        String delimiter = BuiltinPlugin.str(options, "delimiter");
        if (!delimiter.isEmpty()) {
            if (!Nodes.isScalar(cur) && cur != KyamlPath.CREATED) {
                throw new KustomizeException("delimiter option can only be used with scalar nodes");
            }
            List<String> tv = new ArrayList<>(Arrays.asList(KyamlPath.text(cur).split(
                    java.util.regex.Pattern.quote(delimiter), -1)));
            int index = options.get("index") == null ? 0 : ((Long) options.get("index")).intValue();
            if (index < 0) {
                tv.add(0, text);
            } else if (index >= tv.size()) {
                tv.add(text);
            } else {
                tv.set(index, text);
            }
            text = String.join(delimiter, tv);
            node = Nodes.isScalar(node) ? FieldPath.retype(node, text) : node;
        }
        if (cur == KyamlPath.CREATED) {
            // a created field has no type: its text decides it, as a plain YAML scalar
            target.set(io.currents.kustomize.yaml.GoScalars.resolvePlainV3(text));
        } else if (Nodes.isScalar(cur)) {
            if (cur == null) {
                throw new KustomizeException("map[string]interface {}(nil): yaml: cannot decode !!str `" + text
                        + "` as a !!null");
            }
            target.set(FieldPath.retype(cur, text));
        } else {
            target.set(node);
        }
    }
}
