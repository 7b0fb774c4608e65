package io.currents.runtime.reconcile;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FluxDurationTest {

    @Test
    void parsesTheDurationsFluxSpecsUse() {
        assertThat(FluxDuration.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(FluxDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(FluxDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(FluxDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(FluxDuration.parse("0")).isZero();
    }

    @Test
    void refusesMalformedDurations() {
        assertThatThrownBy(() -> FluxDuration.parse("10 minutes")).hasMessageContaining("10 minutes");
        assertThatThrownBy(() -> FluxDuration.parse("5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FluxDuration.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsLikeGo() {
        assertThat(FluxDuration.format(Duration.ofMinutes(60))).isEqualTo("1h0m0s");
        assertThat(FluxDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(FluxDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
    }
}
