package io.currents.cli.ops;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.kustomize.v1.KustomizationSpec;
import io.currents.api.kustomize.v1.PostBuild;
import io.currents.kustomize.yaml.YamlReader;
import io.currents.runtime.apply.Owner;
import io.currents.runtime.apply.Unstructured;
import io.currents.runtime.build.ManifestBuilder;
import io.currents.runtime.build.PostBuildVariables;
import io.currents.runtime.build.ReconcileFailure;
import io.currents.runtime.sops.SopsDecryptor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders a Kustomization from a local directory exactly as kustomize-controller would from its artifact: the
 * spec overlay (targetNamespace, namePrefix, patches, images, components), kustomize build, post-build
 * substitution (substituteFrom read from the cluster unless dry-run) and the owner labels. The local directory is
 * copied first, since the overlay rewrites the kustomization file. SOPS-encrypted documents cannot be decrypted
 * without the cluster's keys and are shown masked, as flux does.
 */
public final class LocalBuild {

    static final String SOPS_MASK = "**SOPS**";
    private static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private LocalBuild() {
    }

    /** The Kustomization from a local file (the document of that kind and name) or from the cluster. */
    static Kustomization load(KubernetesClient client, String namespace, String name, Path file) {
        if (file == null) {
            Kustomization k = client.resources(Kustomization.class).inNamespace(namespace).withName(name).get();
            if (k == null) {
                throw new OpsException("Kustomization '" + namespace + "/" + name
                        + "' not found; check the name and --namespace, or pass its YAML with --kustomization-file");
            }
            return k;
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new OpsException("cannot read " + file + "; check the path given to --kustomization-file", e);
        }
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (Object doc : YamlReader.readAll(text)) {
            Map<String, Object> map = FluxObjects.map(doc);
            if ("Kustomization".equals(map.get("kind")) && String.valueOf(map.get("apiVersion")).startsWith("kustomize.toolkit.fluxcd.io/")
                    && name.equals(FluxObjects.string(map, "metadata", "name"))) {
                Kustomization k = serialization.unmarshal(serialization.asJson(map), Kustomization.class);
                if (k.getMetadata().getNamespace() == null) {
                    k.getMetadata().setNamespace(namespace);
                }
                return k;
            }
        }
        throw new OpsException("no Flux Kustomization named '" + name + "' in " + file + "; check the name or the file");
    }

    /**
     * Builds {@code path} for the Kustomization. With {@code client} null (dry-run) substituteFrom is skipped and
     * only the inline {@code postBuild.substitute} values apply.
     */
    static List<GenericKubernetesResource> build(Kustomization k, Path path, KubernetesClient client) {
        if (!Files.isDirectory(path)) {
            throw new OpsException("--path " + path + " is not a directory; point it at the directory the Kustomization's spec.path names");
        }
        KustomizationSpec spec = k.getSpec();
        Path root;
        try {
            root = Files.createTempDirectory("currents-build");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            copy(path, root);
            PostBuildVariables variables = null;
            if (spec.getPostBuild() != null) {
                PostBuild postBuild = spec.getPostBuild();
                if (client == null) {
                    PostBuild inline = new PostBuild();
                    inline.setSubstitute(postBuild.getSubstitute());
                    postBuild = inline;
                }
                variables = PostBuildVariables.load(client, k.getMetadata().getNamespace(), postBuild);
            }
            List<GenericKubernetesResource> objects = new ManifestBuilder(MAX_FILE_BYTES).build(root, root, spec, null, variables, false);
            Owner owner = Owner.kustomization(k.getMetadata().getName(), k.getMetadata().getNamespace());
            objects.forEach(owner::label);
            return objects;
        } catch (ReconcileFailure f) {
            throw new OpsException(f.getMessage().replace(root.toString(), path.toString()), f);
        } finally {
            delete(root);
        }
    }

    /** The YAML stream flux build prints: documents separated by {@code ---}, SOPS-encrypted values masked. */
    static String render(List<GenericKubernetesResource> objects) {
        StringBuilder sb = new StringBuilder();
        for (GenericKubernetesResource object : objects) {
            if (!sb.isEmpty()) {
                sb.append("---\n");
            }
            sb.append(io.currents.kustomize.yaml.YamlWriter.toYaml(masked(Unstructured.toMap(object))));
        }
        return sb.toString();
    }

    /** Replaces the values of SOPS-encrypted documents (Secrets' data and stringData) with {@code **SOPS**}. */
    static Map<String, Object> masked(Map<String, Object> object) {
        boolean encrypted = SopsDecryptor.isEncrypted(object);
        if (!encrypted && !"Secret".equals(object.get("kind"))) {
            return object;
        }
        Map<String, Object> copy = new LinkedHashMap<>(object);
        copy.remove("sops");
        if (copy.get("data") instanceof Map<?, ?> data) {
            Map<String, Object> masked = new LinkedHashMap<>();
            FluxObjects.map(data).forEach((k, v) -> {
                String decoded = decode(String.valueOf(v));
                masked.put(k, encrypted || decoded.startsWith("ENC[")
                        ? Base64.getEncoder().encodeToString(SOPS_MASK.getBytes(StandardCharsets.UTF_8)) : v);
            });
            copy.put("data", masked);
        }
        if (copy.get("stringData") instanceof Map<?, ?> data) {
            Map<String, Object> masked = new LinkedHashMap<>();
            FluxObjects.map(data).forEach((k, v) -> masked.put(k, encrypted || String.valueOf(v).startsWith("ENC[") ? SOPS_MASK : v));
            copy.put("stringData", masked);
        }
        return copy;
    }

    private static String decode(String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new OpsException("cannot copy " + from + " for the build: " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

}
