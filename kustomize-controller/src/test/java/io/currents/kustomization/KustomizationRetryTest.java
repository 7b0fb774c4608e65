package io.currents.kustomization;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every failed reconcile is retried the same way, with backoff capped at {@code spec.retryInterval} (the interval when
 * unset): a missing source is no exception that waits out the whole retry interval.
 */
@QuarkusTest
class KustomizationRetryTest {

    @Inject
    MeterRegistry registry;

    @Test
    void aMissingSourceIsRetriedWithBackoffLikeAnyOtherFailure() throws InterruptedException {
        var s = new KustomizationScenario("ks-retry");
        s.apply("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: app
                spec:
                  interval: 1h
                  path: ./
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: not-there-yet
                """);
        s.awaitNotReady("app", "ArtifactFailed");

        // Backoff from one second: the second, third and fourth attempts come within about eight seconds, not after an hour.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (reconciles(s.namespace) < 4 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(reconciles(s.namespace)).as("reconciles of a Kustomization whose source is missing").isGreaterThanOrEqualTo(4);
        assertThat(KustomizationScenario.condition(s.get("app"), "Ready").orElseThrow().getMessage())
                .isEqualTo("Source 'GitRepository/" + s.namespace + "/not-there-yet' not found");
    }

    private long reconciles(String namespace) {
        Timer timer = registry.find("gotk_reconcile_duration_seconds")
                .tags("kind", "Kustomization", "name", "app", "namespace", namespace).timer();
        return timer == null ? 0 : timer.count();
    }
}
