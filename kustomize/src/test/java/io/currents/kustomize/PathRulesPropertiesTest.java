package io.currents.kustomize;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever paths a kustomization names (resources, patches, generator files; with {@code ..}, absolute paths, and
 * symlinks leading out), a build inside a secure root either fails with a {@link KustomizeException} or reads
 * nothing from outside that root, under Flux's load restrictions (none) as under kustomize's default (root only).
 */
class PathRulesPropertiesTest {

    private static final String OUTSIDE_MARK = "outside-the-root-7f3a";

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.of("..", ".", "app", "base", "cm.yaml", "outside", "secret.yaml", "out-link",
                "dir-link", "file-link", "in-link");
        return segment.list().ofMinSize(1).ofMaxSize(5).map(s -> String.join("/", s))
                .flatMap(p -> Arbitraries.of(p, p, "/" + p, "%ROOT%/" + p));
    }

    /** Mostly references that build, so that the outcome of the odd hostile one decides the build. */
    @Provide
    Arbitrary<List<String>> references() {
        Arbitrary<String> valid = Arbitraries.of("local.yaml", "../cm.yaml", "../base", "../dir-link/local.yaml");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, valid), net.jqwik.api.Tuple.of(1, paths()))
                .list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    }

    @Provide
    Arbitrary<String> optionalPaths() {
        return paths().injectNull(0.6);
    }

    @Property(tries = 150)
    void nothingOutsideTheSecureRootIsRead(@ForAll("references") List<String> resources, @ForAll("optionalPaths") String patch,
                                           @ForAll("optionalPaths") String generatorFile, @ForAll boolean rootOnly) throws IOException {
        Path tmp = Files.createTempDirectory("kustomize-paths");
        try {
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            Files.writeString(outside.resolve("secret.yaml"), configMap(OUTSIDE_MARK));
            Files.writeString(outside.resolve("kustomization.yaml"), "resources:\n- secret.yaml\n");
            Path root = Files.createDirectories(tmp.resolve("repo"));
            Path app = Files.createDirectories(root.resolve("app"));
            Files.createDirectories(root.resolve("base"));
            Files.writeString(root.resolve("base/kustomization.yaml"), "resources:\n- ../cm.yaml\n");
            Files.writeString(root.resolve("cm.yaml"), configMap("inside"));
            Files.writeString(app.resolve("local.yaml"), configMap("local"));
            Files.createSymbolicLink(root.resolve("out-link"), outside);
            Files.createSymbolicLink(root.resolve("file-link"), outside.resolve("secret.yaml"));
            Files.createSymbolicLink(root.resolve("dir-link"), Path.of("app"));
            Files.createSymbolicLink(app.resolve("in-link"), Path.of("../out-link"));
            StringBuilder k = new StringBuilder("resources:\n");
            resources.forEach(r -> k.append("- ").append(quoted(r, root)).append('\n'));
            if (patch != null) {
                k.append("patches:\n- path: ").append(quoted(patch, root)).append('\n');
            }
            if (generatorFile != null) {
                k.append("configMapGenerator:\n- name: gen\n  files:\n  - ").append(quoted(generatorFile, root)).append('\n');
            }
            Files.writeString(app.resolve("kustomization.yaml"), k.toString());

            Kustomizer kustomizer = Kustomizer.builder()
                    .loadRestrictions(rootOnly ? Kustomizer.LoadRestrictions.ROOT_ONLY : Kustomizer.LoadRestrictions.NONE)
                    .secureRoot(root).build();
            try {
                String out = kustomizer.build(app).toYaml();
                assertThat(out).doesNotContain(OUTSIDE_MARK);
                Statistics.collect("built");
            } catch (KustomizeException refused) {
                Statistics.collect(refused.getMessage().contains("security") || refused.getMessage().contains("outside")
                        ? "refused: outside the root" : "refused: other");
                assertThat(refused.getMessage()).isNotBlank();
            }
        } finally {
            try (Stream<Path> all = Files.walk(tmp)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String quoted(String path, Path root) {
        return "\"" + path.replace("%ROOT%", root.getParent().toString()) + "\"";
    }

    private static String configMap(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  mark: " + name + "\n";
    }
}
