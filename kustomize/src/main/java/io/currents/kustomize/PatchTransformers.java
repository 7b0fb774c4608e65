package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The patch built-ins: PatchTransformer ({@code patches}: strategic merge or JSON 6902, inline or from a
 * file, by target selector or by the patch's own id), PatchStrategicMergeTransformer
 * ({@code patchesStrategicMerge}) and PatchJson6902Transformer ({@code patchesJson6902}).
 */
final class PatchTransformers {
    private PatchTransformers() {
    }

    static final GoStruct.Struct PATCH_SCHEMA = new GoStruct.Struct("builtins.PatchTransformerPlugin")
            .field("path", GoStruct.STRING).field("patch", GoStruct.STRING)
            .field("target", GoStruct.ptr(KustomizationSchema.SELECTOR)).field("options", GoStruct.map(GoStruct.BOOL));
    static final GoStruct.Struct SMP_SCHEMA = new GoStruct.Struct("builtins.PatchStrategicMergeTransformerPlugin")
            .field("paths", GoStruct.slice(GoStruct.named("types.PatchStrategicMerge", 's')))
            .field("patches", GoStruct.STRING);
    static final GoStruct.Struct JSON6902_SCHEMA = new GoStruct.Struct("builtins.PatchJson6902TransformerPlugin")
            .field("target", GoStruct.ptr(KustomizationSchema.SELECTOR)).field("path", GoStruct.STRING)
            .field("jsonOp", GoStruct.STRING);

    /** A strategic merge patch object with the options that let it rename or re-kind its target. */
    record SmPatch(Resource patch, boolean allowNameChange, boolean allowKindChange) {
    }

    /** Go's %q of a string (as kustomize prints a patch's source). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        GoJson.string(s, sb);
        return sb.toString().replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&");
    }

    /** Strategic merge patch objects from a text, or null when the text is not objects (kustomize's SliceFromBytes). */
    static List<Resource> smPatches(String text) {
        try {
            return ResourceFactory.sliceFromBytes(text, "patch");
        } catch (KustomizeException e) {
            return null;
        }
    }

    /** JSON 6902 operations from a text, or null when it is not a JSON patch. */
    static List<Object> jsonPatch(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            if (text.charAt(0) == '[') {
                Object ops = YamlReader.read(text, false);
                return Nodes.asList(ops);
            }
            return JsonPatch.v2Ops(text);
        } catch (KustomizeException | YamlException e) {
            return null;
        }
    }

    /** kustomize's ResMap.ApplySmPatch: the patch applied to each selected object; emptied objects go. */
    static void applySmPatch(ResMap m, List<Resource> selected, SmPatch p) {
        List<Resource> list = new ArrayList<>();
        for (Resource res : new ArrayList<>(m.list)) {
            if (selected.contains(res)) {
                Resource copy = new Resource(Nodes.copyMap(p.patch().obj));
                copy.obj.put("apiVersion", res.apiVersion());
                copy.setKind(p.patch().kind());
                applyTo(res, copy, p.allowNameChange(), p.allowKindChange());
            }
            if (!res.isEmpty()) {
                list.add(res);
            }
        }
        m.list.clear();
        for (Resource r : list) {
            m.append(r);
        }
    }

    /** kustomize's Resource.ApplySmPatch. */
    static void applyTo(Resource r, Resource patch, boolean allowName, boolean allowKind) {
        String n = r.name();
        String ns = r.namespace();
        String k = r.kind();
        if (allowName || allowKind) {
            r.storePreviousId();
        }
        Map<String, Object> merged = StrategicMerge.merge(r.obj, patch.obj);
        if (merged == null || merged.isEmpty()) {
            r.obj = new java.util.LinkedHashMap<>();
            return;
        }
        r.obj = merged;
        if (!allowKind) {
            r.setKind(k);
        }
        if (!allowName) {
            r.setName(n);
        }
        r.setNamespace(ns);
    }

    /** The PatchTransformer built-in. */
    static final class Patch implements BuiltinPlugin.Transformer {
        private List<SmPatch> smPatches;
        private List<Object> jsonOps;
        private String patchText;
        private String source;
        private ResMap.Selector target;

        @Override
        public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
            Map<String, Object> c = BuiltinPlugin.decode(config, PATCH_SCHEMA);
            String patch = BuiltinPlugin.str(c, "patch").strip();
            String path = BuiltinPlugin.str(c, "path");
            if (patch.isEmpty() && path.isEmpty()) {
                throw new KustomizeException("must specify one of patch and path in\n" + describe(config));
            }
            if (!patch.isEmpty() && !path.isEmpty()) {
                throw new KustomizeException("patch and path can't be set at the same time\n" + describe(config));
            }
            if (!patch.isEmpty()) {
                patchText = patch;
                source = "[patch: " + quote(patchText) + "]";
            } else {
                try {
                    patchText = h.ldr().read(path);
                } catch (KustomizeException e) {
                    throw new KustomizeException("failed to get the patch file from path(" + path + "): "
                            + e.getMessage(), e);
                }
                source = "[path: " + quote(path) + "]";
            }
            target = ResMap.Selector.fromMap(Nodes.asMap(c.get("target")));
            Map<String, Object> opts = Nodes.asMap(c.get("options"));
            boolean allowName = opts != null && Boolean.TRUE.equals(opts.get("allowNameChange"));
            boolean allowKind = opts != null && Boolean.TRUE.equals(opts.get("allowKindChange"));
            List<Resource> sm = smPatches(patchText);
            List<Object> json = jsonPatch(patchText);
            if (sm != null && json != null) {
                throw new KustomizeException("illegally qualifies as both an SM and JSON patch: " + source);
            }
            if (sm == null && json == null) {
                throw new KustomizeException("unable to parse SM or JSON patch from " + source);
            }
            if (sm != null && sm.isEmpty()) {
                // no objects (only comments): kustomize falls through to an empty JSON patch
                jsonOps = List.of();
            } else if (sm != null) {
                smPatches = new ArrayList<>();
                for (Resource r : sm) {
                    smPatches.add(new SmPatch(r, allowName, allowKind));
                }
            } else {
                jsonOps = json;
            }
        }

        private static String describe(Map<String, Object> config) {
            return io.currents.kustomize.yaml.YamlWriter.toYaml(config);
        }

        @Override
        public void transform(ResMap m) {
            if (smPatches != null) {
                transformStrategicMerge(m);
            } else {
                transformJson(m);
            }
        }

        private void transformStrategicMerge(ResMap m) {
            if (target != null) {
                if (smPatches.size() > 1) {
                    throw new KustomizeException("Multiple Strategic-Merge Patches in one `patches` entry is not "
                            + "allowed to set `patches.target` field: " + source);
                }
                List<Resource> selected;
                try {
                    selected = m.select(target);
                } catch (KustomizeException e) {
                    throw new KustomizeException("unable to find patch target \"" + target + "\" in `resources`: "
                            + e.getMessage(), e);
                }
                applySmPatch(m, selected, smPatches.get(0));
                return;
            }
            for (SmPatch p : smPatches) {
                Resource t;
                try {
                    t = m.getById(p.patch().orgId());
                } catch (KustomizeException e) {
                    throw new KustomizeException("no resource matches strategic merge patch \"" + p.patch().orgId()
                            + "\": " + e.getMessage(), e);
                }
                applyTo(t, p.patch(), p.allowNameChange(), p.allowKindChange());
            }
        }

        private void transformJson(ResMap m) {
            if (target == null) {
                throw new KustomizeException("must specify a target for JSON patch " + source);
            }
            for (Resource r : m.select(target)) {
                r.storePreviousId();
                JsonPatch.apply(r, jsonOps, source);
            }
        }
    }

    /** The PatchStrategicMergeTransformer built-in. */
    static final class StrategicMergePatch implements BuiltinPlugin.Transformer {
        private final List<Resource> patches = new ArrayList<>();

        @Override
        public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
            Map<String, Object> c = BuiltinPlugin.decode(config, SMP_SCHEMA);
            List<String> paths = BuiltinPlugin.strings(c, "paths");
            String inline = BuiltinPlugin.str(c, "patches");
            if (paths.isEmpty() && inline.isEmpty()) {
                throw new KustomizeException("empty file path and empty patch content");
            }
            for (String p : paths) {
                List<Resource> rs = smPatches(p);
                if (rs == null || rs.isEmpty() && !p.isBlank() && !p.contains("\n") && h.ldr().isFile(p)) {
                    String text = h.ldr().read(p);
                    rs = ResourceFactory.sliceFromBytes(text, h.ldr().resolve(p).toString());
                }
                patches.addAll(rs);
            }
            if (!inline.isEmpty()) {
                patches.addAll(ResourceFactory.sliceFromBytes(inline, "patches"));
            }
            if (patches.isEmpty()) {
                throw new KustomizeException("patch appears to be empty; files=" + paths + ", Patch=" + inline);
            }
        }

        @Override
        public void transform(ResMap m) {
            for (Resource p : patches) {
                Resource t = m.getById(p.orgId());
                applySmPatch(m, List.of(t), new SmPatch(p, false, false));
            }
        }
    }

    /** The PatchJson6902Transformer built-in. */
    static final class Json6902Patch implements BuiltinPlugin.Transformer {
        private ResMap.Selector target;
        private List<Object> ops;
        private String source;

        @Override
        public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
            Map<String, Object> c = BuiltinPlugin.decode(config, JSON6902_SCHEMA);
            target = ResMap.Selector.fromMap(Nodes.asMap(c.get("target")));
            if (target == null || target.name().isEmpty()) {
                throw new KustomizeException("must specify the target name");
            }
            String path = BuiltinPlugin.str(c, "path");
            String op = BuiltinPlugin.str(c, "jsonOp");
            if (path.isEmpty() && op.isEmpty()) {
                throw new KustomizeException("empty file path and empty jsonOp");
            }
            if (!path.isEmpty()) {
                if (!op.isEmpty()) {
                    throw new KustomizeException("must specify a file path or jsonOp, not both");
                }
                op = h.ldr().read(path);
                if (op.isEmpty()) {
                    throw new KustomizeException("patch file '" + path + "' empty seems to be empty");
                }
            }
            source = path.isEmpty() ? op : path;
            List<Object> parsed = jsonPatch(op);
            if (parsed == null) {
                throw new KustomizeException("decoding " + op + ": json: cannot unmarshal object into Go value of "
                        + "type jsonpatch.Patch");
            }
            if (parsed.isEmpty()) {
                throw new KustomizeException("patch appears to be empty; file=" + path + ", JsonOp=" + op);
            }
            ops = parsed;
        }

        @Override
        public void transform(ResMap m) {
            for (Resource r : m.select(target)) {
                JsonPatch.apply(r, ops, source);
            }
        }
    }
}
