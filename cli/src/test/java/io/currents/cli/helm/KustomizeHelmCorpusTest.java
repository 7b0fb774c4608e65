package io.currents.cli.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.Kustomizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kustomize corpus' helmCharts cases (those with an {@code enable-helm} marker) build with the CLI's
 * helm-java inflator to exactly what {@code kubectl kustomize --enable-helm} printed for them. The corpus
 * lives in the kustomize module, which builds these cases only to check that helm is off by default.
 */
class KustomizeHelmCorpusTest {

    record Case(String name, Path dir) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() throws IOException {
        Path corpus = Path.of("../kustomize/src/test/resources/corpus").toAbsolutePath().normalize();
        try (Stream<Path> s = Files.list(corpus)) {
            return s.filter(p -> Files.exists(p.resolve("enable-helm"))).sorted()
                    .map(p -> new Case(p.getFileName().toString(), p)).toList();
        }
    }

    private static String build(Case c) throws IOException {
        Path dir = c.dir();
        Path buildPath = dir.resolve("build-path.txt");
        if (Files.exists(buildPath)) {
            dir = dir.resolve(Files.readString(buildPath).trim());
        }
        HelmJavaChartInflator helm = new HelmJavaChartInflator(new ChartPuller(Duration.ofSeconds(30), 16L << 20));
        return Kustomizer.builder().helm(helm).build().build(dir).toYaml();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersChartsLikeKubectlKustomizeWithEnableHelm(Case c) throws IOException {
        Path error = c.dir().resolve("expected-error.txt");
        if (Files.exists(error)) {
            String expected = Files.readString(error, StandardCharsets.UTF_8).trim();
            assertThatThrownBy(() -> build(c)).isInstanceOf(KustomizeException.class).hasMessageContaining(expected);
            return;
        }
        assertThat(build(c)).isEqualTo(Files.readString(c.dir().resolve("expected.yaml"), StandardCharsets.UTF_8));
    }
}
