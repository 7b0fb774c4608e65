package io.currents.source.helm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChartPackagingTest {

    private static final long MAX_FILE = 5 * 1024 * 1024;

    private static ChartBuilder.Options options(List<String> valuesFiles, String metadata) {
        return new ChartBuilder.Options(valuesFiles, false, metadata, MAX_FILE);
    }

    @Test
    void aPulledChartWithoutChangesKeepsItsArchiveBytes() throws Exception {
        byte[] archive = TestCharts.chart("app", "1.2.3", Map.of());
        ChartBuilder.Build build = ChartBuilder.fromRepository(archive, "app", options(List.of(), null));
        assertThat(build.packaged()).isFalse();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        build.chart().writeArchive(out);
        assertThat(out.toByteArray()).isEqualTo(archive);
        assertThat(build.summary()).isEqualTo("pulled 'app' chart with version '1.2.3'");
    }

    @Test
    void valuesFilesAreDeepMergedInOrderIntoValuesYamlAndTheVersionGetsMetadata() throws Exception {
        byte[] archive = TestCharts.chart("app", "1.2.3", Map.of(
                "values-prod.yaml", "replicas: 3\nimage:\n  repository: example/app\n",
                "values-eu.yaml", "image:\n  tag: eu\n"));
        ChartBuilder.Build build = ChartBuilder.fromRepository(archive, "app",
                options(List.of("values.yaml", "values-prod.yaml", "values-eu.yaml"), "4"));

        assertThat(build.packaged()).isTrue();
        assertThat(build.version()).isEqualTo("1.2.3+4");
        Map<String, String> entries = TestCharts.entries(build.chart().packageBytes());
        assertThat(entries).containsKeys("app/Chart.yaml", "app/values.yaml", "app/templates/configmap.yaml");
        assertThat(entries.get("app/Chart.yaml")).contains("version: 1.2.3+4").contains("name: app");
        Object values = Chart.YAML.readValue(entries.get("app/values.yaml"), Object.class);
        assertThat(values).isEqualTo(Map.of("replicas", 3, "image", Map.of("tag", "eu", "repository", "example/app")));
        assertThat(build.summary()).isEqualTo("packaged 'app' chart with version '1.2.3+4' and merged values files [values.yaml values-prod.yaml values-eu.yaml]");
    }

    @Test
    void aMissingValuesFileFailsUnlessIgnored() throws Exception {
        byte[] archive = TestCharts.chart("app", "1.0.0", Map.of());
        assertThatThrownBy(() -> ChartBuilder.fromRepository(archive, "app", options(List.of("nope.yaml"), "1")))
                .isInstanceOfSatisfying(ChartBuildException.class, e -> assertThat(e.reason()).isEqualTo("ValuesFilesError"))
                .hasMessageContaining("no values file found at path 'nope.yaml'");
        ChartBuilder.Build build = ChartBuilder.fromRepository(archive, "app",
                new ChartBuilder.Options(List.of("nope.yaml", "values.yaml"), true, "1", MAX_FILE));
        assertThat(build.valuesFiles()).containsExactly("values.yaml");
    }

    @Test
    void archivesThatEscapeTheChartDirectoryOrHoldLinksAreRefused() {
        Map<String, String> traversal = new LinkedHashMap<>();
        traversal.put("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
        traversal.put("app/../../etc/evil", "x");
        assertThatThrownBy(() -> ChartBuilder.fromRepository(TestCharts.tgz(traversal), "app", options(List.of(), null)))
                .isInstanceOfSatisfying(ChartBuildException.class, e -> assertThat(e.reason()).isEqualTo("ChartPullError"))
                .hasMessageContaining("points outside the chart directory");

        Map<String, String> absolute = Map.of("/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
        assertThatThrownBy(() -> Chart.fromArchive(TestCharts.tgz(absolute), MAX_FILE)).hasMessageContaining("absolute path");
    }

    @Test
    void oversizedFilesAndBadMetadataAreRefused() {
        byte[] big = TestCharts.chart("app", "1.0.0", Map.of("big.txt", "x".repeat(2048)));
        assertThatThrownBy(() -> Chart.fromArchive(big, 1024)).hasMessageContaining("'big.txt'").hasMessageContaining("limit of 1024 bytes");

        byte[] noVersion = TestCharts.tgz(Map.of("app/Chart.yaml", "apiVersion: v2\nname: app\n"));
        assertThatThrownBy(() -> Chart.fromArchive(noVersion, MAX_FILE)).hasMessage("validation: chart.metadata.version is required");
        byte[] badName = TestCharts.tgz(Map.of("app/Chart.yaml", "apiVersion: v2\nname: ../app\nversion: 1.0.0\n"));
        assertThatThrownBy(() -> Chart.fromArchive(badName, MAX_FILE)).hasMessageContaining("chart.metadata.name \"../app\" is invalid");
        byte[] noChart = TestCharts.tgz(Map.of("app/values.yaml", "a: 1\n"));
        assertThatThrownBy(() -> Chart.fromArchive(noChart, MAX_FILE)).hasMessage("Chart.yaml file is missing");
        assertThatThrownBy(() -> ChartBuilder.fromRepository(TestCharts.chart("other", "1.0.0", Map.of()), "app", options(List.of(), null)))
                .hasMessageContaining("contains chart 'other', not 'app'");
    }

    @Test
    void anArchiveThatExpandsPastHelmsChartLimitIsRefused() throws Exception {
        // 30 files of 4 MiB of zeros, each under the per-file limit: 120 MiB in about 120 KiB of gzip
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes))) {
            byte[] zeros = new byte[4 << 20];
            java.util.function.BiConsumer<String, byte[]> add = (name, data) -> {
                try {
                    var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
                    entry.setSize(data.length);
                    tar.putArchiveEntry(entry);
                    tar.write(data);
                    tar.closeArchiveEntry();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            add.accept("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (int i = 0; i < 30; i++) {
                add.accept("app/files/zeros-" + i + ".bin", zeros);
            }
        }
        assertThat(bytes.size()).isLessThan(1 << 20);
        assertThatThrownBy(() -> Chart.fromArchive(bytes.toByteArray(), MAX_FILE)).isInstanceOf(Chart.InvalidChartException.class)
                .hasMessage("not a valid chart archive: the chart archive expands to more than 104857600 bytes");
    }

    @Test
    void aChartDirectoryIsPackagedWithSubchartsLocalDependenciesAndHelmignore(@TempDir Path source) throws Exception {
        Path chart = Files.createDirectories(source.resolve("charts/app"));
        Files.writeString(chart.resolve("Chart.yaml"), """
                apiVersion: v2
                name: app
                version: 0.3.0
                dependencies:
                  - name: vendored
                    version: 1.0.0
                    repository: https://charts.example.invalid
                  - name: common
                    version: ">=0.1.0"
                    repository: file://../common
                """);
        Files.writeString(chart.resolve("values.yaml"), "a: 1\n");
        Files.writeString(chart.resolve(".helmignore"), "*.bak\n");
        Files.writeString(chart.resolve("notes.bak"), "ignored\n");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("templates/cm.yaml"), "kind: ConfigMap\n");
        Files.createDirectories(chart.resolve("charts/vendored"));
        Files.writeString(chart.resolve("charts/vendored/Chart.yaml"), "apiVersion: v2\nname: vendored\nversion: 1.0.0\n");
        Path common = Files.createDirectories(source.resolve("charts/common"));
        Files.writeString(common.resolve("Chart.yaml"), "apiVersion: v2\nname: common\nversion: 0.2.0\n");
        Files.writeString(common.resolve("values.yaml"), "c: 1\n");
        Files.writeString(source.resolve("prod.yaml"), "a: 2\nb: 3\n");

        ChartBuilder.Build build = ChartBuilder.fromDirectory(source, ChartBuilder.chartDirectory(source, "./charts/app"),
                options(List.of("prod.yaml"), "abcdef012345.1"), (url, name, range) -> {
                    throw new AssertionError("vendored dependency must not be downloaded");
                });

        assertThat(build.version()).isEqualTo("0.3.0+abcdef012345.1");
        Map<String, String> entries = TestCharts.entries(build.chart().packageBytes());
        assertThat(entries).containsOnlyKeys("app/Chart.yaml", "app/values.yaml", "app/.helmignore", "app/templates/cm.yaml",
                "app/charts/vendored/Chart.yaml", "app/charts/common/Chart.yaml", "app/charts/common/values.yaml");
        assertThat(entries.get("app/values.yaml")).contains("a: 2").contains("b: 3");
    }

    @Test
    void remoteAndOciDependenciesAreDownloadedIntoChartsAndAliasesAreAClearError(@TempDir Path source) throws Exception {
        Path chart = Files.createDirectories(source.resolve("app"));
        Files.writeString(chart.resolve("Chart.yaml"), """
                apiVersion: v2
                name: app
                version: 1.0.0
                dependencies:
                  - name: redis
                    version: "~2.1"
                    repository: https://charts.example.invalid/stable/
                """);
        ChartBuilder.Build build = ChartBuilder.fromDirectory(source, ChartBuilder.chartDirectory(source, "app"),
                options(List.of(), null), (url, name, range) -> {
                    assertThat(url).isEqualTo("https://charts.example.invalid/stable/");
                    assertThat(range).isEqualTo("~2.1");
                    return TestCharts.chart(name, "2.1.7", Map.of());
                });
        assertThat(TestCharts.entries(build.chart().packageBytes())).containsKey("app/charts/redis-2.1.7.tgz");

        Files.writeString(chart.resolve("Chart.yaml"), """
                apiVersion: v2
                name: app
                version: 1.0.0
                dependencies:
                  - name: redis
                    version: "1.0.0"
                    repository: oci://registry.example.invalid/charts
                """);
        ChartBuilder.Build fromOci = ChartBuilder.fromDirectory(source, ChartBuilder.chartDirectory(source, "app"),
                options(List.of(), null), (url, name, range) -> {
                    assertThat(url).isEqualTo("oci://registry.example.invalid/charts");
                    return TestCharts.chart(name, "1.0.0", Map.of());
                });
        assertThat(TestCharts.entries(fromOci.chart().packageBytes())).containsKey("app/charts/redis-1.0.0.tgz");

        Files.writeString(chart.resolve("Chart.yaml"), """
                apiVersion: v2
                name: app
                version: 1.0.0
                dependencies:
                  - name: redis
                    version: "1.0.0"
                    repository: "@stable"
                """);
        assertThatThrownBy(() -> ChartBuilder.fromDirectory(source, ChartBuilder.chartDirectory(source, "app"),
                options(List.of(), null), (url, name, range) -> null))
                .isInstanceOfSatisfying(ChartBuildException.class, e -> assertThat(e.reason()).isEqualTo("DependencyBuildError"))
                .hasMessageContaining("redis").hasMessageContaining("@stable");
    }

    @Test
    void aChartPathOutsideTheSourceOrWithoutChartYamlIsAnInvalidReference(@TempDir Path source) throws Exception {
        Files.createDirectories(source.resolve("empty"));
        assertThatThrownBy(() -> ChartBuilder.chartDirectory(source, "../outside"))
                .hasMessageContaining("points outside the source");
        assertThatThrownBy(() -> ChartBuilder.chartDirectory(source, "missing"))
                .hasMessageContaining("path 'missing' not found");
        assertThatThrownBy(() -> ChartBuilder.chartDirectory(source, "empty"))
                .isInstanceOfSatisfying(ChartBuildException.class, e -> assertThat(e.reason()).isEqualTo("InvalidChartReference"));
    }
}
