package io.currents.kustomization;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** dependsOn: a Kustomization waits, with DependencyNotReady, until its dependency is Ready at the same revision; cycles are reported. */
@QuarkusTest
class KustomizationDependsOnTest {

    @Test
    void dependsOnOrdersTwoKustomizations() {
        var s = new KustomizationScenario("ks-deps");
        String revision = s.commit("repo", Map.of(
                "base/cm.yaml", KustomizationScenario.configMap("base", s.namespace, Map.of("a", "1")),
                "app/cm.yaml", KustomizationScenario.configMap("app", s.namespace, Map.of("b", "2"))));
        // The dependency starts suspended, so the dependent must wait.
        s.apply(KustomizationScenario.kustomization("base", "repo", "base", "suspend: true"));
        s.apply(KustomizationScenario.kustomization("app", "repo", "app", "dependsOn:\n  - name: base"));

        var waiting = s.awaitNotReady("app", "DependencyNotReady");
        assertThat(KustomizationScenario.condition(waiting, "Ready").orElseThrow().getMessage())
                .isEqualTo("dependency '" + s.namespace + "/base' is not ready");
        assertThat(s.object("v1", "ConfigMap", "app")).isNull();

        s.client.resources(io.currents.api.kustomize.v1.Kustomization.class).inNamespace(s.namespace).withName("base")
                .edit(k -> {
                    k.getSpec().setSuspend(false);
                    return k;
                });
        s.awaitApplied("base", revision);
        s.awaitApplied("app", revision);
        assertThat(s.object("v1", "ConfigMap", "app")).isNotNull();
    }

    @Test
    void aDependencyCycleIsReportedNotLoopedOn() {
        var s = new KustomizationScenario("ks-cycle");
        s.commit("repo", Map.of("a/cm.yaml", KustomizationScenario.configMap("a", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("a", "repo", "a", "dependsOn:\n  - name: b"));
        s.apply(KustomizationScenario.kustomization("b", "repo", "a", "dependsOn:\n  - name: a"));

        var a = s.await("a", k -> KustomizationScenario.condition(k, "Stalled").map(c -> "True".equals(c.getStatus())).orElse(false));
        assertThat(KustomizationScenario.condition(a, "Ready").orElseThrow().getMessage())
                .contains("circular dependency detected: " + s.namespace + "/a -> " + s.namespace + "/b -> " + s.namespace + "/a");
    }
}
