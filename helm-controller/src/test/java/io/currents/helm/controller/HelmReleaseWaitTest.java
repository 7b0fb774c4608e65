package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flux's default {@code poller} wait: the release is Ready only when its objects are, judged by kstatus or by the
 * {@code healthCheckExprs} CEL expressions; Jobs count unless {@code disableWaitForJobs}; {@code legacy} is Helm's wait.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseWaitTest {

    @Test
    void healthCheckExprsDecideWhenACustomResourceIsReady() {
        var s = new HelmScenario("hr-cel");
        String group = s.namespace + ".currents.test";
        s.apply(HelmScenario.helmRelease("app", "gadgets", exprs(group)));
        s.publishForRelease("app", gadgetChart(group));

        HelmRelease waiting = s.await("app", hr -> HelmScenario.message(hr, "Reconciling").startsWith("Running 'install' action"));
        assertThat(HelmScenario.status(waiting, "Ready")).isNotEqualTo("True");
        setPhase(s, group, "app-gadget", "Ready");
        HelmRelease ready = s.awaitReady("app", "InstallSucceeded");
        assertThat(ready.getStatus().getHistory().getFirst().getStatus()).isEqualTo("deployed");
    }

    @Test
    void aFailedExpressionFailsTheInstallAndHelmRecordsItFailed() {
        var s = new HelmScenario("hr-cel-failed");
        String group = s.namespace + ".currents.test";
        s.apply(HelmScenario.helmRelease("app", "gadgets", exprs(group)));
        s.publishForRelease("app", gadgetChart(group));
        s.await("app", hr -> HelmScenario.message(hr, "Reconciling").startsWith("Running 'install' action"));
        setPhase(s, group, "app-gadget", "Broken");

        HelmRelease failed = s.awaitCondition("app", "Ready", "False", "InstallFailed");
        assertThat(HelmScenario.message(failed, "Ready")).contains("failed early due to stalled resources")
                .contains("Gadget/" + s.namespace + "/app-gadget status: 'Failed'");
        assertThat(s.releaseSecret("app", 1).getMetadata().getLabels()).containsEntry("status", "failed");
    }

    @Test
    void jobsAreWaitedForUnlessDisableWaitForJobsAndLegacyIsHelmsWait() {
        var s = new HelmScenario("hr-jobs");
        var chart = HelmScenario.withTemplate(HelmScenario.configMapChart("demo", "1.0.0"), "job.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: {{ .Release.Name }}-migrate
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: migrate, image: busybox}]
                """);
        s.apply(HelmScenario.helmRelease("waits", "demo", "install:\n  timeout: 3s\n"));
        s.apply(HelmScenario.helmRelease("nojobs", "demo", "install:\n  disableWaitForJobs: true\n"));
        s.apply(HelmScenario.helmRelease("legacy", "demo", "waitStrategy:\n  name: legacy\n"));
        s.publishForRelease("waits", chart);
        s.publishForRelease("nojobs", chart);
        s.publishForRelease("legacy", chart);

        s.awaitReady("nojobs", "InstallSucceeded");
        s.awaitReady("legacy", "InstallSucceeded");
        HelmRelease timedOut = s.awaitCondition("waits", "Ready", "False", "InstallFailed");
        assertThat(HelmScenario.message(timedOut, "Ready")).contains("timeout waiting for: [Job/" + s.namespace + "/waits-migrate status:");
    }

    private static String exprs(String group) {
        return """
                healthCheckExprs:
                  - apiVersion: %s/v1
                    kind: Gadget
                    failed: status.phase == 'Broken'
                    current: status.phase == 'Ready'
                """.formatted(group);
    }

    private static void setPhase(HelmScenario s, String group, String name, String phase) {
        var context = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion("v1").withKind("Gadget").withPlural("gadgets").withNamespaced(true).build();
        var gadgets = s.client.genericKubernetesResources(context).inNamespace(s.namespace);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (gadgets.withName(name).get() != null) {
                    break;
                }
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // the chart's CRD is not served yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gadget " + name + " was not created by the release");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        gadgets.withName(name).edit(g -> {
            g.setAdditionalProperty("status", Map.of("phase", phase));
            return g;
        });
    }

    /** A chart with the Gadget CRD (a free-form status, no status subresource) and one Gadget. */
    private static Map<String, String> gadgetChart(String group) {
        Map<String, String> chart = HelmScenario.chartFiles("gadgets", "1.0.0", "{}\n");
        chart.put("gadgets/crds/gadgets.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: gadgets.%1$s
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                            status: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """.formatted(group));
        chart.put("gadgets/templates/gadget.yaml", """
                apiVersion: %s/v1
                kind: Gadget
                metadata:
                  name: {{ .Release.Name }}-gadget
                spec:
                  size: 1
                """.formatted(group));
        return chart;
    }

}
