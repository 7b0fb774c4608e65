package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The options of Helm's actions that helm-java has no switch for, applied by the controller: the RetryOnFailure
 * strategy, {@code disableSchemaValidation}, and the uninstall's wait for deletion ({@code uninstall.timeout},
 * {@code uninstall.disableWait}).
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseActionOptionsTest {

    @Test
    void retryOnFailureRetriesAFailedInstallWithUpgradesAndNeverRemediates() {
        var s = new HelmScenario("hr-retry");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                install:
                  strategy:
                    name: RetryOnFailure
                    retryInterval: 1s
                upgrade:
                  strategy:
                    name: RetryOnFailure
                    retryInterval: 1s
                """));
        s.publishForRelease("app", HelmReleaseRemediationTest.rejectedChart("1.0.0"));
        HelmRelease retried = s.await("app", hr -> hr.getStatus() != null && hr.getStatus().getUpgradeFailures() != null
                && hr.getStatus().getUpgradeFailures() >= 2);

        assertThat(HelmScenario.status(retried, "Stalled")).isEmpty();
        assertThat(HelmScenario.condition(retried, "Remediated")).as("nothing is remediated").isEmpty();
        assertThat(retried.getStatus().getInstallFailures()).isEqualTo(1L);
        assertThat(s.helmHistory("app")).extracting(h -> h.getStatus()).doesNotContain("uninstalled").contains("failed");

        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.1"));
        HelmRelease fixed = s.awaitReady("app", "UpgradeSucceeded");
        assertThat(fixed.getStatus().getHistory().getFirst().getStatus()).isEqualTo("deployed");
    }

    @Test
    void disableSchemaValidationInstallsValuesTheChartsSchemaRefuses() {
        var s = new HelmScenario("hr-schema");
        var chart = HelmScenario.configMapChart("demo", "1.0.0");
        chart.put("demo/values.schema.json", """
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                 "properties": {"greeting": {"type": "integer"}}}
                """);
        s.apply(HelmScenario.helmRelease("strict", "demo", null));
        s.apply(HelmScenario.helmRelease("lenient", "demo", """
                install:
                  disableSchemaValidation: true
                """));
        s.publishForRelease("strict", chart);
        s.publishForRelease("lenient", chart);

        s.awaitReady("lenient", "InstallSucceeded");
        assertThat(s.configMap("lenient-config").getData()).containsEntry("greeting", "hello");
        HelmRelease strict = s.awaitCondition("strict", "Ready", "False", "InstallFailed");
        assertThat(HelmScenario.message(strict, "Ready")).contains("greeting");
    }

    @Test
    void uninstallWaitsForTheObjectsToGoUnlessDisableWait() {
        var s = new HelmScenario("hr-uninstall-wait");
        var chart = HelmScenario.withTemplate(HelmScenario.configMapChart("demo", "1.0.0"), "held.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-held
                  finalizers: [currents.test/hold]
                """);
        s.apply(HelmScenario.helmRelease("waits", "demo", """
                uninstall:
                  timeout: 2s
                """));
        s.apply(HelmScenario.helmRelease("nowait", "demo", """
                uninstall:
                  disableWait: true
                """));
        s.publishForRelease("waits", chart);
        s.publishForRelease("nowait", chart);
        s.awaitReady("waits", "InstallSucceeded");
        s.awaitReady("nowait", "InstallSucceeded");

        delete(s, "nowait");
        awaitGone(s, "nowait", 30);
        assertThat(s.configMap("nowait-held").getMetadata().getDeletionTimestamp()).as("still held by its finalizer").isNotNull();

        delete(s, "waits");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.events("waits").stream().noneMatch(e -> "UninstallFailed".equals(e.getReason())) && System.nanoTime() < deadline) {
            sleep(250);
        }
        assertThat(s.events("waits")).anyMatch(e -> "UninstallFailed".equals(e.getReason())
                && e.getMessage().contains("timed out waiting for the condition") && e.getMessage().contains("ConfigMap/" + s.namespace + "/waits-held"));
        for (String name : List.of("waits-held", "nowait-held")) {
            s.client.configMaps().inNamespace(s.namespace).withName(name).edit(cm -> {
                cm.getMetadata().setFinalizers(List.of());
                return cm;
            });
        }
        awaitGone(s, "waits", 60);
        assertThat((ConfigMap) s.configMap("waits-held")).isNull();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void delete(HelmScenario s, String name) {
        s.client.resources(HelmRelease.class).inNamespace(s.namespace).withName(name).delete();
    }

    private static void awaitGone(HelmScenario s, String name, int seconds) {
        s.client.resources(HelmRelease.class).inNamespace(s.namespace).withName(name)
                .waitUntilCondition(Objects::isNull, seconds, TimeUnit.SECONDS);
    }
}
