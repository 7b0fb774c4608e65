package io.currents.runtime.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionsTest {

    private final List<Condition> list = new ArrayList<>();

    @Test
    void aConditionMessageNeverCarriesTheCredentialsOfAUrl() {
        // GitRepository's Reconciling message named spec.url as written: https://<token>@host or user:password@host
        Conditions.of(list, 1L, at("2026-01-01T00:00:00Z"))
                .markReconciling("Progressing", "building artifact: fetching https://ghp_s3cr3tToken@github.com/acme/fleet.git")
                .markFalse("FetchFailed", "GitOperationFailed", "cannot reach http://deploy:hunter2@10.0.0.1/fleet.git, nor "
                        + "ftp://user:pw@host/x; ssh://git@github.com/acme/fleet.git is fine");

        assertThat(list).extracting(Condition::getMessage).containsExactly(
                "building artifact: fetching https://github.com/acme/fleet.git",
                "building artifact: fetching https://github.com/acme/fleet.git",
                "cannot reach http://10.0.0.1/fleet.git, nor ftp://host/x; ssh://git@github.com/acme/fleet.git is fine");
    }

    @Test
    void readyClearsReconcilingAndStalled() {
        Conditions.of(list, 3L, at("2026-01-01T00:00:00Z")).markReconciling("Progressing", "working");
        Conditions.of(list, 3L, at("2026-01-01T00:00:05Z")).markReady("Succeeded", "stored artifact");

        assertThat(list).extracting(Condition::getType).containsExactly("Ready");
        Condition ready = list.get(0);
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getObservedGeneration()).isEqualTo(3L);
        assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:05Z");
    }

    @Test
    void transitionTimeOnlyMovesWhenTheStatusChanges() {
        Conditions.of(list, 1L, at("2026-01-01T00:00:00Z")).markFalse("Ready", "GitOperationFailed", "first");
        Conditions.of(list, 1L, at("2026-01-01T00:01:00Z")).markFalse("Ready", "AuthenticationFailed", "second");

        Condition ready = Conditions.find(list, "Ready").orElseThrow();
        assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(ready.getReason()).isEqualTo("AuthenticationFailed");
        assertThat(ready.getMessage()).isEqualTo("second");
    }

    @Test
    void reconcilingKeepsAFailedReadyFalse() {
        Conditions.of(list, 1L, at("2026-01-01T00:00:00Z")).markFailedWithRetry("GitOperationFailed", "boom");
        Conditions.of(list, 1L, at("2026-01-01T00:00:10Z")).markReconciling("Progressing", "again");

        assertThat(Conditions.isFalse(list, "Ready")).isTrue();
        assertThat(Conditions.isTrue(list, "Reconciling")).isTrue();
    }

    @Test
    void stalledIsNotReconciling() {
        Conditions.of(list, 1L, at("2026-01-01T00:00:00Z")).markReconciling("Progressing", "x").markStalled("URLInvalid", "bad url");
        assertThat(Conditions.isTrue(list, "Stalled")).isTrue();
        assertThat(Conditions.find(list, "Reconciling")).isEmpty();
        assertThat(Conditions.find(list, "Ready").orElseThrow().getReason()).isEqualTo("URLInvalid");
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }
}
