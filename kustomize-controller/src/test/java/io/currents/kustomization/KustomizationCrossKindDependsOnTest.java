package io.currents.kustomization;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.kustomize.v1.Kustomization;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dependsOn across kinds: a Kustomization waits on a HelmRelease named with {@code kind: HelmRelease}, says so in its
 * Ready message, and is woken within seconds when the dependency becomes Ready, although requeue-dependency is 10m.
 */
@QuarkusTest
@TestProfile(SlowDependencyRequeueProfile.class)
class KustomizationCrossKindDependsOnTest {

    @Test
    void aKustomizationWaitsForAHelmReleaseAndStartsAsSoonAsItIsReady() {
        var s = new KustomizationScenario("ks-xkind");
        String revision = s.commit("repo", Map.of("app/cm.yaml", KustomizationScenario.configMap("app", s.namespace, Map.of("a", "1"))));
        s.client.resource(helmRelease(s, "db")).create();
        s.apply(KustomizationScenario.kustomization("app", "repo", "app", """
                dependsOn:
                  - kind: HelmRelease
                    apiVersion: helm.toolkit.fluxcd.io/v2
                    name: db"""));

        Kustomization waiting = s.awaitNotReady("app", "DependencyNotReady");
        assertThat(KustomizationScenario.condition(waiting, "Ready").orElseThrow().getMessage())
                .isEqualTo("dependency '" + s.namespace + "/db' (HelmRelease) is not ready");
        assertThat(s.object("v1", "ConfigMap", "app")).isNull();

        Instant readyAt = markReady(s, "db");
        s.await("app", k -> "True".equals(KustomizationScenario.readyStatus(k)), 15);
        Duration woken = Duration.between(readyAt, Instant.now());
        System.out.println("dependent Kustomization applied " + woken.toMillis() + " ms after its HelmRelease became Ready"
                + " (requeue-dependency=10m)");
        assertThat(woken).isLessThan(Duration.ofSeconds(15));
        assertThat(s.get("app").getStatus().getLastAppliedRevision()).isEqualTo(revision);
        assertThat(s.object("v1", "ConfigMap", "app")).isNotNull();
    }

    @Test
    void aKustomizationDependencyBecomingReadyWakesItsDependentAtOnce() {
        var s = new KustomizationScenario("ks-xkind-same");
        String revision = s.commit("repo", Map.of(
                "base/cm.yaml", KustomizationScenario.configMap("base", s.namespace, Map.of("a", "1")),
                "app/cm.yaml", KustomizationScenario.configMap("app", s.namespace, Map.of("b", "2"))));
        s.apply(KustomizationScenario.kustomization("base", "repo", "base", "suspend: true"));
        s.apply(KustomizationScenario.kustomization("app", "repo", "app", "dependsOn:\n  - name: base"));
        s.awaitNotReady("app", "DependencyNotReady");

        Instant resumed = Instant.now();
        s.client.resources(Kustomization.class).inNamespace(s.namespace).withName("base").edit(k -> {
            k.getSpec().setSuspend(false);
            return k;
        });
        s.await("app", k -> revision.equals(k.getStatus() == null ? null : k.getStatus().getLastAppliedRevision()), 20);
        assertThat(Duration.between(resumed, Instant.now())).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aDependencyOfAnotherKindIsASpecError() {
        var s = new KustomizationScenario("ks-xkind-bad");
        s.commit("repo", Map.of("app/cm.yaml", KustomizationScenario.configMap("app", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "app", """
                dependsOn:
                  - kind: GitRepository
                    name: repo"""));
        Kustomization stalled = s.await("app", k -> KustomizationScenario.condition(k, "Stalled")
                .map(c -> "True".equals(c.getStatus())).orElse(false));
        assertThat(KustomizationScenario.condition(stalled, "Ready").orElseThrow().getMessage())
                .isEqualTo("dependsOn 'repo': kind 'GitRepository' is not supported; use Kustomization or HelmRelease");
    }

    private static HelmRelease helmRelease(KustomizationScenario s, String name) {
        return s.client.getKubernetesSerialization().unmarshal("""
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  interval: 1h
                  chart:
                    spec:
                      chart: db
                      sourceRef:
                        kind: HelmRepository
                        name: charts
                """.formatted(name, s.namespace), HelmRelease.class);
    }

    /** Writes Ready=True as helm-controller would after a successful install; returns when it was written. */
    private static Instant markReady(KustomizationScenario s, String name) {
        HelmRelease hr = s.client.resources(HelmRelease.class).inNamespace(s.namespace).withName(name).get();
        var status = new io.currents.api.helm.v2.HelmReleaseStatus();
        status.setObservedGeneration(hr.getMetadata().getGeneration());
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("InstallSucceeded")
                .withMessage("Helm install succeeded for release db").withLastTransitionTime(Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"))
                .withObservedGeneration(hr.getMetadata().getGeneration()).build()));
        hr.setStatus(status);
        Instant at = Instant.now();
        s.client.resource(hr).updateStatus();
        return at;
    }
}
