package io.currents.runtime.reconcile;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcileMetricsTest {

    @Test
    void durationBucketsAreFluxsTenFrom10msTo30Minutes() {
        Duration[] buckets = ReconcileMetrics.DURATION_BUCKETS;
        assertThat(buckets).hasSize(10);
        assertThat(buckets[0]).isEqualTo(Duration.ofMillis(10));
        assertThat(buckets[9]).isEqualTo(Duration.ofMinutes(30));
        // Prometheus' ExponentialBucketsRange(0.01, 1800, 10): each bucket ~3.836 times the one before.
        assertThat(buckets[1].toNanos() / 1e9).isCloseTo(0.03836, org.assertj.core.data.Offset.offset(0.0001));
        for (int i = 1; i < buckets.length; i++) {
            assertThat(buckets[i]).isGreaterThan(buckets[i - 1]);
        }
    }
}
