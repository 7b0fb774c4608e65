package io.currents.kustomize;

import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI schema kyaml consults during a build (its {@code openapi} package): which lists strategic
 * merge patches merge by key, and which types are cluster-scoped. By default the Kubernetes v1.21.2
 * schema kustomize v5.5 embeds; a kustomization's {@code openapi: {path: ...}} replaces it with a custom
 * schema file, {@code openapi: {version: ...}} names a built-in version. As in kustomize the first
 * kustomization of a build that sets it (the top one, else the first base reached) decides for the
 * whole build.
 */
final class OpenApi {
    static final String DEFAULT_VERSION = "v1.21.2";
    private static final ThreadLocal<OpenApi> CURRENT = ThreadLocal.withInitial(OpenApi::new);

    /** A schema node: a definition or an inline property schema (a decoded JSON object). */
    final class Schema {
        final Map<String, Object> node;

        Schema(Map<String, Object> node) {
            this.node = node;
        }

        /** kyaml's ResourceSchema.Field: a property, else additionalProperties, refs resolved; null if neither. */
        Schema field(String name) {
            Map<String, Object> props = Nodes.asMap(node.get("properties"));
            Object s = props == null ? null : props.get(name);
            if (s == null && (props == null || !props.containsKey(name))) {
                s = node.get("additionalProperties");
                if (!(s instanceof Map)) {
                    return null;
                }
            }
            return resolved(Nodes.asMap(s));
        }

        /** kyaml's ResourceSchema.Elements: the item schema of an array type. */
        Schema elements() {
            // OpenAPI's type is a string or a list of strings
            Object t = node.get("type");
            List<Object> type = t instanceof String ts ? List.of(ts) : Nodes.asList(t);
            if (type == null || type.size() != 1 || !"array".equals(type.get(0))) {
                return null;
            }
            Map<String, Object> items = Nodes.asMap(node.get("items"));
            return items == null ? null : resolved(items);
        }

        String patchStrategy() {
            return node.get("x-kubernetes-patch-strategy") instanceof String s ? s : "";
        }

        /** The merge keys: x-kubernetes-list-map-keys, else the patch merge key (only with a patch strategy). */
        List<String> mergeKeys() {
            if (!node.containsKey("x-kubernetes-patch-strategy")) {
                return List.of();
            }
            List<Object> l = Nodes.asList(node.get("x-kubernetes-list-map-keys"));
            if (l != null) {
                List<String> out = new ArrayList<>();
                for (Object o : l) {
                    out.add(String.valueOf(o));
                }
                return out;
            }
            Object mk = node.get("x-kubernetes-patch-merge-key");
            return mk instanceof String s ? List.of(s) : List.of();
        }

        /** Whether the schema's patch strategy includes merge (kyaml's IsAssociative with a schema). */
        boolean associative() {
            for (String s : patchStrategy().split(",", -1)) {
                if (s.equals("merge")) {
                    return true;
                }
            }
            return false;
        }
    }

    // ---- state of one build ----

    private String version = "";
    private byte[] customSchema;
    private boolean initialized;
    private boolean defaultParseDelayed;
    private final Map<String, Map<String, Object>> definitions = new HashMap<>();
    private final Map<String, String> definitionByType = new HashMap<>();
    private final Map<String, Boolean> namespaced = new HashMap<>();

    static OpenApi current() {
        return CURRENT.get();
    }

    /** Starts a build with kustomize's initial state (no version chosen, built-in schema). */
    static void reset() {
        CURRENT.set(new OpenApi());
    }

    static void clear() {
        CURRENT.remove();
    }

