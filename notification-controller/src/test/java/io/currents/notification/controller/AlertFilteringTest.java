package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.currents.notification.controller.NotificationScenario.source;
import static org.assertj.core.api.Assertions.assertThat;

/** Only the events an Alert selects (severity, sources, wildcards, inclusion and exclusion lists) reach its Provider. */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class AlertFilteringTest {

    @Inject
    NotificationObjects objects;

    @Test
    void eachAlertReceivesOnlyTheEventsItSelects() {
        NotificationScenario s = new NotificationScenario("filter", objects);
        try (RecordingServer errors = new RecordingServer(); RecordingServer frontends = new RecordingServer();
             RecordingServer filtered = new RecordingServer()) {
            s.provider("errors", Provider.TYPE_GENERIC, errors.url("/"), spec -> { });
            s.provider("frontends", Provider.TYPE_GENERIC, frontends.url("/"), spec -> { });
            s.provider("filtered", Provider.TYPE_GENERIC, filtered.url("/"), spec -> { });
            s.alert("errors", "errors", List.of(source("Kustomization", "*")), spec -> spec.setEventSeverity("error"));
            s.alert("frontends", "frontends", List.of(source("HelmRelease", "front-*")), spec -> { });
            s.alert("filtered", "filtered", List.of(source("Kustomization", "apps")), spec -> {
                spec.setInclusionList(List.of("^Reconciliation"));
                spec.setExclusionList(List.of("no changes"));
            });

            s.post(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "Reconciliation finished", Map.of()));
            s.post(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "Reconciliation finished, no changes", Map.of()));
            s.post(s.event("Kustomization", "apps", "error", "HealthCheckFailed", "Health check failed", Map.of()));
            s.post(s.event("Kustomization", "infra", "error", "BuildFailed", "kustomize build failed", Map.of()));
            s.post(s.event("HelmRelease", "front-web", "info", "UpgradeSucceeded", "Helm upgrade succeeded", Map.of()));
            s.post(s.event("HelmRelease", "back-api", "info", "UpgradeSucceeded", "Helm upgrade succeeded", Map.of()));

            assertThat(errors.await(2, r -> true, Duration.ofSeconds(20))).extracting(r -> r.json().path("message").asText())
                    .containsExactlyInAnyOrder("Health check failed", "kustomize build failed");
            assertThat(frontends.awaitOne(Duration.ofSeconds(20)).json().path("involvedObject").path("name").asText()).isEqualTo("front-web");
            assertThat(filtered.awaitOne(Duration.ofSeconds(20)).json().path("message").asText()).isEqualTo("Reconciliation finished");

            // events are routed in order: once a later event has arrived, the filtered-out ones are not merely late
            s.post(s.event("Kustomization", "apps", "error", "ReconciliationFailed", "Reconciliation failed", Map.of()));
            errors.await(3, r -> true, Duration.ofSeconds(20));
            filtered.await(2, r -> true, Duration.ofSeconds(20));
            RecordingServer.sleep(300);
            assertThat(errors.requests()).hasSize(3);
            assertThat(frontends.requests()).hasSize(1);
            assertThat(filtered.requests()).extracting(r -> r.json().path("message").asText())
                    .containsExactlyInAnyOrder("Reconciliation finished", "Reconciliation failed");
        }
    }

    @Test
    void onePatternThatWouldBacktrackCannotStallRoutingForEveryoneElse() {
        NotificationScenario tenant = new NotificationScenario("redos", objects);
        NotificationScenario other = new NotificationScenario("redos-other", objects);
        try (RecordingServer evil = new RecordingServer(); RecordingServer innocent = new RecordingServer()) {
            tenant.provider("evil", Provider.TYPE_GENERIC, evil.url("/"), spec -> { });
            // ^(.*?,){11}P backtracks for minutes over sixty comma-separated numbers in Java's engine; RE2 (Flux's)
            // reads them once. The lookahead is not Go syntax: refused (logged), never matching.
            tenant.alert("evil", "evil", List.of(source("Kustomization", "*")),
                    spec -> spec.setInclusionList(List.of("^(.*?,){11}P", "lookahead(?=x)")));
            other.provider("innocent", Provider.TYPE_GENERIC, innocent.url("/"), spec -> { });
            other.alert("innocent", "innocent", List.of(source("Kustomization", "apps")), spec -> { });

            tenant.post(tenant.event("Kustomization", "apps", "info", "Progressing", java.util.stream.IntStream.rangeClosed(1, 60)
                    .mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(",")), Map.of()));
            tenant.post(tenant.event("Kustomization", "apps", "info", "Progressing", "1,2,3,4,5,6,7,8,9,10,11,P", Map.of()));
            other.post(other.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "Reconciliation finished", Map.of()));

            assertThat(innocent.awaitOne(Duration.ofSeconds(20)).json().path("message").asText()).isEqualTo("Reconciliation finished");
            assertThat(evil.awaitOne(Duration.ofSeconds(20)).json().path("message").asText()).isEqualTo("1,2,3,4,5,6,7,8,9,10,11,P");
        }
    }
}
