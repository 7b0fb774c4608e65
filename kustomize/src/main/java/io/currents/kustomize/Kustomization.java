package io.currents.kustomize;

import io.currents.kustomize.yaml.GoScalars;
import io.currents.kustomize.yaml.YamlReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed kustomization file. kustomize decodes it strictly (unknown fields are errors) through JSON
 * with YAML 1.1 scalar rules, so a plain {@code 1.20} is a number and cannot fill a string field.
 */
final class Kustomization {
    static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "metadata", "openapi", "namePrefix",
            "nameSuffix", "namespace", "commonLabels", "labels", "commonAnnotations", "patchesStrategicMerge",
            "patchesJson6902", "patches", "images", "imageTags", "replacements", "replicas", "vars", "sortOptions",
            "resources", "components", "crds", "bases", "configMapGenerator", "secretGenerator", "helmGlobals",
            "helmCharts", "helmChartInflationGenerator", "generatorOptions", "configurations", "generators",
            "transformers", "validators", "buildMetadata");

    final Map<String, Object> raw;
    final String file;

    private Kustomization(Map<String, Object> raw, String file) {
        this.raw = raw;
        this.file = file;
    }

    static Kustomization parse(String text, String file) {
        Object doc;
        try {
            doc = toJsonish(YamlReader.read(text, true));
        } catch (RuntimeException e) {
            throw new KustomizeException("invalid Kustomization: " + e.getMessage());
        }
        if (doc == null) {
            doc = new LinkedHashMap<String, Object>();
        }
        Map<String, Object> m = Nodes.asMap(doc);
        if (m == null) {
            throw new KustomizeException("invalid Kustomization: json: cannot unmarshal "
                    + jsonType(doc) + " into Go value of type types.Kustomization");
        }
        for (String k : m.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new KustomizeException("invalid Kustomization: json: unknown field \"" + k + "\"");
            }
        }
        Kustomization k = new Kustomization(m, file);
        String kind = k.str("kind");
        if (!kind.isEmpty() && !kind.equals("Kustomization") && !kind.equals("Component")) {
            throw new KustomizeException("invalid Kustomization: kind '" + kind + "' is not Kustomization or Component");
        }
        return k;
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
