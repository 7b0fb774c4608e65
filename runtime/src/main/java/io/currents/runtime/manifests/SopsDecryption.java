package io.currents.runtime.manifests;

import io.currents.kustomize.yaml.YamlReader;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.sops.SopsDecryptor;
import io.currents.runtime.sops.SopsException;
import io.currents.runtime.sops.SopsFormat;
import io.currents.runtime.sops.SopsKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SOPS decryption for a Kustomization ({@code spec.decryption}): decrypts, in place, the files that
 * {@code secretGenerator}/{@code configMapGenerator} read (envs and files) before the build, and after the
 * build every object that is a whole SOPS document and every Secret value that is a SOPS file.
 */
public final class SopsDecryption {

    /** Flux's per-object decryption policy annotation. */
    public static final String DECRYPT_ANNOTATION = "kustomize.toolkit.fluxcd.io/decrypt";

    private final SopsDecryptor decryptor;

    public SopsDecryption(SopsKeys keys) {
        this.decryptor = new SopsDecryptor(keys);
    }

    /** Decrypts the generator inputs of the kustomization in {@code dir} and of every kustomization it includes. */
    public void decryptSources(Path root, Path dir) throws ReconcileFailure {
        Deque<Path> pending = new ArrayDeque<>();
        Set<Path> visited = new HashSet<>();
        pending.add(dir.normalize());
        while (!pending.isEmpty()) {
            Path current = pending.pop();
            if (!visited.add(current)) {
                continue;
            }
            Path file = KustomizationOverlay.existingFile(current);
            if (file == null) {
                continue;
            }
            Map<String, Object> k;
            try {
                Object parsed = YamlReader.read(Files.readString(file), false);
                if (!(parsed instanceof Map<?, ?> map)) {
                    continue;
                }
                k = cast(map);
            } catch (IOException | RuntimeException e) {
                // The build reports malformed kustomization files with kustomize's own words.
                continue;
            }
            for (String generator : List.of("secretGenerator", "configMapGenerator")) {
                if (!(k.get(generator) instanceof List<?> entries)) {
                    continue;
                }
                for (Object entry : entries) {
                    if (!(entry instanceof Map<?, ?> args)) {
                        continue;
                    }
                    for (String envs : List.of("envs", "env")) {
                        for (String path : strings(args.get(envs))) {
                            decryptFile(root, current, path, SopsFormat.DOTENV);
                        }
                    }
                    for (String spec : strings(args.get("files"))) {
                        String path = spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec;
                        decryptFile(root, current, path, SopsFormat.forPath(path));
                    }
                }
            }
            for (String field : List.of("resources", "bases", "components")) {
                for (String ref : strings(k.get(field))) {
                    Path next = current.resolve(ref).normalize();
                    if (next.startsWith(root) && Files.isDirectory(next)) {
                        pending.add(next);
                    }
                }
            }
        }
    }

    private void decryptFile(Path root, Path base, String relative, SopsFormat format) throws ReconcileFailure {
        Path file = base.resolve(relative).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            // Outside the artifact or missing: the build refuses or reports it.
            return;
        }
        try {
            byte[] content = Files.readAllBytes(file);
            if (!SopsDecryptor.isEncrypted(content, format)) {
                return;
            }
            Files.write(file, decryptor.decrypt(content, format));
        } catch (SopsException e) {
            throw new ReconcileFailure(Reasons.DECRYPTION_FAILED, "error decrypting sources: failed to decrypt '"
                    + root.relativize(file) + "': " + e.getMessage());
        } catch (IOException e) {
            throw new ReconcileFailure(Reasons.DECRYPTION_FAILED, "error decrypting sources: " + e.getMessage());
        }
    }

    /**
     * Decrypts one built object when it needs it: a whole SOPS document (any kind), or a Secret whose data
     * values are SOPS files. Returns the object itself when nothing is encrypted.
     */
    public Map<String, Object> decryptObject(Map<String, Object> object, String subject) throws ReconcileFailure {
        if (object.get("metadata") instanceof Map<?, ?> metadata && metadata.get("annotations") instanceof Map<?, ?> annotations
                && isDisabled(cast(annotations))) {
            return object;
        }
        try {
            if (SopsDecryptor.isEncrypted(object)) {
                return decryptor.decryptDocument(object);
            }
            if ("Secret".equals(object.get("kind")) && object.get("data") instanceof Map<?, ?> data) {
                Map<String, Object> decrypted = null;
                for (Map.Entry<?, ?> entry : data.entrySet()) {
                    String key = String.valueOf(entry.getKey());
                    byte[] value = Base64.getDecoder().decode(String.valueOf(entry.getValue()));
                    SopsFormat format = isDotenv(value) ? SopsFormat.DOTENV : SopsFormat.forPath(key);
                    if (!SopsDecryptor.isEncrypted(value, format)) {
                        continue;
                    }
                    if (decrypted == null) {
                        decrypted = new LinkedHashMap<>(cast(data));
                    }
                    decrypted.put(key, Base64.getEncoder().encodeToString(decryptor.decrypt(value, format)));
                }
                if (decrypted != null) {
                    Map<String, Object> copy = new LinkedHashMap<>(object);
                    copy.put("data", decrypted);
                    return copy;
                }
            }
            return object;
        } catch (SopsException e) {
            throw new ReconcileFailure(Reasons.DECRYPTION_FAILED, "decryption failed for '" + subject + "': " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // Not base64: the API server will refuse it with its own message.
            return object;
        }
    }

    /**
     * Whether an object opts out of decryption with Flux's {@value #DECRYPT_ANNOTATION}: {@code Disabled} annotation
     * (case-insensitive): it is applied as it is, e.g. for another tool to decrypt in the cluster.
     */
    public static boolean isDisabled(Map<String, ?> annotations) {
        return annotations != null && annotations.get(DECRYPT_ANNOTATION) instanceof String value && "Disabled".equalsIgnoreCase(value);
    }

    private static boolean isDotenv(byte[] value) {
        return new String(value, StandardCharsets.UTF_8).contains("sops_mac=");
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> value) {
        return (Map<String, Object>) value;
    }
}
