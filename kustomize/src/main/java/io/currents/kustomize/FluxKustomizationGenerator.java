package io.currents.kustomize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What Flux's kustomize-controller does for a directory without a kustomization file: list every
 * .yaml/.yml file below it (each must decode as Kubernetes objects) and every subdirectory that has
 * its own kustomization file (not descending into it), as the resources of a generated kustomization.
 */
final class FluxKustomizationGenerator {
    private FluxKustomizationGenerator() {
    }

    static Kustomization generate(Loader ldr, Kustomizer.Options options) {
        List<String> resources = new ArrayList<>();
        try {
            scan(ldr, ldr.root, resources);
        } catch (IOException e) {
            throw new KustomizeException("generating kustomization for '" + ldr.root + "': " + Loader.reason(e));
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        raw.put("kind", "Kustomization");
        raw.put("resources", new ArrayList<Object>(resources));
        return Kustomization.parse(io.currents.kustomize.yaml.YamlWriter.toYaml(raw),
                ldr.root.resolve("kustomization.yaml").toString());
    }

    private static void scan(Loader ldr, Path dir, List<String> out) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        for (Path p : entries) {
            String rel = "./" + ldr.root.relativize(p).toString().replace('\\', '/');
            if (Files.isDirectory(p)) {
                boolean hasKustomization = false;
                for (String n : Kustomization.FILE_NAMES) {
                    if (Files.isRegularFile(p.resolve(n))) {
                        hasKustomization = true;
                        break;
                    }
                }
                if (hasKustomization) {
                    out.add(rel);
                } else {
                    scan(ldr, p, out);
                }
                continue;
            }
            String name = p.getFileName().toString();
            if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
                continue;
            }
            String text = ldr.read(rel);
            try {
                ResourceFactory.sliceFromBytes(text, p.toString());
            } catch (KustomizeException e) {
                throw new KustomizeException("failed to decode Kubernetes YAML from " + p + ": " + e.getMessage(), e);
            }
            out.add(rel);
        }
    }
}
