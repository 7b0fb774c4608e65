package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.HelmRepository;
import io.currents.source.helm.TestCharts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmChartFromRepositoryTest {

    static HelmRepoServer charts;

    @BeforeAll
    static void startRepository() {
        charts = HelmRepoServer.start();
    }

    @AfterAll
    static void stopRepository() {
        charts.close();
    }

    /** Publishes {@code versions} of chart {@code app} under {@code prefix}/ with an index listing them. */
    private static void publish(String prefix, String... versions) {
        for (String v : versions) {
            charts.put(prefix + "/app-" + v + ".tgz", TestCharts.chart("app", v, Map.of("values-prod.yaml", "replicas: 3\nimage:\n  repository: example/app\n")));
        }
        charts.put(prefix + "/index.yaml", TestCharts.index(Map.of("app", List.of(versions))));
    }

    @Test
    void theChartIsPulledByVersionRangeAndANewVersionInTheIndexBecomesANewArtifact() throws Exception {
        publish("range", "1.0.0", "1.1.0", "1.2.0-rc.1", "2.0.0");
        var scenario = new SourceScenario("helmchart-range");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("range"), null));
        scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "app", "1.x", "HelmRepository", "repo", null));

        HelmChart ready = scenario.awaitReady(HelmChart.class, "app");
        Artifact artifact = ready.getStatus().getArtifact();
        assertThat(artifact.getRevision()).isEqualTo("1.1.0");
        assertThat(artifact.getPath()).isEqualTo("helmchart/" + scenario.namespace + "/app/app-1.1.0.tgz");
        assertThat(SourceScenario.downloadVerified(artifact)).isEqualTo(charts.get("range/app-1.1.0.tgz"));
        assertThat(ready.getStatus().getObservedChartName()).isEqualTo("app");
        HelmRepository repo = scenario.get(HelmRepository.class, "repo");
        assertThat(ready.getStatus().getObservedSourceArtifactRevision()).isEqualTo(repo.getStatus().getArtifact().getRevision());
        assertThat(ready.getStatus().getUrl()).endsWith("/helmchart/" + scenario.namespace + "/app/latest.tar.gz");
        var readyCondition = SourceScenario.condition(ready, "Ready").orElseThrow();
        assertThat(readyCondition.getReason()).isEqualTo("ChartPullSucceeded");
        assertThat(readyCondition.getMessage()).isEqualTo("pulled 'app' chart with version '1.1.0'");
        assertThat(SourceScenario.condition(ready, "ArtifactInStorage").orElseThrow().getReason()).isEqualTo("ChartPullSucceeded");
        assertThat(scenario.events("app")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("ChartPullSucceeded");
            assertThat(e.getMessage()).isEqualTo("pulled 'app' chart with version '1.1.0'");
        });

        publish("range", "1.0.0", "1.1.0", "1.2.0-rc.1", "1.3.0", "2.0.0");
        scenario.reconcileNow(HelmRepository.class, "repo");
        HelmChart upgraded = scenario.await(HelmChart.class, "app", c -> c.getArtifact() != null && "1.3.0".equals(c.getArtifact().getRevision()));
        assertThat(SourceScenario.downloadVerified(upgraded.getArtifact())).isEqualTo(charts.get("range/app-1.3.0.tgz"));
        assertThat(SourceScenario.status(upgraded, "Ready")).isEqualTo("True");
    }

    @Test
    void valuesFilesAreMergedIntoThePackagedChartWhoseVersionCarriesTheGeneration() throws Exception {
        publish("values", "1.0.0");
        var scenario = new SourceScenario("helmchart-values");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("values"), null));
        scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "app", "*", "HelmRepository", "repo",
                "valuesFiles:\n- values.yaml\n- values-prod.yaml\n"));

        HelmChart ready = scenario.awaitReady(HelmChart.class, "app");
        assertThat(ready.getArtifact().getRevision()).isEqualTo("1.0.0+1");
        assertThat(ready.getArtifact().getPath()).endsWith("/app-1.0.0+1.tgz");
        assertThat(ready.getStatus().getObservedValuesFiles()).containsExactly("values.yaml", "values-prod.yaml");
        assertThat(SourceScenario.condition(ready, "Ready").orElseThrow().getReason()).isEqualTo("ChartPackageSucceeded");
        assertThat(SourceScenario.condition(ready, "Ready").orElseThrow().getMessage())
                .isEqualTo("packaged 'app' chart with version '1.0.0+1' and merged values files [values.yaml values-prod.yaml]");

        Map<String, String> entries = TestCharts.entries(SourceScenario.downloadVerified(ready.getArtifact()));
        assertThat(entries.get("app/Chart.yaml")).contains("version: 1.0.0+1");
        Object values = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readValue(entries.get("app/values.yaml"), Object.class);
        assertThat(values).isEqualTo(Map.of("replicas", 3, "image", Map.of("tag", "1.0.0", "repository", "example/app")));
    }

    @Test
    void aVersionThatDoesNotExistStallsWithInvalidChartReference() {
        publish("missing", "1.0.0");
        var scenario = new SourceScenario("helmchart-missing");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("missing"), null));
        scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "app", "9.*", "HelmRepository", "repo", null));

        HelmChart stalled = scenario.await(HelmChart.class, "app", c -> "True".equals(SourceScenario.status(c, "Stalled")));
        var ready = SourceScenario.condition(stalled, "Ready").orElseThrow();
        assertThat(ready.getReason()).isEqualTo("InvalidChartReference");
        assertThat(ready.getMessage()).isEqualTo("invalid chart reference: no 'app' chart with version matching '9.*' found");
        assertThat(SourceScenario.status(stalled, "FetchFailed")).isEqualTo("True");
        assertThat(scenario.events("app")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("InvalidChartReference");
        });
    }

    @Test
    void aChartArchiveWithPathTraversalFailsAndTheLastGoodArtifactStays() throws Exception {
        publish("evil", "1.0.0");
        var scenario = new SourceScenario("helmchart-evil");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("evil"), null));
        scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "app", "*", "HelmRepository", "repo", null));
        Artifact good = scenario.awaitReady(HelmChart.class, "app").getArtifact();

        Map<String, String> evil = new LinkedHashMap<>();
        evil.put("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.1.0\n");
        evil.put("app/../../../tmp/owned", "x");
        charts.put("evil/app-1.1.0.tgz", TestCharts.tgz(evil));
        charts.put("evil/index.yaml", TestCharts.index(Map.of("app", List.of("1.0.0", "1.1.0"))));
        scenario.reconcileNow(HelmRepository.class, "repo");

        HelmChart failed = scenario.awaitNotReady(HelmChart.class, "app", "ChartPullError");
        assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage())
                .startsWith("chart pull error: ").contains("points outside the chart directory");
        assertThat(failed.getArtifact().getRevision()).isEqualTo(good.getRevision());
        assertThat(SourceScenario.downloadVerified(failed.getArtifact())).isEqualTo(charts.get("evil/app-1.0.0.tgz"));
    }

    @Test
    void chartsOfAPrivateRepositoryAreDownloadedWithItsCredentials() throws Exception {
        try (HelmRepoServer privateRepo = HelmRepoServer.start()) {
            privateRepo.requireBasicAuth("flux", "s3cret")
                    .put("app-0.5.0.tgz", TestCharts.chart("app", "0.5.0", Map.of()))
                    .put("index.yaml", TestCharts.index(Map.of("app", List.of("0.5.0"))));
            var scenario = new SourceScenario("helmchart-auth");
            scenario.secret("creds", Map.of("username", "flux", "password", "s3cret"));
            scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", privateRepo.url(""), "secretRef:\n  name: creds\n"));
            scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "app", "*", "HelmRepository", "repo", null));

            HelmChart ready = scenario.awaitReady(HelmChart.class, "app");
            assertThat(ready.getArtifact().getRevision()).isEqualTo("0.5.0");
            assertThat(privateRepo.chartDownloads()).isEqualTo(1);
        }
    }

    @Test
    void aMissingHelmRepositoryFailsUntilItAppears() {
        publish("later", "3.1.0");
        var scenario = new SourceScenario("helmchart-nosource");
        scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "app", "*", "HelmRepository", "repo", null));
        HelmChart failed = scenario.awaitNotReady(HelmChart.class, "app", "SourceUnavailable");
        assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage()).contains("HelmRepository").contains("not found");
        assertThat(SourceScenario.status(failed, "FetchFailed")).isEqualTo("True");

        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("later"), null));
        HelmChart ready = scenario.awaitReady(HelmChart.class, "app");
        assertThat(ready.getArtifact().getRevision()).isEqualTo("3.1.0");
        assertThat(SourceScenario.condition(ready, "FetchFailed")).isEmpty();
    }
}