    /**
     * kyaml's SetSchema: applies a kustomization's {@code openapi} field; without {@code reset} it does
     * nothing when a schema was already chosen.
     */
    void set(Map<String, String> field, byte[] schema, boolean reset) {
        boolean isSet = !version.isEmpty() || customSchema != null;
        if (isSet && !reset) {
            return;
        }
        String v = field.get("version");
        if (schema != null) {
            if (v != null) {
                throw new KustomizeException("builtin version and custom schema provided, cannot use both");
            }
            customSchema = schema;
            version = "custom";
            initialized = false;
            clearParsed();
            return;
        }
        version = v == null ? "" : v;
        if (version.isEmpty()) {
            return;
        }
        if (!version.equals(DEFAULT_VERSION)) {
            throw new KustomizeException("the specified OpenAPI version is not built in");
        }
        customSchema = null;
        initialized = false;
        clearParsed();
    }

    private void clearParsed() {
        definitions.clear();
        definitionByType.clear();
        namespaced.clear();
    }

    /** kyaml's IsCertainlyClusterScoped for a type outside its precomputed table. */
    boolean isCertainlyClusterScoped(String apiVersion, String kind) {
        if (!initialized) {
            if (customSchema == null && (version.isEmpty() || version.equals(DEFAULT_VERSION))) {
                // kyaml defers parsing the built-in schema for this question (and then never asks it)
                defaultParseDelayed = true;
                return false;
            }
            init();
        }
        Boolean ns = namespaced.get(apiVersion + "/" + kind);
        return ns != null && !ns;
    }

    /** kyaml's SchemaForResourceType: the definition declaring this type, or null. */
    Schema forResource(String apiVersion, String kind) {
        init();
        String def = definitionByType.get(apiVersion + "/" + kind);
        if (def == null) {
            return null;
        }
        Map<String, Object> d = definition(def);
        return d == null ? null : new Schema(d);
    }

    /** A schema comment's JSON object, its $ref resolved against the schema in use when it can be (kyaml's GetSchema). */
    Schema fromComment(String json) {
        Map<String, Object> node = Nodes.asMap(YamlReader.read(json, false));
        if (node == null) {
            return null;
        }
        init();
        if (node.get("$ref") instanceof String ref && ref.startsWith("#/definitions/") && ref.indexOf('/', 14) > 0) {
            // a JSON pointer into a definition, e.g. #/definitions/io.k8s.api.core.v1.PodSpec/properties/containers
            String[] parts = ref.substring("#/definitions/".length()).split("/", -1);
            Object at = definition(unescapePointer(parts[0]));
            for (int i = 1; i < parts.length && at != null; i++) {
                String part = unescapePointer(parts[i]);
                if (at instanceof Map<?, ?> m) {
                    at = m.get(part);
                } else if (at instanceof List<?> l && part.matches("\\d{1,9}") && Integer.parseInt(part) < l.size()) {
                    at = l.get(Integer.parseInt(part));
                } else {
                    at = null;
                }
            }
            Map<String, Object> target = Nodes.asMap(at);
            if (target != null) {
                Schema s = resolved(target);
                if (s != null) {
                    return s;
                }
            }
        }
        Schema s = resolved(node);
        return s != null ? s : new Schema(node);
    }

    private Schema resolved(Map<String, Object> s) {
        Map<String, Object> cur = s;
        int guard = 0;
        while (cur != null && cur.get("$ref") instanceof String ref && !ref.isEmpty()) {
            if (!ref.startsWith("#/definitions/") || guard++ > 100) {
                return null;
            }
            cur = definition(unescapePointer(ref.substring("#/definitions/".length())));
        }
        return cur == null ? null : new Schema(cur);
    }

    private static String unescapePointer(String s) {
        return s.replace("~1", "/").replace("~0", "~");
    }

    private void init() {
        if (initialized) {
            return;
        }
        initialized = true;
        if (customSchema != null) {
            parseCustom(customSchema);
            if (defaultParseDelayed) {
                parseBuiltin();
            }
        } else {
            parseBuiltin();
        }
    }

    // ---- the built-in schema: parsed once per JVM, definitions decoded on first use ----

    private static final class Builtin {
        final Map<String, String> rawDefinitions = new HashMap<>();
        final Map<String, Map<String, Object>> decoded = new ConcurrentHashMap<>();
        final Map<String, String> byType = new HashMap<>();
        final Map<String, Boolean> namespaced = new HashMap<>();

