package io.currents.runtime.reconcile;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RequeuePolicyTest {

    @Test
    void successRequeuesWithinTheJitterBandAroundTheInterval() {
        RequeuePolicy policy = new RequeuePolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(5));
        for (int i = 0; i < 200; i++) {
            Duration next = policy.afterSuccess("k", Duration.ofMinutes(10));
            assertThat(next).isBetween(Duration.ofSeconds(570), Duration.ofSeconds(630));
        }
    }

    @Test
    void failuresBackOffExponentiallyUpToTheCapAndSuccessResets() {
        RequeuePolicy policy = new RequeuePolicy(0, Duration.ofSeconds(1), Duration.ofMinutes(5));
        assertThat(policy.afterFailure("k", Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.afterFailure("k", Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.afterFailure("k", Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < 10; i++) {
            policy.afterFailure("k", Duration.ofMinutes(1));
        }
        assertThat(policy.afterFailure("k", Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.failureCount("k")).isEqualTo(14);

        policy.afterSuccess("k", Duration.ofMinutes(1));
        assertThat(policy.afterFailure("k", Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(1));
    }
}
