package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.testkit.artifact.PublishedArtifact;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.artifact.TestSources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the {@code ExternalArtifact} feature gate on (as the install sets it beside source-watcher; the test profile
 * does too), spec.chartRef may name an ExternalArtifact whose artifact is a chart directory, e.g. one an
 * ArtifactGenerator composed from a HelmChart and values from Git.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseExternalArtifactTest {

    @Test
    void chartRefToAnExternalArtifactInstallsTheChartItCarries() {
        var s = new HelmScenario("hr-external");
        PublishedArtifact artifact = HelmScenario.ARTIFACTS.publishBytes("externalartifact/" + s.namespace + "/composed/chart.tar.gz",
                "latest@sha256:" + "b".repeat(64), Tarball.of(HelmScenario.configMapChart("composed", "2.0.0")));
        new TestSources(s.client).publish("ExternalArtifact", s.namespace, "composed", artifact);
        s.apply(HelmScenario.bare("app", """
                chartRef:
                  kind: ExternalArtifact
                  name: composed
                """));
        HelmRelease installed = s.awaitReady("app", "InstallSucceeded");
        assertThat(installed.getStatus().getLastAttemptedRevision()).isEqualTo("2.0.0");
        assertThat(s.helmList(false).getFirst().getChart()).isEqualTo("composed-2.0.0");
    }
}
