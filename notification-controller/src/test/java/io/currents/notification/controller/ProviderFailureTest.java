package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.currents.notification.controller.EventsReachProvidersTest.ref;
import static io.currents.notification.controller.NotificationScenario.source;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failing Provider is retried and then given up without holding up other Alerts; a missing Provider or a bad Secret
 * is reported as a Warning event on the Alert. (Test profile: 2 retries, 200ms backoff doubling.)
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ProviderFailureTest {

    @Inject
    NotificationObjects objects;

    @Test
    void aProviderAnswering500IsRetriedThenDroppedWhileOthersAreServed() {
        NotificationScenario s = new NotificationScenario("down", objects);
        try (RecordingServer down = new RecordingServer(); RecordingServer healthy = new RecordingServer()) {
            down.answerWith(500);
            s.provider("down", Provider.TYPE_GENERIC, down.url("/"), spec -> { });
            s.provider("healthy", Provider.TYPE_GENERIC, healthy.url("/"), spec -> { });
            s.alert("down", "down", List.of(source("Kustomization", "*")), spec -> { });
            s.alert("healthy", "healthy", List.of(source("Kustomization", "*")), spec -> { });

            s.post(s.event("Kustomization", "apps", "error", "BuildFailed", "first", Map.of()));
            s.post(s.event("Kustomization", "apps", "error", "BuildFailed", "second", Map.of()));

            // both events reach the healthy provider while the failing one is still being retried
            List<RecordingServer.Request> served = healthy.await(2, r -> true, Duration.ofSeconds(20));
            List<RecordingServer.Request> attempts = down.await(6, r -> true, Duration.ofSeconds(20));
            assertThat(served.get(1).at()).isBefore(attempts.get(attempts.size() - 1).at());
            assertThat(attempts).filteredOn(r -> r.json().path("message").asText().equals("first")).hasSize(3);

            NotificationScenario.await(() -> s.eventsOn("down").stream().anyMatch(e ->
                    "NotificationDispatchFailed".equals(e.getReason()) && e.getMessage().contains("status code 500")
                            && e.getMessage().contains("3 attempts")), "a NotificationDispatchFailed event on the alert");
            RecordingServer.sleep(1000);
            assertThat(down.requests()).hasSize(6);
        }
    }

    @Test
    void aMissingProviderOrSecretIsReportedOnTheAlert() {
        NotificationScenario s = new NotificationScenario("missing", objects);
        s.provider("no-secret", Provider.TYPE_SLACK, "http://127.0.0.1:9/", spec -> spec.setSecretRef(ref("absent")));
        s.alert("orphan", "does-not-exist", List.of(source("GitRepository", "*")), spec -> { });
        s.alert("bad-secret", "no-secret", List.of(source("GitRepository", "*")), spec -> { });

        s.post(s.event("GitRepository", "podinfo", "error", "GitOperationFailed", "auth failed", Map.of()));

        NotificationScenario.await(() -> s.eventsOn("orphan").stream().anyMatch(e -> "Warning".equals(e.getType())
                && e.getMessage().contains("Provider '" + s.namespace + "/does-not-exist' not found")), "event on the orphan alert");
        NotificationScenario.await(() -> s.eventsOn("bad-secret").stream().anyMatch(e ->
                e.getMessage().contains("failed to get secret '" + s.namespace + "/absent': Secret not found")), "event on the bad-secret alert");
    }
}
