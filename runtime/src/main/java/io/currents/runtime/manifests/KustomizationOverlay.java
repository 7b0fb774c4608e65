package io.currents.runtime.manifests;

import io.currents.api.kustomize.v1.KustomizationSpec;
import io.currents.api.meta.Image;
import io.currents.api.meta.Patch;
import io.currents.api.meta.Selector;
import io.currents.kustomize.yaml.YamlReader;
import io.currents.kustomize.yaml.YamlWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes the kustomization file kustomize-controller builds: generates one for a plain directory of YAML
 * (as Flux does) and overlays the Kustomization's {@code targetNamespace}, {@code namePrefix}/{@code nameSuffix},
 * {@code patches}, {@code images}, {@code components} and {@code buildMetadata} onto it.
 */
public final class KustomizationOverlay {

    public static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private KustomizationOverlay() {
    }

    /** Prepares {@code dir} (inside the unpacked artifact {@code root}) for the build. */
    public static void write(Path root, Path dir, KustomizationSpec spec) throws IOException {
        Path file = existingFile(dir);
        boolean generated = file == null;
        Map<String, Object> kustomization;
        if (generated) {
            file = dir.resolve("kustomization.yaml");
            kustomization = new LinkedHashMap<>();
            kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
            kustomization.put("kind", "Kustomization");
            kustomization.put("resources", scan(dir));
        } else {
            if (!hasOverlay(spec)) {
                // Leave the user's file byte for byte as written when there is nothing to add.
                return;
            }
            Object parsed = YamlReader.read(Files.readString(file), false);
            if (!(parsed instanceof Map<?, ?>)) {
                throw new IOException("kustomization file " + root.relativize(file) + " is not a YAML mapping");
            }
            kustomization = cast(parsed);
        }
        overlay(kustomization, dir, spec);
        Files.writeString(file, YamlWriter.toYaml(kustomization));
    }

    public static Path existingFile(Path dir) {
        for (String name : FILE_NAMES) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean hasOverlay(KustomizationSpec spec) {
        return spec.getTargetNamespace() != null || spec.getNamePrefix() != null || spec.getNameSuffix() != null
                || notEmpty(spec.getPatches()) || notEmpty(spec.getImages()) || notEmpty(spec.getComponents())
                || notEmpty(spec.getBuildMetadata());
    }

    /** Flux's generation: every .yaml/.yml file below, and each subdirectory with its own kustomization (not descended into). */
    private static List<Object> scan(Path dir) throws IOException {
        List<Object> resources = new ArrayList<>();
        scanInto(dir, dir, resources);
        return resources;
    }

    private static void scanInto(Path root, Path dir, List<Object> out) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted().toList();
        }
        for (Path p : entries) {
            String rel = "./" + root.relativize(p).toString().replace('\\', '/');
            if (Files.isDirectory(p)) {
                if (existingFile(p) != null) {
                    out.add(rel);
                } else {
                    scanInto(root, p, out);
                }
                continue;
            }
            String name = p.getFileName().toString();
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                out.add(rel);
            }
        }
    }

    private static void overlay(Map<String, Object> k, Path dir, KustomizationSpec spec) {
        if (spec.getTargetNamespace() != null && !spec.getTargetNamespace().isEmpty()) {
            k.put("namespace", spec.getTargetNamespace());
        }
        // Like an overlay on top of the user's kustomization: our prefix goes outside theirs, our suffix after it.
        if (spec.getNamePrefix() != null) {
            k.put("namePrefix", spec.getNamePrefix() + Objects.toString(k.get("namePrefix"), ""));
        }
        if (spec.getNameSuffix() != null) {
            k.put("nameSuffix", Objects.toString(k.get("nameSuffix"), "") + spec.getNameSuffix());
        }
        if (notEmpty(spec.getPatches())) {
            List<Object> patches = list(k, "patches");
            for (Patch patch : spec.getPatches()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("patch", patch.getPatch());
                if (patch.getTarget() != null) {
                    entry.put("target", selector(patch.getTarget()));
                }
                patches.add(entry);
            }
        }
        if (notEmpty(spec.getImages())) {
            List<Object> images = list(k, "images");
            for (Image image : spec.getImages()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", image.getName());
                putIfSet(entry, "newName", image.getNewName());
                putIfSet(entry, "newTag", image.getNewTag());
                putIfSet(entry, "digest", image.getDigest());
                int existing = -1;
                for (int i = 0; i < images.size(); i++) {
                    if (images.get(i) instanceof Map<?, ?> m && image.getName().equals(m.get("name"))) {
                        existing = i;
                    }
                }
                if (existing >= 0) {
                    images.set(existing, entry);
                } else {
                    images.add(entry);
                }
            }
        }
        if (notEmpty(spec.getBuildMetadata())) {
            // replaces the file's own buildMetadata, as Flux's generator does
            k.put("buildMetadata", new ArrayList<>(spec.getBuildMetadata()));
        }
        if (notEmpty(spec.getComponents())) {
            List<Object> components = list(k, "components");
            boolean ignoreMissing = Boolean.TRUE.equals(spec.getIgnoreMissingComponents());
            for (String component : spec.getComponents()) {
                if (ignoreMissing && !Files.exists(dir.resolve(component).normalize())) {
                    continue;
                }
                components.add(component);
            }
        }
    }

    private static Map<String, Object> selector(Selector s) {
        Map<String, Object> target = new LinkedHashMap<>();
        putIfSet(target, "group", s.getGroup());
        putIfSet(target, "version", s.getVersion());
        putIfSet(target, "kind", s.getKind());
        putIfSet(target, "name", s.getName());
        putIfSet(target, "namespace", s.getNamespace());
        putIfSet(target, "labelSelector", s.getLabelSelector());
        putIfSet(target, "annotationSelector", s.getAnnotationSelector());
        return target;
    }

    private static void putIfSet(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }

    private static List<Object> list(Map<String, Object> k, String key) {
        Object existing = k.get(key);
        List<Object> list = existing instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        k.put(key, list);
        return list;
    }

    private static boolean notEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }
}
