package io.currents.helm.controller;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** spec.driftDetection: objects changed or deleted behind Helm's back are restored (enabled) or reported (warn). */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseDriftTest {

    @Test
    void driftIsCorrectedWhenEnabled() {
        var s = new HelmScenario("hr-drift");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                driftDetection:
                  mode: enabled
                """));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");

        s.client.configMaps().inNamespace(s.namespace).withName("app-config")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("greeting", "tampered").build());
        s.reconcileNow("app");
        assertThat(s.configMap("app-config").getData()).containsEntry("greeting", "hello");
        assertThat(s.events("app")).anyMatch(e -> "DriftDetected".equals(e.getReason()) && e.getMessage().contains("corrected")
                && e.getMessage().contains("ConfigMap/" + s.namespace + "/app-config"));

        s.client.configMaps().inNamespace(s.namespace).withName("app-config").delete();
        s.client.configMaps().inNamespace(s.namespace).withName("app-config").waitUntilCondition(java.util.Objects::isNull, 30, java.util.concurrent.TimeUnit.SECONDS);
        s.reconcileNow("app");
        assertThat(s.configMap("app-config").getData()).containsEntry("greeting", "hello");
        // Correction is not a new Helm release.
        assertThat(s.helmHistory("app")).hasSize(1);
    }

    @Test
    void driftIsOnlyReportedInWarnMode() {
        var s = new HelmScenario("hr-drift-warn");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                driftDetection:
                  mode: warn
                """));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");

        s.client.configMaps().inNamespace(s.namespace).withName("app-config")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("greeting", "tampered").build());
        s.reconcileNow("app");
        assertThat(s.configMap("app-config").getData()).containsEntry("greeting", "tampered");
        assertThat(s.events("app")).anyMatch(e -> "DriftDetected".equals(e.getReason()) && "Warning".equals(e.getType())
                && e.getMessage().contains("ConfigMap/" + s.namespace + "/app-config has changed"));
    }

    @Test
    void ignoredPathsAreNeitherReportedNorCorrected() {
        var s = new HelmScenario("hr-drift-ignore");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                driftDetection:
                  mode: enabled
                  ignore:
                    - paths: ["/data/greeting"]
                      target:
                        kind: ConfigMap
                        name: app-.*
                """));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");

        s.client.configMaps().inNamespace(s.namespace).withName("app-config")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("greeting", "tuned-by-hand").build());
        s.reconcileNow("app");
        assertThat(s.configMap("app-config").getData()).containsEntry("greeting", "tuned-by-hand");
        assertThat(s.events("app")).noneMatch(e -> "DriftDetected".equals(e.getReason()));

        s.client.configMaps().inNamespace(s.namespace).withName("app-config")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("chartVersion", "tampered").build());
        s.reconcileNow("app");
        assertThat(s.configMap("app-config").getData()).containsEntry("chartVersion", "1.0.0").containsEntry("greeting", "tuned-by-hand");
    }
}
