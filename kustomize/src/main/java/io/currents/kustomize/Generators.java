package io.currents.kustomize;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ConfigMapGenerator and SecretGenerator built-ins (configMapGenerator, secretGenerator, or
 * {@code generators:} entries), the merge/replace of generated objects into accumulated ones, and the
 * HashTransformer's content-hash name suffix.
 */
final class Generators implements BuiltinPlugin.Generator {
    static final GoStruct.Struct CONFIG_MAP_SCHEMA = new GoStruct.Struct("builtins.ConfigMapGeneratorPlugin")
            .field("metadata", KustomizationSchema.OBJECT_META).inline(KustomizationSchema.CONFIG_MAP_ARGS);
    static final GoStruct.Struct SECRET_SCHEMA = new GoStruct.Struct("builtins.SecretGeneratorPlugin")
            .field("metadata", KustomizationSchema.OBJECT_META).inline(KustomizationSchema.SECRET_ARGS);

    private final boolean secret;
    private Map<String, Object> args;
    private Loader ldr;

    Generators(boolean secret) {
        this.secret = secret;
    }

    /** Configured from a kustomization's generator entry (global generatorOptions already merged in). */
    static Generators of(boolean secret, Map<String, Object> args, Loader ldr) {
        Generators g = new Generators(secret);
        g.args = args;
        g.ldr = ldr;
        return g;
    }

