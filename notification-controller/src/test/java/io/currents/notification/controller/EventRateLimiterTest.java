package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The duplicate-event memory stays bounded under a flood of distinct events, and still refuses recent duplicates. */
class EventRateLimiterTest {

    private static FluxEvent event(String message) {
        return new FluxEvent(new ObjectReferenceBuilder().withKind("Kustomization").withName("apps").withNamespace("tenant").build(),
                "info", "2026-01-01T00:00:00Z", message, "Progressing", Map.of(), "kustomize-controller", "kustomize-controller-1");
    }

    @Test
    void aFloodOfDistinctEventsWithinTheIntervalKeepsOnlyTheNewest() {
        EventRateLimiter limiter = new EventRateLimiter(Duration.ofMinutes(5), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        // any pod that can reach the events endpoint can post as many distinct events as it likes
        for (int i = 0; i < 50_000; i++) {
            assertThat(limiter.tryAccept(event("forged " + i))).isTrue();
        }
        assertThat(limiter.size()).isEqualTo(EventRateLimiter.MAX_ENTRIES);
        assertThat(limiter.tryAccept(event("forged 49999"))).as("a recent duplicate is still refused").isFalse();
        assertThat(limiter.tryAccept(event("forged 0"))).as("the oldest were forgotten").isTrue();
    }
}