        Map<String, Object> definition(String name) {
            String raw = rawDefinitions.get(name);
            if (raw == null) {
                return null;
            }
            return decoded.computeIfAbsent(name, n -> Nodes.asMap(YamlReader.read(raw, false)));
        }
    }

    private static volatile Builtin builtin;

    private static Builtin builtin() {
        Builtin b = builtin;
        if (b != null) {
            return b;
        }
        synchronized (OpenApi.class) {
            if (builtin != null) {
                return builtin;
            }
            b = new Builtin();
            try (InputStream in = OpenApi.class.getResourceAsStream("openapi/kubernetes-" + DEFAULT_VERSION + ".txt");
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("#") || line.length() < 3) {
                        continue;
                    }
                    int sp = line.indexOf(' ', 2);
                    String key = line.substring(2, sp);
                    String rest = line.substring(sp + 1);
                    switch (line.charAt(0)) {
                        case 'G' -> b.byType.put(key, rest);
                        case 'N' -> b.namespaced.put(key, Boolean.parseBoolean(rest));
                        case 'D' -> b.rawDefinitions.put(key, rest);
                        default -> {
                        }
                    }
                }
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("the built-in OpenAPI schema is missing from the classpath", e);
            }
            builtin = b;
            return b;
        }
    }

    private boolean builtinParsed;

    private void parseBuiltin() {
        builtinParsed = true;
        Builtin b = builtin();
        definitionByType.putAll(b.byType);
        namespaced.putAll(b.namespaced);
    }

    private Map<String, Object> definition(String name) {
        Map<String, Object> d = definitions.get(name);
        if (d == null && builtinParsed) {
            d = builtin().definition(name);
        }
        return d;
    }

    // ---- custom schemas ----

    private void parseCustom(byte[] bytes) {
        Object doc;
        try {
            doc = YamlReader.read(new String(bytes, StandardCharsets.UTF_8), false);
        } catch (YamlException e) {
            throw new KustomizeException("invalid schema file: " + e.getMessage());
        }
        Map<String, Object> root = Nodes.asMap(doc);
        if (root == null) {
            throw new KustomizeException("invalid schema file: not a swagger document");
        }
        Map<String, Object> defs = Nodes.asMap(root.get("definitions"));
        if (defs != null) {
            for (Map.Entry<String, Object> e : defs.entrySet()) {
                Map<String, Object> d = Nodes.asMap(e.getValue());
                if (d == null) {
                    continue;
                }
                definitions.put(e.getKey(), d);
                List<Object> gvks = Nodes.asList(d.get("x-kubernetes-group-version-kind"));
                if (gvks == null) {
                    continue;
                }
                for (Object g : gvks) {
                    String t = typeMeta(g);
                    if (t != null) {
                        definitionByType.put(t, e.getKey());
                    }
                }
            }
        }
        Map<String, Object> paths = Nodes.asMap(root.get("paths"));
        if (paths != null) {
            for (Map.Entry<String, Object> e : paths.entrySet()) {
                Map<String, Object> get = Nodes.asMap(Nodes.get(e.getValue(), "get"));
                if (get == null) {
                    continue;
                }
                String t = typeMeta(get.get("x-kubernetes-group-version-kind"));
                if (t == null) {
                    continue;
                }
                if (e.getKey().contains("namespaces/{namespace}")) {
                    namespaced.put(t, true);
                } else {
                    namespaced.putIfAbsent(t, false);
                }
            }
        }
    }

    private static String typeMeta(Object ext) {
        Map<String, Object> m = Nodes.asMap(ext);
        if (m == null || !(m.get("version") instanceof String v) || !(m.get("kind") instanceof String k)) {
            return null;
        }
        String apiVersion = m.get("group") instanceof String g && !g.isEmpty() ? g + "/" + v : v;
        return apiVersion + "/" + k;
    }
}