    @Override
    public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
        Map<String, Object> c = BuiltinPlugin.decode(config, secret ? SECRET_SCHEMA : CONFIG_MAP_SCHEMA);
        Map<String, Object> md = Nodes.asMap(c.remove("metadata"));
        if (BuiltinPlugin.str(c, "name").isEmpty() && md != null && md.get("name") != null) {
            c.put("name", md.get("name"));
        }
        if (BuiltinPlugin.str(c, "namespace").isEmpty() && md != null && md.get("namespace") != null) {
            c.put("namespace", md.get("namespace"));
        }
        // the plugin reads only envs: kustomize moves a kustomization's env into envs before configuring it
        c.remove("env");
        args = c;
        ldr = h.ldr();
    }

    /** kustomize's MergeGlobalOptionsIntoLocal: local options win, global labels/annotations fill in. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mergeGlobalOptions(Map<String, Object> local, Map<String, Object> global) {
        if (global == null) {
            return local;
        }
        Map<String, Object> out = local == null ? new LinkedHashMap<>() : new LinkedHashMap<>(local);
        for (String f : List.of("labels", "annotations")) {
            Map<String, Object> g = (Map<String, Object>) global.get(f);
            Map<String, Object> l = (Map<String, Object>) out.get(f);
            if (l == null) {
                if (g != null) {
                    out.put(f, new LinkedHashMap<>(g));
                }
                continue;
            }
            Map<String, Object> merged = new LinkedHashMap<>(l);
            if (g != null) {
                for (Map.Entry<String, Object> e : g.entrySet()) {
                    merged.putIfAbsent(e.getKey(), e.getValue());
                }
            }
            out.put(f, merged);
        }
        if (Boolean.TRUE.equals(global.get("disableNameSuffixHash"))) {
            out.put("disableNameSuffixHash", true);
        }
        if (Boolean.TRUE.equals(global.get("immutable"))) {
            out.put("immutable", true);
        }
        return out;
    }

    @Override
    public List<Resource> generate() {
        return List.of(generate(ldr, args, secret));
    }

    private static Resource generate(Loader ldr, Map<String, Object> args, boolean secret) {
        String name = BuiltinPlugin.str(args, "name");
        String namespace = BuiltinPlugin.str(args, "namespace");
        String behavior = BuiltinPlugin.str(args, "behavior");
        if (name.isEmpty()) {
            throw new KustomizeException("a configmap must have a name");
        }
        Map<String, Object> options = Nodes.asMap(args.get("options"));
        Map<String, String> data = new LinkedHashMap<>();
        loadPairs(ldr, args, name, data);

        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("apiVersion", "v1");
        obj.put("kind", secret ? "Secret" : "ConfigMap");
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("name", name);
        if (!namespace.isEmpty()) {
            md.put("namespace", namespace);
        }
        obj.put("metadata", md);
        if (secret) {
            String type = BuiltinPlugin.str(args, "type");
            obj.put("type", type.isEmpty() ? "Opaque" : type);
        }
        Map<String, Object> dataOut = new LinkedHashMap<>();
        Map<String, Object> binaryData = new LinkedHashMap<>();
        for (String k : new java.util.TreeSet<>(data.keySet())) {
            byte[] value = data.get(k).getBytes(StandardCharsets.ISO_8859_1);
            if (secret) {
                dataOut.put(k, encodeBase64(value));
            } else {
                String text = utf8(value);
                if (text != null) {
                    dataOut.put(k, text);
                } else {
                    binaryData.put(k, encodeBase64(value));
                }
            }
        }
        if (secret || !dataOut.isEmpty()) {
            obj.put("data", dataOut);
        }
        if (!binaryData.isEmpty()) {
            obj.put("binaryData", binaryData);
        }
        if (options != null) {
            Map<String, String> labels = BuiltinPlugin.stringMap(options, "labels");
            if (!labels.isEmpty()) {
                md.put("labels", new LinkedHashMap<String, Object>(new java.util.TreeMap<>(labels)));
            }
            Map<String, String> annotations = BuiltinPlugin.stringMap(options, "annotations");
            if (!annotations.isEmpty()) {
                md.put("annotations", new LinkedHashMap<String, Object>(new java.util.TreeMap<>(annotations)));
            }
            if (Boolean.TRUE.equals(options.get("immutable"))) {
                obj.put("immutable", Boolean.TRUE);
            }
        }
        Resource r = new Resource(obj);
        r.behavior = behavior.isEmpty() ? "create" : behavior;
        r.needsHashSuffix = options == null || !Boolean.TRUE.equals(options.get("disableNameSuffixHash"));
        return r;
    }

    /**
     * kustomize's kv loader: env files, then literals, then files; each value kept as its bytes (one char
     * per byte) so that non-UTF-8 file content can become binaryData.
     */
    private static void loadPairs(Loader ldr, Map<String, Object> args, String name, Map<String, String> out) {
        List<String[]> pairs = new ArrayList<>();
        List<String> envs = BuiltinPlugin.strings(args, "envs");
        try {
            for (String e : envs) {
                for (String[] kv : envFile(ldr.read(e))) {
                    pairs.add(new String[] {kv[0], utf8Bytes(kv[1])});
                }
            }
        } catch (KustomizeException e) {
            throw new KustomizeException("loading KV pairs: env source files: " + goList(envs) + ": " + e.getMessage(), e);
        }
        List<String> literals = BuiltinPlugin.strings(args, "literals");
        try {
            for (String lit : literals) {
                String[] kv = literal(lit);
                pairs.add(new String[] {kv[0], utf8Bytes(kv[1])});
            }
        } catch (KustomizeException e) {
            throw new KustomizeException("loading KV pairs: literal sources " + goList(literals) + ": " + e.getMessage(), e);
        }
        List<String> files = BuiltinPlugin.strings(args, "files");
        try {
            for (String src : files) {
                String[] kp = parseFileSource(src);
                if (ldr.isDirectory(kp[1])) {
                    throw new KustomizeException("'" + ldr.resolve(kp[1]) + "' is a directory");
                }
                pairs.add(new String[] {kp[0], new String(ldr.readBytes(kp[1]), StandardCharsets.ISO_8859_1)});
            }
        } catch (KustomizeException e) {
            throw new KustomizeException("loading KV pairs: file sources: " + goList(files) + ": " + e.getMessage(), e);
        }
        for (String[] p : pairs) {
            if (out.containsKey(p[0])) {
                throw new KustomizeException("configmap " + name + " illegally repeats the key `" + p[0] + "`");
            }
            out.put(p[0], p[1]);
        }
    }

    private static String goList(List<String> l) {
        return "[" + String.join(" ", l) + "]";
    }

    private static String utf8Bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** kustomize's ParseFileSource: {@code [key=]path}; the key defaults to the path's last element. */
    static String[] parseFileSource(String source) {
        int n = 0;
        for (char c : source.toCharArray()) {
            if (c == '=') {
                n++;
            }
        }
        if (n == 0) {
            String base = source;
            while (base.length() > 1 && base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            int slash = base.lastIndexOf('/');
            return new String[] {slash >= 0 && base.length() > 1 ? base.substring(slash + 1) : base, source};
        }
        if (n == 1 && source.startsWith("=")) {
            throw new KustomizeException("missing key name for file path " + PatchTransformers.quote(source.substring(1))
                    + " in source " + PatchTransformers.quote(source));
        }
        if (n == 1 && source.endsWith("=")) {
            throw new KustomizeException("missing file path for key name "
                    + PatchTransformers.quote(source.substring(0, source.length() - 1)) + " in source "
                    + PatchTransformers.quote(source));
        }
        if (n > 1) {
            throw new KustomizeException("source " + PatchTransformers.quote(source) + " key name or file path contains '='");
        }
        int eq = source.indexOf('=');
        return new String[] {source.substring(0, eq), source.substring(eq + 1)};
    }

    /** Base64 in lines of 70 characters, each ending in a newline once there is more than one (go-yaml's form). */
    static String encodeBase64(byte[] value) {
        String enc = Base64.getEncoder().encodeToString(value);
        int lineLen = 70;
        int lines = enc.length() / lineLen + 1;
        if (lines <= 1) {
            return enc;
        }
        StringBuilder sb = new StringBuilder(enc.length() + lines);
        for (int i = 0; i < enc.length(); i += lineLen) {
            sb.append(enc, i, Math.min(enc.length(), i + lineLen)).append('\n');
        }
        return sb.toString();
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String[] literal(String source) {
        if (source.indexOf('=') == 0) {
            throw new KustomizeException("invalid literal source " + source + ", expected key=value");
        }
        int eq = source.indexOf('=');
        if (eq < 0) {
            throw new KustomizeException("invalid literal source " + source + ", expected key=value");
        }
        String v = source.substring(eq + 1);
        if (v.length() >= 2 && v.charAt(0) == v.charAt(v.length() - 1) && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
            v = v.substring(1, v.length() - 1);
        }
        return new String[] {source.substring(0, eq), v};
    }

    static List<String[]> envFile(String text) {
        List<String[]> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            int s = 0;
            while (s < line.length() && Character.isWhitespace(line.charAt(s))) {
                s++;
            }
            line = line.substring(s);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                out.add(new String[] {line, ""});
            } else {
                out.add(new String[] {line.substring(0, eq), line.substring(eq + 1)});
            }
        }
        return out;
    }

    /** Generated objects join the accumulated ones: created, or merged into / replacing an existing one. */
    static void absorb(ResMap m, Resource res) {
        ResId id = res.curId();
        List<Resource> matches = m.matchingAnyId(id::matches);
        if (matches.isEmpty()) {
            if ("merge".equals(res.behavior) || "replace".equals(res.behavior)) {
                throw new KustomizeException("id " + goId(id) + " does not exist; cannot merge or replace");
            }
            m.append(res);
            return;
        }
        if (matches.size() > 1) {
            throw new KustomizeException("found multiple objects " + matches + " that could accept merge of " + id);
        }
        Resource old = matches.get(0);
        // kustomize 5.5 keeps the hash suffix only when both the existing and the generated object want it
        boolean hash = old.needsHashSuffix && res.needsHashSuffix;
        switch (res.behavior == null ? "" : res.behavior) {
            case "replace" -> res.copyMergeMetaDataFieldsFrom(old);
            case "merge" -> {
                Origin origin = old.origin != null ? old.origin : res.origin;
                res.copyMergeMetaDataFieldsFrom(old);
                res.origin = origin;
                mergeField(res, old, "data");
                mergeField(res, old, "binaryData");
            }
            default -> throw new KustomizeException("id " + goId(id) + " exists; behavior must be merge or replace");
        }
        res.needsHashSuffix = hash;
        m.replace(old, res);
    }

    private static String goId(ResId id) {
        return "resid.ResId{Gvk:resid.Gvk{Group:\"" + id.gvk().group() + "\", Version:\"" + id.gvk().version()
                + "\", Kind:\"" + id.gvk().kind() + "\", isClusterScoped:" + id.gvk().isClusterScoped() + "}, Name:\"" + id.name() + "\", Namespace:\"" + id.namespace() + "\"}";
    }

    /** kustomize's Set(Binary)DataMap of the merged maps: string values, rewritten in key order; none removes the field. */
    private static void mergeField(Resource res, Resource old, String field) {
        Map<String, Object> merged = new TreeMap<>();
        for (Map<String, Object> src : java.util.Arrays.asList(Nodes.asMap(old.obj.get(field)), Nodes.asMap(res.obj.get(field)))) {
            if (src != null) {
                for (Map.Entry<String, Object> e : src.entrySet()) {
                    merged.put(e.getKey(), e.getValue() == null ? "" : Nodes.scalarText(e.getValue()));
                }
            }
        }
        res.obj.remove(field);
        if (!merged.isEmpty()) {
            res.obj.put(field, new LinkedHashMap<>(merged));
        }
    }

    // ---- content hash ----

    static void addHashesToNames(ResMap m) {
        for (Resource r : m) {
            if (r.needsHashSuffix) {
                String h = hash(r);
                r.storePreviousId();
                r.setName(r.name() + "-" + h);
            }
        }
    }

    static String hash(Resource r) {
        Map<String, Object> enc = new TreeMap<>();
        String kind = r.kind();
        if (kind.equals("ConfigMap")) {
            enc.put("kind", "ConfigMap");
            // kustomize looks the name up under a key literally called "metadata/name", so it is always empty
            enc.put("name", "");
            enc.put("data", valueOrEmpty(r.obj.get("data")));
            if (r.obj.get("binaryData") instanceof Map<?, ?>) {
                enc.put("binaryData", r.obj.get("binaryData"));
            }
        } else if (kind.equals("Secret")) {
            enc.put("kind", "Secret");
            enc.put("type", valueOrEmpty(r.obj.get("type")));
            enc.put("name", "");
            enc.put("data", valueOrEmpty(r.obj.get("data")));
            if (r.obj.get("stringData") instanceof Map<?, ?>) {
                enc.put("stringData", r.obj.get("stringData"));
            }
        } else {
            return encode(GoJson.marshal(r.obj));
        }
        return encode(GoJson.marshal(enc));
    }

    private static Object valueOrEmpty(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return v;
        }
        return Nodes.scalarText(v);
    }

    static String encode(String json) {
        String hex;
        try {
            hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        char[] enc = hex.substring(0, 10).toCharArray();
        for (int i = 0; i < enc.length; i++) {
            enc[i] = switch (enc[i]) {
                case '0' -> 'g';
                case '1' -> 'h';
                case '3' -> 'k';
                case 'a' -> 'm';
                case 'e' -> 't';
                default -> enc[i];
            };
        }
        return new String(enc);
    }
}
