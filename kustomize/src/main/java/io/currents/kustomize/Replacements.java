package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The replacements field: copy a value from one object's field into fields of others. */
final class Replacements {
    private Replacements() {
    }

    static void run(KustTarget kt, ResMap m) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> r : kt.k.objects("replacements")) {
            String path = Kustomization.asString(r.get("path"), "ReplacementField.path");
            if (!path.isEmpty()) {
                Object doc;
                try {
                    doc = Kustomization.toJsonish(YamlReader.read(kt.ldr.read(path), true));
                } catch (YamlException e) {
                    throw new KustomizeException("MalformedYAMLError: " + e.getMessage() + " in File: "
                            + kt.ldr.resolve(path));
                }
                if (doc instanceof List<?> l) {
                    for (Object x : l) {
                        all.add(Nodes.asMap(x));
                    }
                } else if (doc instanceof Map<?, ?>) {
                    all.add(Nodes.asMap(doc));
                }
            } else {
                all.add(r);
            }
        }
        for (Map<String, Object> r : all) {
            apply(m, r);
        }
    }

    private record Sel(Gvk gvk, String name, String namespace, String labelSelector, String annotationSelector) {
        static Sel of(Map<String, Object> s) {
            if (s == null) {
                return null;
            }
            return new Sel(new Gvk(str(s, "group"), str(s, "version"), str(s, "kind")), str(s, "name"),
                    str(s, "namespace"), str(s, "labelSelector"), str(s, "annotationSelector"));
        }

        boolean selects(ResId id) {
            return (name.isEmpty() || name.equals(id.name()))
                    && (namespace.isEmpty() || new ResId(gvk, "", namespace).isNsEquals(id))
                    && id.gvk().isSelectedBy(gvk);
        }

        @Override
        public String toString() {
            return gvk + "/" + (name.isEmpty() ? "[noName]" : name) + "." + (namespace.isEmpty() ? "[noNs]" : namespace);
        }
    }

    private static String str(Map<String, Object> m, String k) {
        return Kustomization.asString(m.get(k), "replacement." + k);
    }

    private record Options(String delimiter, int index, boolean create) {
        static Options of(Map<String, Object> m) {
            if (m == null) {
                return new Options("", 0, false);
            }
            return new Options(str(m, "delimiter"), (int) Kustomization.asLong(m.get("index"), "FieldOptions.index"),
                    Kustomization.asBool(m.get("create"), "FieldOptions.create"));
        }
    }

    private static void apply(ResMap m, Map<String, Object> r) {
        Map<String, Object> source = Nodes.asMap(r.get("source"));
        if (source == null) {
            throw new KustomizeException("replacements must specify a source and at least one target");
        }
        Sel sel = Sel.of(source);
        Resource src = null;
        for (Resource res : m) {
            for (ResId id : res.prevIds()) {
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
        String fp = str(source, "fieldPath");
        if (fp.isEmpty()) {
            fp = "metadata.name";
        }
        List<FieldPath.Slot> slots = FieldPath.find(src.obj, FieldPath.split(fp), false, null);
        Object value = slots.isEmpty() ? null : slots.get(0).get();
        if (value == null || (value instanceof Map<?, ?> vm && vm.isEmpty()) || (value instanceof List<?> vl && vl.isEmpty())
                || "".equals(value)) {
            throw new KustomizeException("fieldPath `" + fp + "` is missing for replacement source " + sel);
        }
        Options so = Options.of(Nodes.asMap(source.get("options")));
        if (!so.delimiter().isEmpty()) {
            if (!Nodes.isScalar(value)) {
                throw new KustomizeException("delimiter option can only be used with scalar nodes");
            }
            String[] parts = Nodes.scalarText(value).split(java.util.regex.Pattern.quote(so.delimiter()), -1);
            if (so.index() >= parts.length || so.index() < 0) {
                throw new KustomizeException("options.index " + so.index() + " is out of bounds for value "
                        + Nodes.scalarText(value));
            }
            value = io.currents.kustomize.yaml.GoScalars.resolvePlainV3(parts[so.index()]);
            if (!(value instanceof String) && Nodes.isScalar(value)) {
                value = parts[so.index()];
            }
        }
        List<Map<String, Object>> targets = Kustomization.asObjects(r.get("targets"), "Replacement.targets");
        for (Map<String, Object> t : targets) {
            Map<String, Object> select = Nodes.asMap(t.get("select"));
            if (select == null) {
                throw new KustomizeException("target must specify resources to select");
            }
            Sel ts = Sel.of(select);
            List<Sel> rejects = new ArrayList<>();
            for (Map<String, Object> rj : Kustomization.asObjects(t.get("reject"), "TargetSelector.reject")) {
                rejects.add(Sel.of(rj));
            }
            List<String> fieldPaths = Kustomization.asStrings(t.get("fieldPaths"), "TargetSelector.fieldPaths");
            if (fieldPaths.isEmpty()) {
                fieldPaths = List.of("metadata.name");
            }
            Options to = Options.of(Nodes.asMap(t.get("options")));
            for (Resource res : m) {
                if (!ts.labelSelector().isEmpty() && !LabelSelector.parse(ts.labelSelector()).matches(res.labels())) {
                    continue;
                }
                if (!ts.annotationSelector().isEmpty()
                        && !LabelSelector.parse(ts.annotationSelector()).matches(res.annotations())) {
                    continue;
                }
                if (isRejected(res, rejects)) {
                    continue;
                }
                boolean selected = false;
                for (ResId id : res.prevIds()) {
                    if (ts.selects(id)) {
                        selected = true;
                        break;
                    }
                }
                if (!selected) {
                    continue;
                }
                for (String path : fieldPaths) {
                    copy(res, value, path, to);
                }
            }
        }
    }

    private static boolean isRejected(Resource res, List<Sel> rejects) {
        for (Sel rj : rejects) {
            boolean idMatch = false;
            for (ResId id : res.prevIds()) {
                if (rj.selects(id)) {
                    idMatch = true;
                    break;
                }
            }
            if (!idMatch) {
                continue;
            }
            if (!rj.labelSelector().isEmpty() && !LabelSelector.parse(rj.labelSelector()).matches(res.labels())) {
                continue;
            }
            if (!rj.annotationSelector().isEmpty()
                    && !LabelSelector.parse(rj.annotationSelector()).matches(res.annotations())) {
                continue;
            }
            return true;
        }
        return false;
    }

    private static void copy(Resource res, Object value, String path, Options o) {
        List<FieldPath.Slot> slots;
        try {
            slots = FieldPath.find(res.obj, FieldPath.split(path), o.create(), value);
        } catch (KustomizeException e) {
            throw new KustomizeException((o.create() ? "unable to find or create field \"" : "unable to find field \"")
                    + path + "\" in replacement target: " + e.getMessage(), e);
        }
        if (slots.isEmpty()) {
            throw new KustomizeException((o.create() ? "unable to find or create field \"" : "unable to find field \"")
                    + path + "\" in replacement target");
        }
        for (FieldPath.Slot s : slots) {
            Object v = Nodes.deepCopy(value);
            Object cur = s.get();
            if (!o.delimiter().isEmpty()) {
                if (!Nodes.isScalar(cur)) {
                    throw new KustomizeException("delimiter option can only be used with scalar nodes");
                }
                List<String> tv = new ArrayList<>(Arrays.asList(Nodes.scalarText(cur)
                        .split(java.util.regex.Pattern.quote(o.delimiter()), -1)));
                String sv = Nodes.scalarText(v);
                if (o.index() < 0) {
                    tv.add(0, sv);
                } else if (o.index() >= tv.size()) {
                    tv.add(sv);
                } else {
                    tv.set(o.index(), sv);
                }
                v = String.join(o.delimiter(), tv);
            }
            if (cur == FieldPath.CREATED) {
                s.set(Nodes.isScalar(v) && v != null
                        ? io.currents.kustomize.yaml.GoScalars.resolvePlainV3(Nodes.scalarText(v)) : v);
            } else if (Nodes.isScalar(cur) && cur != null && Nodes.isScalar(v)) {
                s.set(FieldPath.retype(cur, v == null ? "" : Nodes.scalarText(v)));
            } else {
                s.set(v);
            }
        }
    }
}
