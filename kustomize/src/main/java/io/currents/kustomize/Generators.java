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

/** configMapGenerator and secretGenerator, and the content-hash name suffix of generated objects. */
final class Generators {
    private Generators() {
    }

    private record Options(Map<String, String> labels, Map<String, String> annotations, boolean disableHash,
                           boolean immutable) {
    }

    static void run(KustTarget kt, KustTarget.Accumulator ra) {
        Kustomization k = kt.k;
        Options global = options(k.object("generatorOptions"), "GeneratorOptions");
        List<Resource> all = new ArrayList<>();
        for (Map<String, Object> args : k.objects("configMapGenerator")) {
            all.add(generate(kt, args, global, false));
        }
        for (Map<String, Object> args : k.objects("secretGenerator")) {
            all.add(generate(kt, args, global, true));
        }
        for (Resource r : all) {
            absorb(ra.resources, r);
        }
    }

    private static Options options(Map<String, Object> m, String field) {
        if (m == null) {
            return null;
        }
        return new Options(Kustomization.asStringMap(m.get("labels"), field + ".labels"),
                Kustomization.asStringMap(m.get("annotations"), field + ".annotations"),
                Kustomization.asBool(m.get("disableNameSuffixHash"), field + ".disableNameSuffixHash"),
                Kustomization.asBool(m.get("immutable"), field + ".immutable"));
    }

    private static Resource generate(KustTarget kt, Map<String, Object> args, Options global, boolean secret) {
        String field = secret ? "SecretArgs" : "ConfigMapArgs";
        String name = Kustomization.asString(args.get("name"), field + ".name");
        String namespace = Kustomization.asString(args.get("namespace"), field + ".namespace");
        String behavior = Kustomization.asString(args.get("behavior"), field + ".behavior");
        if (behavior.isEmpty()) {
            behavior = "create";
        }
        if (!List.of("create", "merge", "replace").contains(behavior)) {
            throw new KustomizeException("unknown generator behavior '" + behavior + "' for " + name);
        }
        if (name.isEmpty()) {
            throw new KustomizeException("a configmap must have a name");
        }
        Options local = options(Nodes.asMap(args.get("options")), field + ".options");
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        boolean disableHash = false;
        boolean immutable = false;
        if (global != null) {
            labels.putAll(global.labels());
            annotations.putAll(global.annotations());
            disableHash = global.disableHash();
            immutable = global.immutable();
        }
        if (local != null) {
            labels.putAll(local.labels());
            annotations.putAll(local.annotations());
            disableHash |= local.disableHash();
            immutable |= local.immutable();
        }

        List<String[]> pairs = new ArrayList<>();
        List<String> envs = new ArrayList<>(Kustomization.asStrings(args.get("envs"), field + ".envs"));
        String env = Kustomization.asString(args.get("env"), field + ".env");
        if (!env.isEmpty()) {
            envs.add(env);
        }
        for (String e : envs) {
            pairs.addAll(envFile(kt.ldr.read(e)));
        }
        for (String lit : Kustomization.asStrings(args.get("literals"), field + ".literals")) {
            pairs.add(literal(lit));
        }
        List<byte[]> fileValues = new ArrayList<>();
        List<String[]> filePairs = new ArrayList<>();
        for (String src : Kustomization.asStrings(args.get("files"), field + ".files")) {
            String key;
            String path;
            int eq = src.indexOf('=');
            if (eq == 0) {
                throw new KustomizeException("key name for file path " + src + " missing");
            }
            if (eq > 0) {
                key = src.substring(0, eq);
                path = src.substring(eq + 1);
                if (path.isEmpty()) {
                    throw new KustomizeException("file path for key name " + key + " missing");
                }
            } else {
                path = src;
                key = java.nio.file.Path.of(src).getFileName().toString();
            }
            if (kt.ldr.isDirectory(path)) {
                throw new KustomizeException("file sources: [" + src + "]: " + "'" + kt.ldr.resolve(path)
                        + "' is a directory");
            }
            byte[] content = kt.ldr.readBytes(path);
            filePairs.add(new String[] {key, null});
            fileValues.add(content);
        }

        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("apiVersion", "v1");
        obj.put("kind", secret ? "Secret" : "ConfigMap");
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("name", name);
        if (!namespace.isEmpty()) {
            md.put("namespace", namespace);
        }
        if (!labels.isEmpty()) {
            md.put("labels", new LinkedHashMap<String, Object>(labels));
        }
        if (!annotations.isEmpty()) {
            md.put("annotations", new LinkedHashMap<String, Object>(annotations));
        }
        obj.put("metadata", md);
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> binaryData = new LinkedHashMap<>();
        for (String[] p : pairs) {
            put(secret, data, binaryData, p[0], p[1].getBytes(StandardCharsets.UTF_8), name);
        }
        for (int i = 0; i < filePairs.size(); i++) {
            put(secret, data, binaryData, filePairs.get(i)[0], fileValues.get(i), name);
        }
        if (secret) {
            String type = Kustomization.asString(args.get("type"), field + ".type");
            obj.put("type", type.isEmpty() ? "Opaque" : type);
        }
        if (!data.isEmpty()) {
            obj.put("data", data);
        }
        if (!binaryData.isEmpty()) {
            obj.put("binaryData", binaryData);
        }
        if (immutable) {
            obj.put("immutable", Boolean.TRUE);
        }
        Resource r = new Resource(obj);
        if (kt.buildMetadata().contains("originAnnotations")) {
            String file = java.nio.file.Path.of(kt.kustomizationPath).getFileName().toString();
            r.origin = kt.originRepoLines() + "configuredIn: " + kt.relativeOrigin(file) + "\nconfiguredBy:\n  apiVersion: builtin\n  kind: "
                    + (secret ? "SecretGenerator" : "ConfigMapGenerator") + "\n";
        }
        r.behavior = behavior;
        r.needsHashSuffix = !disableHash;
        return r;
    }

    private static void put(boolean secret, Map<String, Object> data, Map<String, Object> binaryData, String key,
                            byte[] value, String name) {
        if (data.containsKey(key) || binaryData.containsKey(key)) {
            throw new KustomizeException("configmap " + name + " illegally repeats the key `" + key + "`");
        }
        if (secret) {
            data.put(key, encodeBase64(value));
            return;
        }
        String text = utf8(value);
        if (text != null) {
            data.put(key, text);
        } else {
            binaryData.put(key, encodeBase64(value));
        }
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
            if (!"create".equals(res.behavior)) {
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
        switch (res.behavior) {
            case "replace" -> res.copyMergeMetaDataFieldsFrom(old);
            case "merge" -> {
                String origin = old.origin != null ? old.origin : res.origin;
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
                + "\", Kind:\"" + id.gvk().kind() + "\"}, Name:\"" + id.name() + "\", Namespace:\"" + id.namespace() + "\"}";
    }

    private static void mergeField(Resource res, Resource old, String field) {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, Object> o = Nodes.asMap(old.obj.get(field));
        Map<String, Object> n = Nodes.asMap(res.obj.get(field));
        if (o != null) {
            merged.putAll(o);
        }
        if (n != null) {
            merged.putAll(n);
        }
        if (merged.isEmpty()) {
            res.obj.remove(field);
        } else {
            res.obj.put(field, merged);
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
