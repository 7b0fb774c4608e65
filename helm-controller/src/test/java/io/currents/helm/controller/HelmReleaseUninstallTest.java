package io.currents.helm.controller;

import io.currents.api.source.v1.HelmChart;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Deleting a HelmRelease uninstalls its release (keeping Helm's history when asked) and deletes the HelmChart made for it. */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseUninstallTest {

    @Test
    void deletingTheHelmReleaseUninstallsTheRelease() {
        var s = new HelmScenario("hr-delete");
        s.apply(HelmScenario.helmRelease("app", "demo", ""));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");
        assertThat(s.configMap("app-config")).isNotNull();

        s.client.resources(io.currents.api.helm.v2.HelmRelease.class).inNamespace(s.namespace).withName("app").delete();
        s.client.resources(io.currents.api.helm.v2.HelmRelease.class).inNamespace(s.namespace).withName("app")
                .waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
        assertThat(s.configMap("app-config")).isNull();
        assertThat(s.releaseSecret("app", 1)).isNull();
        assertThat(s.helmList(true)).isEmpty();
        assertThat(s.client.resources(HelmChart.class).inNamespace(s.namespace).withName(s.namespace + "-app").get()).isNull();
    }

    @Test
    void keepHistoryLeavesTheUninstalledReleaseInHelmsStorage() {
        var s = new HelmScenario("hr-delete-keep");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                uninstall:
                  keepHistory: true
                """));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");

        s.client.resources(io.currents.api.helm.v2.HelmRelease.class).inNamespace(s.namespace).withName("app").delete();
        s.client.resources(io.currents.api.helm.v2.HelmRelease.class).inNamespace(s.namespace).withName("app")
                .waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
        assertThat(s.configMap("app-config")).isNull();
        assertThat(s.releaseSecret("app", 1)).isNotNull();
        assertThat(s.helmList(true)).singleElement().satisfies(r -> assertThat(r.getStatus()).isEqualTo("uninstalled"));
    }

    @Test
    void aSuspendedHelmReleaseIsLeftAloneAndItsReleaseKeptOnDeletion() {
        var s = new HelmScenario("hr-suspend");
        s.apply(HelmScenario.helmRelease("app", "demo", ""));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");
        s.edit("app", hr -> {
            hr.getSpec().setSuspend(true);
            return hr;
        });
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.1.0"));
        s.reconcileNow("app");
        assertThat(s.helmHistory("app")).hasSize(1);

        s.client.resources(io.currents.api.helm.v2.HelmRelease.class).inNamespace(s.namespace).withName("app").delete();
        s.client.resources(io.currents.api.helm.v2.HelmRelease.class).inNamespace(s.namespace).withName("app")
                .waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
        assertThat(s.configMap("app-config")).isNotNull();
        assertThat(s.helmList(false)).hasSize(1);
    }
}
