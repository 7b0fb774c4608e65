package io.currents.kustomize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The corpus of kustomizations with kustomize v5.5's expected output, under src/test/resources/corpus. */
final class Corpus {
    private Corpus() {
    }

    static Path root() {
        Path p = Path.of("src/test/resources/corpus");
        if (!Files.isDirectory(p)) {
            p = Path.of("kustomize/src/test/resources/corpus");
        }
        return p.toAbsolutePath();
    }

    record Case(String name, Path dir) {
        Path buildDir() throws IOException {
            Path bp = dir.resolve("build-path.txt");
            return Files.exists(bp) ? dir.resolve(Files.readString(bp).trim()) : dir;
        }

        boolean generateMissing() {
            return Files.exists(dir.resolve("generate-missing-kustomization"));
        }

        /** Whether the case renders helmCharts (its output was made with {@code --enable-helm}). */
        boolean enableHelm() {
            return Files.exists(dir.resolve("enable-helm"));
        }

        String expectedYaml() throws IOException {
            Path p = dir.resolve("expected.yaml");
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
        }

        String expectedError() throws IOException {
            Path p = dir.resolve("expected-error.txt");
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8).trim() : null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() throws IOException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).sorted()
                    .map(p -> new Case(p.getFileName().toString(), p)).toList();
        }
    }

    static ResourceList build(Case c) throws IOException {
        return Kustomizer.builder().generateMissingKustomization(c.generateMissing()).build().build(c.buildDir());
    }
}
