package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.kustomize.v1.KustomizationStatus;
import io.currents.api.source.v1.HelmChart;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dependsOn across kinds: a HelmRelease waits on a Kustomization named with {@code kind: Kustomization}, says so in its
 * Ready message, and installs within seconds of the Kustomization becoming Ready, although requeue-dependency is 10m.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
@TestProfile(SlowDependencyRequeueProfile.class)
class HelmReleaseCrossKindDependsOnTest {

    @Test
    void aReleaseWaitsForAKustomizationAndInstallsAsSoonAsItIsReady() {
        var s = new HelmScenario("hr-xkind");
        s.client.resource(kustomization(s, "infra")).create();
        s.apply(HelmScenario.helmRelease("app", "demo", """
                dependsOn:
                  - kind: Kustomization
                    name: infra
                """));
        HelmRelease waiting = s.awaitCondition("app", "Ready", "False", "DependencyNotReady");
        assertThat(HelmScenario.message(waiting, "Ready")).isEqualTo("dependency '" + s.namespace + "/infra' (Kustomization) is not ready");
        assertThat(s.configMap("app-config")).isNull();
        assertThat(s.client.resources(HelmChart.class).inNamespace(s.namespace).withName(s.namespace + "-app").get()).isNull();

        // Past its dependencies, the release asks for its chart: the HelmChart it creates shows that it was woken.
        Instant readyAt = markReady(s, "infra");
        s.client.resources(HelmChart.class).inNamespace(s.namespace).withName(s.namespace + "-app")
                .waitUntilCondition(java.util.Objects::nonNull, 20, TimeUnit.SECONDS);
        Duration woken = Duration.between(readyAt, Instant.now());
        System.out.println("dependent HelmRelease went past its dependencies " + woken.toMillis()
                + " ms after its Kustomization became Ready (requeue-dependency=10m)");
        assertThat(woken).isLessThan(Duration.ofSeconds(20));

        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");
        assertThat(s.configMap("app-config")).isNotNull();
    }

    private static Kustomization kustomization(HelmScenario s, String name) {
        return s.client.getKubernetesSerialization().unmarshal("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  interval: 1h
                  path: ./infra
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: fleet
                """.formatted(name, s.namespace), Kustomization.class);
    }

    /** Writes Ready=True as kustomize-controller would after an apply; returns when it was written. */
    private static Instant markReady(HelmScenario s, String name) {
        Kustomization k = s.client.resources(Kustomization.class).inNamespace(s.namespace).withName(name).get();
        KustomizationStatus status = new KustomizationStatus();
        status.setObservedGeneration(k.getMetadata().getGeneration());
        status.setLastAppliedRevision("main@sha1:0123456789abcdef0123456789abcdef01234567");
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("ReconciliationSucceeded")
                .withMessage("Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567")
                .withLastTransitionTime(Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"))
                .withObservedGeneration(k.getMetadata().getGeneration()).build()));
        k.setStatus(status);
        Instant at = Instant.now();
        s.client.resource(k).updateStatus();
        return at;
    }
}
