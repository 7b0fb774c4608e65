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

/** The same event posted again within the rate-limit interval is refused (429) and notified once. */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class DuplicateEventsTest {

    @Inject
    NotificationObjects objects;

    @Test
    void aRepeatedEventIsDroppedButADifferentRevisionPasses() {
        NotificationScenario s = new NotificationScenario("dup", objects);
        try (RecordingServer webhook = new RecordingServer()) {
            s.provider("webhook", Provider.TYPE_GENERIC, webhook.url("/"), spec -> { });
            s.alert("all", "webhook", List.of(source("Kustomization", "*")), spec -> { });

            FluxEvent first = s.event("Kustomization", "apps", "error", "BuildFailed", "kustomize build failed", Map.of("revision", "main@sha1:aaa1111"));
            FluxEvent again = s.event("Kustomization", "apps", "error", "BuildFailed", "kustomize build failed", Map.of("revision", "main@sha1:aaa1111"));
            FluxEvent newRevision = s.event("Kustomization", "apps", "error", "BuildFailed", "kustomize build failed", Map.of("revision", "main@sha1:bbb2222"));

            assertThat(s.post(first)).isEqualTo(202);
            assertThat(s.post(again)).isEqualTo(429);
            assertThat(s.post(newRevision)).isEqualTo(202);

            assertThat(webhook.await(2, r -> true, Duration.ofSeconds(20)))
                    .extracting(r -> r.json().path("metadata").path("revision").asText())
                    .containsExactlyInAnyOrder("main@sha1:aaa1111", "main@sha1:bbb2222");
            RecordingServer.sleep(500);
            assertThat(webhook.requests()).hasSize(2);
        }
    }
}
