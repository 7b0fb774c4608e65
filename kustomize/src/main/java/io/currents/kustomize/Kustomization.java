package io.currents.kustomize;

import io.currents.kustomize.yaml.GoScalars;
import io.currents.kustomize.yaml.YamlReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed kustomization file. kustomize decodes it strictly (unknown fields are errors) through JSON
 * with YAML 1.1 scalar rules, so a plain {@code 1.20} is a number and cannot fill a string field.
 */
final class Kustomization {
    static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    final Map<String, Object> raw;
    final String file;
    /** kustomize's CheckDeprecatedFields notices for this file, in its order. */
    List<String> deprecations = List.of();

    private Kustomization(Map<String, Object> raw, String file) {
        this.raw = raw;
        this.file = file;
    }

    /**
     * Decodes a kustomization file as kustomize does: YAML 1.1 to JSON (a repeated key keeps its last
     * value), then a strict decode into {@code types.Kustomization}, then its fix-ups (bases join
     * resources, imageTags join images, env joins envs, legacy Helm arguments become helmCharts) and checks.
     */
    static Kustomization parse(String text, String file) {
        Object doc;
        try {
            doc = toJsonish(YamlReader.read(text, true));
        } catch (RuntimeException e) {
            throw new KustomizeException("invalid Kustomization: " + e.getMessage());
        }
        Object decoded;
        try {
            decoded = doc == null ? new LinkedHashMap<String, Object>()
                    : GoStruct.decode(doc, KustomizationSchema.KUSTOMIZATION, true);
        } catch (GoStruct.DecodeError e) {
            throw new KustomizeException("invalid Kustomization: " + e.getMessage());
        }
        Map<String, Object> m = Nodes.asMap(decoded);
        Kustomization k = new Kustomization(m, file);
        k.deprecations = deprecatedFields(m);
        k.fix();
        return k;
    }

    private static final String EDIT_FIX = "Run 'kustomize edit fix' to update your Kustomization automatically.";

    /** Deprecated fields, in the order kustomize checks them, and the field that replaces each. */
    private static final List<String[]> DEPRECATED = List.of(
            new String[] {"bases", "resources", EDIT_FIX},
            new String[] {"commonLabels", "labels", EDIT_FIX},
            new String[] {"imageTags", "images", EDIT_FIX},
            new String[] {"patchesJson6902", "patches", EDIT_FIX},
            new String[] {"patchesStrategicMerge", "patches", EDIT_FIX},
            new String[] {"vars", "replacements", "[EXPERIMENTAL] " + EDIT_FIX});

    /**
     * kustomize's CheckDeprecatedFields: a field counts when Go decoded it to a non-nil value, so an empty
     * list or map warns and an explicit null does not.
     */
    private static List<String> deprecatedFields(Map<String, Object> m) {
        List<String> out = new ArrayList<>();
        for (String[] d : DEPRECATED) {
            if (m.get(d[0]) != null) {
                out.add("# Warning: '" + d[0] + "' is deprecated. Please use '" + d[1] + "' instead. " + d[2]);
            }
        }
        return out;
    }

    /** A kustomization made by a program (Flux's generated one), already in canonical form. */
    static Kustomization of(Map<String, Object> raw, String file) {
        Kustomization k = new Kustomization(raw, file);
        k.fix();
        return k;
    }

    /** Go's append(to, from...): the result stays nil when both are empty and {@code to} was nil. */
    @SuppressWarnings("unchecked")
    private void appendInto(String from, String to) {
        List<Object> src = (List<Object>) raw.remove(from);
        if (src == null || src.isEmpty()) {
            return;
        }
        List<Object> res = new ArrayList<>(raw.get(to) == null ? List.of() : (List<Object>) raw.get(to));
        res.addAll(src);
        raw.put(to, res);
    }

    private static final List<String> EMPTY_IGNORED = List.of("kind", "apiVersion");

    /** kustomize's FixKustomization, then CheckEmpty and EnforceFields (root names the directory). */
    void check(String root) {
        boolean empty = true;
        for (String key : raw.keySet()) {
            if (!EMPTY_IGNORED.contains(key)) {
                empty = false;
                break;
            }
        }
        if (empty) {
            throw new KustomizeException("kustomization.yaml is empty");
        }
        List<String> errs = new ArrayList<>();
        String kind = str("kind");
        if (!kind.isEmpty() && !kind.equals("Kustomization") && !kind.equals("Component")) {
            errs.add("kind should be Kustomization or Component");
        }
        String required = kind.equals("Component") ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
        String apiVersion = str("apiVersion");
        if (!apiVersion.isEmpty() && !apiVersion.equals(required)) {
            errs.add("apiVersion for " + kind + " should be " + required);
        }
        if (!errs.isEmpty()) {
            throw new KustomizeException("Failed to read kustomization file under " + root + ":\n"
                    + String.join("\n", errs));
        }
    }

