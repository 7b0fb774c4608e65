package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.currents.runtime.events.FluxEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.currents.notification.controller.NotificationScenario.source;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies that are not Flux events (not JSON, JSON nested 100,000 deep, a JSON array, an event without its object,
 * over 4 MiB) are answered 400/413 at once, and the next real event is still delivered.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class EventEndpointBadInputTest {

    @Inject
    NotificationObjects objects;

    @Test
    void malformedDeepOrOversizedBodiesAreRefusedAndTheNextEventIsDelivered() {
        NotificationScenario s = new NotificationScenario("bad-events", objects);
        try (RecordingServer webhook = new RecordingServer()) {
            s.provider("webhook", Provider.TYPE_GENERIC, webhook.url("/"), spec -> { });
            s.alert("all", "webhook", List.of(source("Kustomization", "*")), spec -> { });

            assertThat(s.post("this is not json")).isEqualTo(400);
            assertThat(s.post("{\"involvedObject\": {\"kind\": \"Kustomization\"")).isEqualTo(400);
            assertThat(s.post("[".repeat(100_000) + "]".repeat(100_000))).isEqualTo(400);
            assertThat(s.post("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))).isEqualTo(400);
            assertThat(s.post("[]")).isEqualTo(400);
            assertThat(s.post("{}")).isEqualTo(400);
            assertThat(s.post("{\"message\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}")).isEqualTo(413);

            FluxEvent event = s.event("Kustomization", "apps", "error", "BuildFailed", "after the garbage", Map.of("revision", "main@sha1:ccc3333"));
            assertThat(s.post(event)).isEqualTo(202);
            assertThat(webhook.await(1, r -> true, Duration.ofSeconds(20)))
                    .extracting(r -> r.json().path("message").asText()).containsExactly("after the garbage");
        }
    }
}
