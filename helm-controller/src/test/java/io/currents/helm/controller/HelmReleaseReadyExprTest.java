package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** dependsOn[].readyExpr: a CEL expression over self and dep replaces the built-in readiness check of a dependency. */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseReadyExprTest {

    @Test
    void aReleaseWaitsUntilItsDependencysExpressionIsTrue() {
        var s = new HelmScenario("hr-readyexpr");
        // The dependency stays suspended, so the built-in check would never pass: only the expression lets app go.
        s.apply(HelmScenario.helmRelease("db", "demo", "suspend: true\n"));
        s.apply(HelmScenario.helmRelease("app", "demo", """
                dependsOn:
                  - name: db
                    readyExpr: "dep.metadata.labels.stage == 'done' && self.metadata.name == 'app'"
                """));
        HelmRelease waiting = s.awaitCondition("app", "Ready", "False", "DependencyNotReady");
        assertThat(HelmScenario.message(waiting, "Ready")).contains(s.namespace + "/db");
        assertThat(s.configMap("app-config")).isNull();

        s.edit("db", hr -> {
            hr.getMetadata().setLabels(Map.of("stage", "done"));
            return hr;
        });
        // The chart is asked for only once the dependencies are met.
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");
        assertThat(s.configMap("app-config")).isNotNull();
    }

    @Test
    void aReadyExprThatDoesNotCompileStallsTheRelease() {
        var s = new HelmScenario("hr-readyexpr-bad");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                dependsOn:
                  - name: db
                    readyExpr: "dep.status.("
                """));
        HelmRelease stalled = s.awaitCondition("app", "Stalled", "True", "InvalidCELExpression");
        assertThat(HelmScenario.message(stalled, "Ready"))
                .startsWith("Reconciliation failed terminally due to configuration error").contains("dep.status.(");
    }
}
