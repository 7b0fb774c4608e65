package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A long step is reported while it runs, as Flux patches "Reconciling" mid-run: a person sees what the controller waits for. */
@QuarkusTest
class KustomizationProgressTest {

    @Test
    void aHealthCheckThatTakesTimeIsReportedAsReconcilingWhileItRuns() {
        var s = new KustomizationScenario("ks-progress");
        String revision = s.commit("repo", Map.of("deploy.yaml", KustomizationHealthCheckTest.deployment("busy", s.namespace, 1)));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", "wait: true").replace("timeout: 30s", "timeout: 20s"));

        // While the controller waits for the Deployment (it never becomes ready here), the status says so.
        Kustomization waiting = s.await("app", k -> KustomizationScenario.condition(k, "Reconciling")
                .filter(c -> "True".equals(c.getStatus()) && "Progressing".equals(c.getReason())
                        && c.getMessage().startsWith("Running health checks for revision " + revision))
                .isPresent(), 20);
        assertThat(KustomizationScenario.condition(waiting, "Reconciling").orElseThrow().getMessage())
                .isEqualTo("Running health checks for revision " + revision + " with a timeout of 20s");
        assertThat(KustomizationScenario.condition(waiting, "Healthy").orElseThrow().getStatus()).isEqualTo("Unknown");
        assertThat(waiting.getStatus().getLastAttemptedRevision()).isEqualTo(revision);

        // When the wait ends, the outcome replaces the progress report.
        Kustomization failed = s.awaitNotReady("app", "HealthCheckFailed");
        assertThat(KustomizationScenario.condition(failed, "Reconciling").orElseThrow().getReason()).isEqualTo("ProgressingWithRetry");
    }
}