    @SuppressWarnings("unchecked")
    private void fix() {
        // FixKustomization runs before the checks: an empty kind reads as Kustomization from here on
        boolean hadKind = raw.containsKey("kind");
        boolean hadApiVersion = raw.containsKey("apiVersion");
        appendInto("bases", "resources");
        appendInto("imageTags", "images");
        for (String gen : List.of("configMapGenerator", "secretGenerator")) {
            for (Map<String, Object> g : objects(gen)) {
                Object env = g.remove("env");
                if (env != null && !((String) env).isEmpty()) {
                    List<Object> envs = new ArrayList<>(g.get("envs") == null ? List.of() : (List<Object>) g.get("envs"));
                    envs.add(env);
                    g.put("envs", envs);
                }
            }
        }
        HelmChartInflationGenerator.fixLegacyArgs(raw);
        if (!hadKind) {
            raw.remove("kind");
        }
        if (!hadApiVersion) {
            raw.remove("apiVersion");
        }
    }

    /** Converts raw scalars the way sigs.k8s.io/yaml's YAML-to-JSON step does (YAML 1.1 resolution). */
    static Object toJsonish(Object o) {
        if (o instanceof YamlReader.RawScalar s) {
            if (!s.plain()) {
                return s.text();
            }
            String t = s.text();
            String conv = GoScalars.v2PlainToStringField(t);
            if (conv == null) {
                return null;
            }
            if (conv.equals("true") && !t.equals("true")) {
                return Boolean.TRUE;
            }
            if (conv.equals("false") && !t.equals("false")) {
                return Boolean.FALSE;
            }
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
            Object v = GoScalars.resolvePlainV3(t);
            if (v instanceof Long || v instanceof Double || v instanceof BigInteger) {
                return new JsonNumber(t, conv);
            }
            return t;
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                r.put(String.valueOf(e.getKey()), toJsonish(e.getValue()));
            }
            return r;
        }
        if (o instanceof List<?> l) {
            List<Object> r = new ArrayList<>();
            for (Object x : l) {
                r.add(toJsonish(x));
            }
            return r;
        }
        return o;
    }

    /** A number in a kustomization: its YAML text and its value as text. */
    record JsonNumber(String text, String value) {
        @Override
        public String toString() {
            return value;
        }
    }

    static String jsonType(Object v) {
        if (v instanceof JsonNumber) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof List) {
            return "array";
        }
        if (v instanceof Map) {
            return "object";
        }
        return "null";
    }

    static KustomizeException typeError(Object v, String field, String goType) {
        return new KustomizeException("invalid Kustomization: json: cannot unmarshal " + jsonType(v)
                + " into Go struct field " + field + " of type " + goType);
    }

    // ---- typed access ----

    String str(String key) {
        return asString(raw.get(key), "Kustomization." + key);
    }

    static String asString(Object v, String field) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        throw typeError(v, field, "string");
    }

    static boolean asBool(Object v, String field) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw typeError(v, field, "bool");
    }

    static long asLong(Object v, String field) {
        if (v == null) {
            return 0;
        }
        if (v instanceof JsonNumber n) {
            try {
                return Long.parseLong(n.value());
            } catch (NumberFormatException e) {
                throw typeError(v, field, "int64");
            }
        }
        throw typeError(v, field, "int64");
    }

    List<String> strings(String key) {
        return asStrings(raw.get(key), "Kustomization." + key);
    }

    static List<String> asStrings(Object v, String field) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        List<Object> l = Nodes.asList(v);
        if (l == null) {
            throw typeError(v, field, "[]string");
        }
        for (Object x : l) {
            out.add(asString(x, field));
        }
        return out;
    }

    Map<String, String> stringMap(String key) {
        return asStringMap(raw.get(key), "Kustomization." + key);
    }

    static Map<String, String> asStringMap(Object v, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        Map<String, Object> m = Nodes.asMap(v);
        if (m == null) {
            throw typeError(v, field, "map[string]string");
        }
        for (Map.Entry<String, Object> e : m.entrySet()) {
            out.put(e.getKey(), asString(e.getValue(), field));
        }
        return out;
    }

    List<Map<String, Object>> objects(String key) {
        return asObjects(raw.get(key), "Kustomization." + key);
    }

    static List<Map<String, Object>> asObjects(Object v, String field) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        List<Object> l = Nodes.asList(v);
        if (l == null) {
            throw typeError(v, field, "[]" + field);
        }
        for (Object x : l) {
            Map<String, Object> m = Nodes.asMap(x);
            if (m == null) {
                throw typeError(x, field, "struct");
            }
            out.add(m);
        }
        return out;
    }

    Map<String, Object> object(String key) {
        Object v = raw.get(key);
        if (v == null) {
            return null;
        }
        Map<String, Object> m = Nodes.asMap(v);
        if (m == null) {
            throw typeError(v, "Kustomization." + key, "struct");
        }
        return m;
    }

    boolean isComponent() {
        return "Component".equals(str("kind"));
    }
}
