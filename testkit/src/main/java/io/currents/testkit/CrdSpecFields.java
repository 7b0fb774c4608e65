package io.currents.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The spec field paths of a shipped CRD ({@code manifests/crds/}), and the list a controller's test keeps of the paths
 * its code acts on or names as unsupported: comparing the two makes a field added to the CRD fail that test until
 * someone decides what the controller does with it, so no new field is silently ignored. Paths read
 * {@code .spec.a.b}, {@code .spec.list[].x}, {@code .spec.map{}}.
 */
public final class CrdSpecFields {

    private CrdSpecFields() {
    }

    /** The spec paths of version {@code version} of the CRD in {@code manifests/crds/<file>}. */
    public static Set<String> of(String file, String version) {
        Path crd = ControlPlane.projectRoot().resolve("manifests/crds").resolve(file);
        JsonNode root;
        try {
            root = new KubernetesSerialization().unmarshal(Files.readString(crd), JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode v : root.path("spec").path("versions")) {
            if (version.equals(v.path("name").asText())) {
                Set<String> paths = new TreeSet<>();
                walk(v.path("schema").path("openAPIV3Schema").path("properties").path("spec"), ".spec", paths);
                return paths;
            }
        }
        throw new IllegalArgumentException("no version " + version + " in " + crd);
    }

    /** The paths listed in a test resource, one per line; {@code #} starts a comment (the reason, where one is due). */
    public static Set<String> listed(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource + " next to " + owner.getName());
            }
            Set<String> paths = new TreeSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String path = line.replaceFirst("#.*", "").trim();
                if (!path.isEmpty()) {
                    paths.add(path);
                }
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void walk(JsonNode schema, String path, Set<String> paths) {
        if (!".spec".equals(path)) {
            paths.add(path);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = schema.path("properties").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            walk(field.getValue(), path + "." + field.getKey(), paths);
        }
        if (schema.has("items")) {
            walk(schema.path("items"), path + "[]", paths);
        }
        if (schema.path("additionalProperties").isObject()) {
            walk(schema.path("additionalProperties"), path + "{}", paths);
        }
    }
}
