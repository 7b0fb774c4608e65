package io.currents.helm.controller;

import com.marcnuri.helm.Release;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.source.v1.HelmChart;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A HelmRelease with a chart template: the controller creates the HelmChart, installs the chart once the
 * HelmChart has an artifact, records the release where {@code helm} sees it, and upgrades on a new chart version.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseInstallTest {

    @Test
    void aChartTemplateCreatesTheHelmChartAndTheReleaseIsInstalledWhereHelmSeesIt() {
        var s = new HelmScenario("hr-install");
        s.apply(HelmScenario.bare("web", """
                chart:
                  spec:
                    chart: demo
                    version: "1.x"
                    sourceRef:
                      kind: HelmRepository
                      name: charts
                    valuesFiles: [values-prod.yaml]
                """));

        // Before the chart has an artifact: ArtifactFailed, and the HelmChart exists as Flux would create it.
        HelmRelease waiting = s.awaitCondition("web", "Ready", "False", "ArtifactFailed");
        assertThat(HelmScenario.message(waiting, "Ready")).contains("HelmChart '" + s.namespace + "/" + s.namespace + "-web' is not ready");
        assertThat(waiting.getStatus().getHelmChart()).isEqualTo(s.namespace + "/" + s.namespace + "-web");
        HelmChart chart = s.client.resources(HelmChart.class).inNamespace(s.namespace).withName(s.namespace + "-web").get();
        assertThat(chart.getSpec().getChart()).isEqualTo("demo");
        assertThat(chart.getSpec().getVersion()).isEqualTo("1.x");
        assertThat(chart.getSpec().getSourceRef().getKind()).isEqualTo("HelmRepository");
        assertThat(chart.getSpec().getSourceRef().getName()).isEqualTo("charts");
        assertThat(chart.getSpec().getInterval()).isEqualTo("1h");
        assertThat(chart.getSpec().getReconcileStrategy()).isEqualTo("ChartVersion");
        assertThat(chart.getSpec().getValuesFiles()).containsExactly("values-prod.yaml");

        s.publishForRelease("web", HelmScenario.configMapChart("demo", "1.0.0"));
        HelmRelease installed = s.awaitReady("web", "InstallSucceeded");

        assertThat(HelmScenario.message(installed, "Ready"))
                .isEqualTo("Helm install succeeded for release " + s.namespace + "/web.v1 with chart demo@1.0.0");
        assertThat(HelmScenario.status(installed, "Released")).isEqualTo("True");
        assertThat(s.releaseSecret("web", 1)).isNotNull();
        assertThat(s.releaseSecret("web", 1).getType()).isEqualTo("helm.sh/release.v1");
        List<Release> releases = s.helmList(false);
        assertThat(releases).extracting(Release::getName).containsExactly("web");
        assertThat(releases.getFirst().getChart()).isEqualTo("demo-1.0.0");
        assertThat(releases.getFirst().getStatus()).isEqualTo("deployed");
        assertThat(s.configMap("web-config").getData()).containsEntry("greeting", "hello").containsEntry("chartVersion", "1.0.0");

        var status = installed.getStatus();
        assertThat(status.getLastAttemptedRevision()).isEqualTo("1.0.0");
        assertThat(status.getLastAttemptedReleaseAction()).isEqualTo("install");
        assertThat(status.getLastAttemptedGeneration()).isEqualTo(installed.getMetadata().getGeneration());
        assertThat(status.getLastAttemptedConfigDigest()).startsWith("sha256:");
        assertThat(status.getStorageNamespace()).isEqualTo(s.namespace);
        assertThat(status.getHistory()).hasSize(1);
        var snapshot = status.getHistory().getFirst();
        assertThat(snapshot.getName()).isEqualTo("web");
        assertThat(snapshot.getVersion()).isEqualTo(1);
        assertThat(snapshot.getStatus()).isEqualTo("deployed");
        assertThat(snapshot.getChartName()).isEqualTo("demo");
        assertThat(snapshot.getChartVersion()).isEqualTo("1.0.0");
        assertThat(snapshot.getConfigDigest()).isEqualTo(status.getLastAttemptedConfigDigest());
        assertThat(snapshot.getDigest()).startsWith("sha256:");
        assertThat(snapshot.getFirstDeployed()).isNotNull();
        assertThat(s.events("web")).anyMatch(e -> "InstallSucceeded".equals(e.getReason()) && "Normal".equals(e.getType()));

        // A new chart version: upgrade to revision 2.
        s.publishForRelease("web", HelmScenario.configMapChart("demo", "1.1.0"));
        HelmRelease upgraded = s.await("web", hr -> "UpgradeSucceeded".equals(HelmScenario.reason(hr, "Ready")));
        assertThat(HelmScenario.message(upgraded, "Ready"))
                .isEqualTo("Helm upgrade succeeded for release " + s.namespace + "/web.v2 with chart demo@1.1.0");
        assertThat(upgraded.getStatus().getHistory()).extracting(h -> h.getVersion() + ":" + h.getStatus() + ":" + h.getChartVersion())
                .containsExactly("2:deployed:1.1.0", "1:superseded:1.0.0");
        assertThat(s.configMap("web-config").getData()).containsEntry("chartVersion", "1.1.0");
        assertThat(s.helmList(false).getFirst().getChart()).isEqualTo("demo-1.1.0");

        // Nothing changed: a reconcile makes no new release.
        s.reconcileNow("web");
        s.reconcileNow("web");
        assertThat(s.releaseSecret("web", 3)).isNull();
        assertThat(s.helmHistory("web")).hasSize(2);
    }
}
