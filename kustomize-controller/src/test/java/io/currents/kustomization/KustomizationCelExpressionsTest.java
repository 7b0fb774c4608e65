package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CEL in a Kustomization: dependsOn[].readyExpr replaces the built-in readiness check; healthCheckExprs judge a kind's health. */
@QuarkusTest
class KustomizationCelExpressionsTest {

    @Test
    void aReadyExprDecidesWhenADependencyIsReady() {
        var s = new KustomizationScenario("ks-readyexpr");
        String revision = s.commit("repo", Map.of(
                "base/cm.yaml", KustomizationScenario.configMap("base", s.namespace, Map.of("a", "1")),
                "app/cm.yaml", KustomizationScenario.configMap("app", s.namespace, Map.of("b", "2"))));
        // The dependency stays suspended, so the built-in check would never pass: only the expression lets app go.
        s.apply(KustomizationScenario.kustomization("base", "repo", "base", "suspend: true"));
        s.apply(KustomizationScenario.kustomization("app", "repo", "app", """
                dependsOn:
                  - name: base
                    readyExpr: "dep.metadata.labels.stage == 'done' && self.metadata.name == 'app'"
                """));

        var waiting = s.awaitNotReady("app", "DependencyNotReady");
        assertThat(s.object("v1", "ConfigMap", "app")).isNull();
        assertThat(KustomizationScenario.condition(waiting, "Stalled")).isEmpty();

        s.client.resources(Kustomization.class).inNamespace(s.namespace).withName("base").edit(k -> {
            k.getMetadata().setLabels(Map.of("stage", "done"));
            return k;
        });
        s.awaitApplied("app", revision);
        assertThat(s.object("v1", "ConfigMap", "app")).isNotNull();
    }

    @Test
    void aReadyExprThatDoesNotCompileStallsTheKustomization() {
        var s = new KustomizationScenario("ks-readyexpr-bad");
        s.commit("repo", Map.of("app/cm.yaml", KustomizationScenario.configMap("app", s.namespace, Map.of("b", "2"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "app", """
                dependsOn:
                  - name: base
                    readyExpr: "dep.status.("
                """));

        var k = s.awaitNotReady("app", "InvalidCELExpression");
        assertThat(KustomizationScenario.condition(k, "Stalled").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .startsWith("Reconciliation failed terminally due to configuration error").contains("dep.status.(");
    }

    @Test
    void healthCheckExprsReportAFailedObjectAndPassAHealthyOne() {
        var s = new KustomizationScenario("ks-healthexprs");
        s.commit("repo", Map.of(
                "broken/cm.yaml", KustomizationScenario.configMap("job", s.namespace, Map.of("phase", "failed")),
                "fine/cm.yaml", KustomizationScenario.configMap("job2", s.namespace, Map.of("phase", "done"))));
        String exprs = """
                wait: true
                healthCheckExprs:
                  - apiVersion: v1
                    kind: ConfigMap
                    current: "data.phase == 'done'"
                    failed: "data.phase == 'failed'"
                """;
        s.apply(KustomizationScenario.kustomization("broken", "repo", "broken", exprs));
        s.apply(KustomizationScenario.kustomization("fine", "repo", "fine", exprs));

        var broken = s.awaitNotReady("broken", "HealthCheckFailed");
        assertThat(KustomizationScenario.condition(broken, "Ready").orElseThrow().getMessage())
                .contains("ConfigMap/" + s.namespace + "/job").contains("failed expression is true");
        var fine = s.await("fine", k -> "True".equals(KustomizationScenario.readyStatus(k)));
        assertThat(KustomizationScenario.condition(fine, "Healthy").orElseThrow().getStatus()).isEqualTo("True");
    }

    @Test
    void aHealthCheckExprThatDoesNotCompileStallsBeforeAnythingIsApplied() {
        var s = new KustomizationScenario("ks-healthexprs-bad");
        s.commit("repo", Map.of("app/cm.yaml", KustomizationScenario.configMap("app", s.namespace, Map.of("b", "2"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "app", """
                healthCheckExprs:
                  - apiVersion: v1
                    kind: ConfigMap
                    current: "data.phase =="
                """));

        var k = s.awaitNotReady("app", "InvalidCELExpression");
        assertThat(KustomizationScenario.condition(k, "Stalled").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage()).contains("healthchecks[0]");
        assertThat(s.object("v1", "ConfigMap", "app")).isNull();
    }
}
