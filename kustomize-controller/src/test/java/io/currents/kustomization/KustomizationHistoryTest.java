package io.currents.kustomization;

import io.currents.api.meta.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** status.history: one snapshot per built set of objects and outcome, the latest first, as Flux records it. */
@QuarkusTest
class KustomizationHistoryTest {

    @Test
    void eachNewBuildAddsASnapshotAndARepeatCountsOnTheSameOne() {
        var s = new KustomizationScenario("ks-history");
        String first = s.commit("repo", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello")));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", null));
        var k = s.awaitApplied("app", first);
        assertThat(k.getStatus().getHistory()).hasSize(1);
        Snapshot snapshot = k.getStatus().getHistory().getFirst();
        assertThat(snapshot.getDigest()).startsWith("sha256:");
        assertThat(snapshot.getLastReconciledStatus()).isEqualTo("ReconciliationSucceeded");
        assertThat(snapshot.getMetadata()).isEqualTo(Map.of("revision", first));
        assertThat(snapshot.getTotalReconciliations()).isEqualTo(1L);

        k = s.reconcileNow("app");
        assertThat(k.getStatus().getHistory()).hasSize(1);
        assertThat(k.getStatus().getHistory().getFirst().getTotalReconciliations()).isEqualTo(2L);
        assertThat(k.getStatus().getHistory().getFirst().getFirstReconciled()).isEqualTo(snapshot.getFirstReconciled());

        String second = s.commit("repo", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "bonjour")));
        k = s.awaitApplied("app", second);
        assertThat(k.getStatus().getHistory()).extracting(h -> h.getMetadata().get("revision")).containsExactly(second, first);
        assertThat(k.getStatus().getHistory().get(0).getDigest()).isNotEqualTo(snapshot.getDigest());
        assertThat(k.getStatus().getLastAppliedOriginRevision()).isNull();
    }
}
