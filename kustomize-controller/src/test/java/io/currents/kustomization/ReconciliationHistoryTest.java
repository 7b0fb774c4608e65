package io.currents.kustomization;

import io.currents.api.meta.Snapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationHistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void theSameDigestAndOutcomeUpdateTheirSnapshotAndMoveItFirst() {
        List<Snapshot> h = ReconciliationHistory.upsert(null, "sha256:a", T0, Duration.ofSeconds(2), "ReconciliationSucceeded", Map.of("revision", "r1"));
        h = ReconciliationHistory.upsert(h, "sha256:b", T0.plusSeconds(60), Duration.ofMillis(1500), "HealthCheckFailed", Map.of("revision", "r2"));
        h = ReconciliationHistory.upsert(h, "sha256:a", T0.plusSeconds(120), Duration.ofSeconds(1), "ReconciliationSucceeded", Map.of("revision", "r1"));

        assertThat(h).extracting(Snapshot::getDigest).containsExactly("sha256:a", "sha256:b");
        assertThat(h.getFirst().getTotalReconciliations()).isEqualTo(2L);
        assertThat(h.getFirst().getFirstReconciled()).isEqualTo("2026-12-04T10:00:00Z");
        assertThat(h.getFirst().getLastReconciled()).isEqualTo("2026-12-04T10:02:00Z");
        assertThat(h.getFirst().getLastReconciledDuration()).isEqualTo("1s");
        assertThat(h.get(1).getLastReconciledDuration()).isEqualTo("1.5s");
    }

    @Test
    void aDifferentOutcomeForTheSameDigestIsItsOwnSnapshot() {
        List<Snapshot> h = ReconciliationHistory.upsert(null, "sha256:a", T0, Duration.ZERO, "HealthCheckFailed", Map.of());
        h = ReconciliationHistory.upsert(h, "sha256:a", T0.plusSeconds(1), Duration.ZERO, "ReconciliationSucceeded", Map.of());
        assertThat(h).extracting(Snapshot::getLastReconciledStatus).containsExactly("ReconciliationSucceeded", "HealthCheckFailed");
    }

    @Test
    void onlyTheFiveLatestAreKept() {
        List<Snapshot> h = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            h = ReconciliationHistory.upsert(h, "sha256:" + i, T0.plusSeconds(i), Duration.ZERO, "ReconciliationSucceeded", Map.of());
        }
        assertThat(h).extracting(Snapshot::getDigest).containsExactly("sha256:6", "sha256:5", "sha256:4", "sha256:3", "sha256:2");
    }
}
