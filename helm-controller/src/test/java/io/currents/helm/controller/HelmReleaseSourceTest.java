package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.testkit.artifact.PublishedArtifact;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.artifact.TestSources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Chart sources: spec.chartRef to a HelmChart (an OCIRepository is refused for now), and what happens when the artifact is missing or corrupt. */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseSourceTest {

    @Test
    void chartRefToAHelmChartInstallsItsArtifact() {
        var s = new HelmScenario("hr-chartref");
        s.publishChart("shared-chart", HelmScenario.configMapChart("demo", "3.2.1"));
        s.apply(HelmScenario.bare("app", """
                chartRef:
                  kind: HelmChart
                  name: shared-chart
                """));
        HelmRelease installed = s.awaitReady("app", "InstallSucceeded");
        assertThat(installed.getStatus().getLastAttemptedRevision()).isEqualTo("3.2.1");
        assertThat(installed.getStatus().getHelmChart()).isNull();
        assertThat(s.helmList(false).getFirst().getChart()).isEqualTo("demo-3.2.1");
    }

    @Test
    void chartRefToAnOCIRepositoryInstallsTheChartItServes() {
        var s = new HelmScenario("hr-oci");
        PublishedArtifact artifact = HelmScenario.ARTIFACTS.publishBytes("ocirepository/" + s.namespace + "/podinfo/chart.tgz",
                "6.0.0@sha256:" + "a".repeat(64), Tarball.of(HelmScenario.configMapChart("podinfo", "6.0.0")));
        new TestSources(s.client).ociRepository(s.namespace, "podinfo", artifact);
        s.apply(HelmScenario.bare("app", """
                chartRef:
                  kind: OCIRepository
                  name: podinfo
                """));
        HelmRelease installed = s.awaitReady("app", "InstallSucceeded");
        // as Flux: the digest's first 12 hex digits become the version's build metadata
        assertThat(s.helmList(false).getFirst().getChart()).isEqualTo("podinfo-6.0.0+aaaaaaaaaaaa");
        assertThat(installed.getStatus().getLastAttemptedRevision()).isEqualTo("6.0.0+aaaaaaaaaaaa");
        assertThat(installed.getStatus().getLastAttemptedRevisionDigest()).isEqualTo("sha256:" + "a".repeat(64));
    }

    @Test
    void anOCIRepositoryTagPushedAgainWithNewContentUpgradesTheRelease() {
        var s = new HelmScenario("hr-oci-up");
        var sources = new TestSources(s.client);
        sources.ociRepository(s.namespace, "podinfo", HelmScenario.ARTIFACTS.publishBytes("ocirepository/" + s.namespace + "/podinfo/one.tgz",
                "6.0.0@sha256:" + "1".repeat(64), Tarball.of(HelmScenario.configMapChart("podinfo", "6.0.0"))));
        s.apply(HelmScenario.bare("app", """
                chartRef:
                  kind: OCIRepository
                  name: podinfo
                """));
        s.awaitReady("app", "InstallSucceeded");

        sources.ociRepository(s.namespace, "podinfo", HelmScenario.ARTIFACTS.publishBytes("ocirepository/" + s.namespace + "/podinfo/two.tgz",
                "6.0.0@sha256:" + "2".repeat(64), Tarball.of(HelmScenario.configMapChart("podinfo", "6.0.0"))));
        HelmRelease upgraded = s.awaitReady("app", "UpgradeSucceeded");
        assertThat(upgraded.getStatus().getLastAttemptedRevision()).isEqualTo("6.0.0+222222222222");
        assertThat(s.helmList(false).getFirst().getChart()).isEqualTo("podinfo-6.0.0+222222222222");
    }

    @Test
    void anOCIRepositoryTagThatIsNotTheChartVersionFailsWithChartMutateError() {
        var s = new HelmScenario("hr-oci-mismatch");
        new TestSources(s.client).ociRepository(s.namespace, "podinfo", HelmScenario.ARTIFACTS.publishBytes(
                "ocirepository/" + s.namespace + "/podinfo/chart.tgz", "7.0.0@sha256:" + "c".repeat(64),
                Tarball.of(HelmScenario.configMapChart("podinfo", "6.0.0"))));
        s.apply(HelmScenario.bare("app", """
                chartRef:
                  kind: OCIRepository
                  name: podinfo
                """));
        HelmRelease failed = s.awaitCondition("app", "Ready", "False", "ChartMutateError");
        assertThat(HelmScenario.message(failed, "Ready")).isEqualTo("artifact revision 7.0.0 does not match chart version 6.0.0");
        assertThat(s.helmList(true)).isEmpty();
    }

    @Test
    void aChartTemplateWithAPathInAGitRepositoryInstallsTheChartNamedInItsChartYaml() {
        var s = new HelmScenario("hr-gitpath");
        s.apply(HelmScenario.bare("app", """
                chart:
                  spec:
                    chart: ./charts/demo
                    sourceRef:
                      kind: GitRepository
                      name: fleet
                """));
        // source-controller reports the name from Chart.yaml ("demo"), not the path of spec.chart
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "0.1.0"));
        HelmRelease installed = s.awaitReady("app", "InstallSucceeded");
        assertThat(installed.getStatus().getLastAttemptedRevision()).isEqualTo("0.1.0");
        assertThat(s.helmList(false).getFirst().getChart()).isEqualTo("demo-0.1.0");
    }

    @Test
    void aMissingSourceIsArtifactFailed() {
        var s = new HelmScenario("hr-nosource");
        s.apply(HelmScenario.bare("app", """
                chartRef:
                  kind: HelmChart
                  name: absent
                """));
        HelmRelease failed = s.awaitCondition("app", "Ready", "False", "ArtifactFailed");
        assertThat(HelmScenario.message(failed, "Ready")).isEqualTo("HelmChart '" + s.namespace + "/absent' not found");
    }

    @Test
    void aCorruptArtifactKeepsTheReleasedVersion() {
        var s = new HelmScenario("hr-digest");
        s.apply(HelmScenario.helmRelease("app", "demo", ""));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");

        PublishedArtifact next = HelmScenario.ARTIFACTS.publishBytes("helmchart/" + s.namespace + "/bad/demo-2.0.0.tgz", "2.0.0",
                Tarball.of(HelmScenario.configMapChart("demo", "2.0.0")));
        s.setArtifact(s.namespace + "-app", "demo", next.withDigest("sha256:" + "0".repeat(64)));
        HelmRelease failed = s.awaitCondition("app", "Ready", "False", "ArtifactFailed");
        assertThat(HelmScenario.message(failed, "Ready")).contains("computed digest doesn't match");
        assertThat(s.helmHistory("app")).hasSize(1);
        assertThat(s.configMap("app-config").getData()).containsEntry("chartVersion", "1.0.0");
        assertThat(failed.getStatus().getHistory().getFirst().getStatus()).isEqualTo("deployed");
    }
}
