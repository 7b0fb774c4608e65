package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.HelmChart;
import io.currents.source.helm.TestCharts;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmChartFromSourceTest extends GitServerTest {

    private static Map<String, String> chartTree(String version) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("charts/app/Chart.yaml", """
                apiVersion: v2
                name: app
                version: %s
                dependencies:
                  - name: common
                    version: ">=0.1.0"
                    repository: file://../common
                """.formatted(version));
        files.put("charts/app/values.yaml", "replicas: 1\n");
        files.put("charts/app/templates/deployment.yaml", "kind: Deployment\n");
        files.put("charts/app/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.0.1\n");
        files.put("charts/common/Chart.yaml", "apiVersion: v2\nname: common\nversion: 0.2.0\n");
        files.put("charts/common/templates/_helpers.tpl", "{{- define \"common.name\" -}}x{{- end -}}\n");
        files.put("env/prod.yaml", "replicas: 5\n");
        files.put("README.md", "not part of the chart\n");
        return files;
    }

    @Test
    void aChartInAGitRepositoryIsPackagedWithItsSubchartsAndLocalDependencies() throws Exception {
        TestRepo repo = TestRepo.create(root, "chart-package");
        repo.commit("main", chartTree("0.1.0"), "chart");
        var scenario = new SourceScenario("helmchart-git");
        scenario.apply(GitRepository.class, gitRepository("source", server.url(repo), "branch: main"));
        scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "./charts/app", "*", "GitRepository", "source",
                "valuesFiles:\n- charts/app/values.yaml\n- env/prod.yaml\n"));

        HelmChart ready = scenario.awaitReady(HelmChart.class, "app");
        assertThat(ready.getArtifact().getRevision()).isEqualTo("0.1.0+1");
        assertThat(ready.getArtifact().getPath()).endsWith("/app-0.1.0+1.tgz");
        assertThat(SourceScenario.condition(ready, "Ready").orElseThrow().getReason()).isEqualTo("ChartPackageSucceeded");
        GitRepository source = scenario.get(GitRepository.class, "source");
        assertThat(ready.getStatus().getObservedSourceArtifactRevision()).isEqualTo(source.getStatus().getArtifact().getRevision());

        Map<String, String> entries = TestCharts.entries(SourceScenario.downloadVerified(ready.getArtifact()));
        assertThat(entries).containsOnlyKeys("app/Chart.yaml", "app/values.yaml", "app/templates/deployment.yaml",
                "app/charts/sub/Chart.yaml", "app/charts/common/Chart.yaml", "app/charts/common/templates/_helpers.tpl");
        assertThat(entries.get("app/values.yaml")).contains("replicas: 5");
        assertThat(entries.get("app/Chart.yaml")).contains("version: 0.1.0+1");
    }

    @Test
    void dependenciesFromAChartRepositoryAreDownloadedWithTheCredentialsOfTheMatchingHelmRepository() throws Exception {
        try (HelmRepoServer charts = HelmRepoServer.start()) {
            charts.requireBasicAuth("flux", "s3cret")
                    .put("stable/redis-2.1.7.tgz", TestCharts.chart("redis", "2.1.7", Map.of()))
                    .put("stable/redis-3.0.0.tgz", TestCharts.chart("redis", "3.0.0", Map.of()))
                    .put("stable/index.yaml", TestCharts.index(Map.of("redis", java.util.List.of("2.1.7", "3.0.0"))));
            TestRepo repo = TestRepo.create(root, "chart-remote-dep");
            repo.commit("main", Map.of("app/Chart.yaml", """
                    apiVersion: v2
                    name: app
                    version: 1.0.0
                    dependencies:
                      - name: redis
                        version: "~2.1"
                        repository: %s
                    """.formatted(charts.url("stable"))), "chart with a remote dependency");
            var scenario = new SourceScenario("helmchart-remotedep");
            scenario.secret("creds", Map.of("username", "flux", "password", "s3cret"));
            scenario.apply(io.currents.api.source.v1.HelmRepository.class,
                    SourceScenario.helmRepository("stable", charts.url("stable") + "/", "secretRef:\n  name: creds\n"));
            scenario.apply(GitRepository.class, gitRepository("source", server.url(repo), "branch: main"));
            scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "app", "*", "GitRepository", "source", null));

            HelmChart ready = scenario.awaitReady(HelmChart.class, "app");
            Map<String, String> entries = TestCharts.entries(SourceScenario.downloadVerified(ready.getArtifact()));
            assertThat(entries).containsKey("app/charts/redis-2.1.7.tgz").doesNotContainKey("app/charts/redis-3.0.0.tgz");
        }
    }

    @Test
    void theRevisionStrategyAddsTheShortCommitAndFollowsNewCommits() throws Exception {
        TestRepo repo = TestRepo.create(root, "chart-revision");
        String first = repo.commit("main", chartTree("1.0.0"), "chart");
        var scenario = new SourceScenario("helmchart-rev");
        scenario.apply(GitRepository.class, gitRepository("source", server.url(repo), "branch: main"));
        scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "charts/app", "*", "GitRepository", "source",
                "reconcileStrategy: Revision\n"));

        HelmChart ready = scenario.awaitReady(HelmChart.class, "app");
        assertThat(ready.getArtifact().getRevision()).isEqualTo("1.0.0+" + first.substring(0, 12));
        assertThat(TestCharts.entries(SourceScenario.downloadVerified(ready.getArtifact())).get("app/Chart.yaml"))
                .contains("version: 1.0.0+" + first.substring(0, 12));

        String second = repo.change("main").file("charts/app/templates/service.yaml", "kind: Service\n").commit("add a service");
        scenario.reconcileNow(GitRepository.class, "source");
        HelmChart next = scenario.await(HelmChart.class, "app", c -> c.getArtifact() != null
                && c.getArtifact().getRevision().equals("1.0.0+" + second.substring(0, 12)));
        assertThat(TestCharts.entries(SourceScenario.downloadVerified(next.getArtifact()))).containsKey("app/templates/service.yaml");
    }

    @Test
    void theChartVersionStrategyKeepsTheArtifactUntilTheChartVersionChanges() throws Exception {
        TestRepo repo = TestRepo.create(root, "chart-version");
        repo.commit("main", chartTree("2.0.0"), "chart");
        var scenario = new SourceScenario("helmchart-ver");
        scenario.apply(GitRepository.class, gitRepository("source", server.url(repo), "branch: main"));
        scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "charts/app", "*", "GitRepository", "source", null));
        var first = scenario.awaitReady(HelmChart.class, "app").getArtifact();
        assertThat(first.getRevision()).isEqualTo("2.0.0");

        repo.change("main").file("charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 2.1.0\n").commit("bump");
        scenario.reconcileNow(GitRepository.class, "source");
        HelmChart bumped = scenario.await(HelmChart.class, "app", c -> c.getArtifact() != null && "2.1.0".equals(c.getArtifact().getRevision()));
        assertThat(bumped.getArtifact().getPath()).endsWith("/app-2.1.0.tgz");
    }

    @Test
    void aMissingChartPathOrBrokenChartYamlIsReportedAndTheLastGoodArtifactStays() throws Exception {
        TestRepo repo = TestRepo.create(root, "chart-broken");
        repo.commit("main", chartTree("0.1.0"), "chart");
        var scenario = new SourceScenario("helmchart-broken");
        scenario.apply(GitRepository.class, gitRepository("source", server.url(repo), "branch: main"));
        scenario.apply(HelmChart.class, SourceScenario.helmChart("wrong", "charts/nothing", "*", "GitRepository", "source", null));
        HelmChart stalled = scenario.await(HelmChart.class, "wrong", c -> "True".equals(SourceScenario.status(c, "Stalled")));
        assertThat(SourceScenario.condition(stalled, "Ready").orElseThrow().getReason()).isEqualTo("InvalidChartReference");
        assertThat(SourceScenario.condition(stalled, "Ready").orElseThrow().getMessage()).contains("charts/nothing");

        scenario.apply(HelmChart.class, SourceScenario.helmChart("app", "charts/app", "*", "GitRepository", "source", null));
        var good = scenario.awaitReady(HelmChart.class, "app").getArtifact();
        repo.change("main").file("charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: [oops\n").commit("break it");
        scenario.reconcileNow(GitRepository.class, "source");
        HelmChart failed = scenario.awaitNotReady(HelmChart.class, "app", "ChartPackageError");
        assertThat(SourceScenario.condition(failed, "BuildFailed").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage()).startsWith("chart package error: ").contains("Chart.yaml");
        assertThat(failed.getArtifact().getRevision()).isEqualTo(good.getRevision());
        SourceScenario.downloadVerified(failed.getArtifact());
    }
}
