package io.currents.kustomize;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kustomize built-in plugin (its {@code api/internal/builtins}): configured from a YAML object, then
 * run as a transformer or a generator. The kustomization fields (namePrefix, patches, ...) configure
 * these same plugins, and {@code transformers:}/{@code generators:}/{@code validators:} entries with
 * {@code apiVersion: builtin} name them directly.
 */
interface BuiltinPlugin {
    /** Reads the configuration (decoded from its YAML object with the plugin's Go struct, leniently). */
    void configure(PluginHelpers h, Map<String, Object> config);

    /** A plugin that changes the accumulated objects. */
    interface Transformer extends BuiltinPlugin {
        void transform(ResMap m);
    }

    /** A plugin that makes objects. */
    interface Generator extends BuiltinPlugin {
        List<Resource> generate();
    }

    /** What a plugin may use: the loader of the kustomization that configures it and the build options. */
    record PluginHelpers(Loader ldr, Kustomizer.Options options) {
    }

    /**
     * Decodes a plugin configuration as {@code yaml.Unmarshal} into the plugin's struct does: unknown
     * fields ignored, type mismatches reported as Go reports them.
     */
    static Map<String, Object> decode(Map<String, Object> config, GoStruct.Struct schema) {
        try {
            Object d = GoStruct.decodeYaml(jsonish(config), schema, false);
            return d == null ? new LinkedHashMap<>() : Nodes.asMap(d);
        } catch (GoStruct.DecodeError e) {
            throw new KustomizeException("error unmarshaling JSON: while decoding JSON: " + e.getMessage());
        }
    }

    /**
     * An object as its JSON would decode: numbers become JSON numbers (so a number in a string field is
     * refused, as after kustomize's JSON round trip); the canonical maps of a configurator pass unchanged.
     */
    static Object jsonish(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), jsonish(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                out.add(jsonish(x));
            }
            return out;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
            return new Kustomization.JsonNumber(v.toString(), v.toString());
        }
        if (v instanceof Double d) {
            String t = io.currents.kustomize.yaml.GoScalars.formatFloatJson(d);
            return new Kustomization.JsonNumber(t, t);
        }
        return v;
    }

    /** A string field of a decoded configuration ("" when unset). */
    static String str(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? "" : (String) v;
    }

    static boolean bool(Map<String, Object> m, String key) {
        return m != null && Boolean.TRUE.equals(m.get(key));
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? new ArrayList<>() : (List<String>) (List<?>) v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> stringMap(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? new LinkedHashMap<>() : (Map<String, String>) (Map<?, ?>) v;
    }

    static List<Map<String, Object>> objects(Map<String, Object> m, String key) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Object> l = Nodes.asList(m == null ? null : m.get(key));
        if (l != null) {
            for (Object o : l) {
                out.add(o == null ? new LinkedHashMap<>() : Nodes.asMap(o));
            }
        }
        return out;
    }
}
