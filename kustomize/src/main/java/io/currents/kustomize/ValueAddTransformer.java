package io.currents.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ValueAddTransformer built-in: puts a value (by default the kustomization directory's name) into
 * a field of the selected objects, or into one part of a path-valued field; {@code metadata/namespace}
 * goes through the namespace filter.
 */
final class ValueAddTransformer implements BuiltinPlugin.Transformer {
    private static final GoStruct.Struct TARGET = new GoStruct.Struct("builtins.Target")
            .field("selector", GoStruct.ptr(KustomizationSchema.SELECTOR)).field("fieldPath", GoStruct.STRING)
            .field("filePathPosition", GoStruct.INT);
    static final GoStruct.Struct SCHEMA = new GoStruct.Struct("builtins.ValueAddTransformerPlugin")
            .field("value", GoStruct.STRING).field("targets", GoStruct.slice(TARGET))
            .field("targetFilePath", GoStruct.STRING);
    private static final GoStruct.Struct TARGETS_FILE = new GoStruct.Struct("struct")
            .field("targets", GoStruct.slice(TARGET));

    private String value;
    private final List<Map<String, Object>> targets = new ArrayList<>();

    @Override
    public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
        Map<String, Object> c = BuiltinPlugin.decode(config, SCHEMA);
        value = BuiltinPlugin.str(c, "value").strip();
        if (value.isEmpty()) {
            value = h.ldr().root.getFileName() == null ? "/" : h.ldr().root.getFileName().toString();
        }
        targets.addAll(BuiltinPlugin.objects(c, "targets"));
        String file = BuiltinPlugin.str(c, "targetFilePath");
        if (!file.isEmpty()) {
            Object doc = Kustomization.toJsonish(io.currents.kustomize.yaml.YamlReader.read(h.ldr().read(file), true));
            if (doc != null) {
                Map<String, Object> d;
                try {
                    d = Nodes.asMap(GoStruct.decodeYaml(doc, TARGETS_FILE, false));
                } catch (GoStruct.DecodeError e) {
                    throw new KustomizeException("error unmarshaling JSON: while decoding JSON: " + e.getMessage());
                }
                targets.addAll(BuiltinPlugin.objects(d, "targets"));
            }
        }
        if (targets.isEmpty()) {
            throw new KustomizeException("must specify at least one target");
        }
        for (Map<String, Object> t : targets) {
            if (BuiltinPlugin.str(t, "fieldPath").isEmpty()) {
                throw new KustomizeException("fieldPath cannot be empty");
            }
            Object pos = t.get("filePathPosition");
            if (pos != null && (Long) pos < 0) {
                throw new KustomizeException("value of FilePathPosition (" + pos + ") cannot be negative");
            }
        }
    }

    @Override
    public void transform(ResMap m) {
        for (Map<String, Object> t : targets) {
            ResMap.Selector sel = ResMap.Selector.fromMap(Nodes.asMap(t.get("selector")));
            List<Resource> rs = sel == null ? new ArrayList<>(m.list) : m.select(sel);
            String fieldPath = BuiltinPlugin.str(t, "fieldPath");
            int position = t.get("filePathPosition") == null ? 0 : ((Long) t.get("filePathPosition")).intValue();
            for (Resource r : rs) {
                if (fieldPath.equals("metadata/namespace")) {
                    NamespaceTransformer.apply(r, value, List.of(), false, "defaultOnly");
                    continue;
                }
                set(r.obj, fieldPath, position);
            }
        }
    }

    private void set(Map<String, Object> obj, String fieldPath, int position) {
        List<String> fields = new ArrayList<>();
        for (String f : fieldPath.split("/", -1)) {
            if (!fields.isEmpty() && fields.get(fields.size() - 1).endsWith("\\")) {
                String last = fields.remove(fields.size() - 1);
                fields.add(last.substring(0, last.length() - 1) + "/" + f);
            } else {
                fields.add(f);
            }
        }
        List<String> clean = new ArrayList<>();
        for (String f : fields) {
            if (!f.strip().isEmpty()) {
                clean.add(f.strip());
            }
        }
        if (clean.isEmpty()) {
            return;
        }
        Object node = obj;
        for (int i = 0; i < clean.size() - 1; i++) {
            Map<String, Object> m = Nodes.asMap(node);
            if (m == null) {
                throw new KustomizeException("wrong node kind: expected MappingNode but got " + KyamlPath.kindName(node));
            }
            if (!m.containsKey(clean.get(i))) {
                m.put(clean.get(i), new LinkedHashMap<String, Object>());
            }
            node = m.get(clean.get(i));
        }
        Map<String, Object> parent = Nodes.asMap(node);
        if (parent == null) {
            if (node == null) {
                return;
            }
            throw new KustomizeException("wrong node kind: expected MappingNode but got " + KyamlPath.kindName(node));
        }
        String key = clean.get(clean.size() - 1);
        Object cur = parent.get(key);
        if (cur instanceof Map || cur instanceof List) {
            throw new KustomizeException("wrong node kind: expected ScalarNode but got " + KyamlPath.kindName(cur));
        }
        String newValue = value;
        if (position > 0) {
            newValue = insertPathPart(KyamlPath.text(cur), position - 1, value);
        }
        parent.put(key, newValue);
    }

    /** kustomize's filesys.InsertPathPart. */
    static String insertPathPart(String path, int pos, String part) {
        if (part.isEmpty()) {
            return path;
        }
        List<String> parts = new ArrayList<>(List.of(path.split("/", -1)));
        if (path.isEmpty()) {
            parts = new ArrayList<>();
        }
        if (pos < 0) {
            pos = 0;
        } else if (pos > parts.size()) {
            pos = parts.size();
        }
        if (!parts.isEmpty() && parts.get(0).isEmpty() && pos < parts.size()) {
            pos++;
        }
        parts.add(pos, part);
        return String.join("/", parts);
    }
}
