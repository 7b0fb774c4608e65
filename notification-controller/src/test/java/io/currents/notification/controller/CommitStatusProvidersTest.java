package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Kustomization events with a revision become commit statuses on GitHub (Enterprise API) and GitLab. */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class CommitStatusProvidersTest {

    private static final String SHA = "8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c";

    @Inject
    NotificationObjects objects;

    @Test
    void aSuccessfulReconcileSetsASuccessStatusOnTheGitHubCommit() {
        NotificationScenario s = new NotificationScenario("github", objects);
        try (RecordingServer github = new RecordingServer(); RecordingServer slack = new RecordingServer()) {
            s.secret("github-token", Map.of("token", "ghp_test"));
            Provider provider = s.provider("github", Provider.TYPE_GITHUB, github.url("/acme/fleet.git"), spec -> spec.setSecretRef(ref("github-token")));
            s.provider("slack", Provider.TYPE_SLACK, slack.url("/hook"), spec -> { });
            s.alert("github", "github", List.of(source("Kustomization", "apps")), spec -> { });
            s.alert("slack", "slack", List.of(source("Kustomization", "apps")), spec -> { });

            s.post(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "Reconciliation finished in 1s",
                    Map.of("kustomize.toolkit.fluxcd.io/revision", "main@sha1:" + SHA, "kustomize.toolkit.fluxcd.io/commit_status", "update")));
            s.post(s.event("Kustomization", "apps", "error", "HealthCheckFailed", "health check failed",
                    Map.of("kustomize.toolkit.fluxcd.io/revision", "main@sha1:" + SHA)));

            List<RecordingServer.Request> statuses = github.await(2, RecordingServer::isPost, Duration.ofSeconds(20));
            RecordingServer.Request success = statuses.stream().filter(r -> r.json().path("state").asText().equals("success")).findFirst().orElseThrow();
            assertThat(success.path()).isEqualTo("/api/v3/repos/acme/fleet/statuses/" + SHA);
            assertThat(success.header("Authorization")).isEqualTo("Bearer ghp_test");
            JsonNode body = success.json();
            assertThat(body.path("context").asText()).isEqualTo("kustomization/apps/" + provider.getMetadata().getUid().split("-")[0]);
            assertThat(body.path("description").asText()).isEqualTo("reconciliation succeeded");
            assertThat(statuses).extracting(r -> r.json().path("state").asText()).containsExactlyInAnyOrder("success", "failure");

            // the commit_status=update event goes to Git providers only; Slack gets the health failure alone
            assertThat(slack.awaitOne(Duration.ofSeconds(20)).json().path("attachments").get(0).path("text").asText())
                    .isEqualTo("health check failed");
            RecordingServer.sleep(500);
            assertThat(slack.requests()).hasSize(1);
            // each status was preceded by a look at the commit's existing statuses
            assertThat(github.requests()).filteredOn(r -> r.method().equals("GET"))
                    .extracting(RecordingServer.Request::path).containsOnly("/api/v3/repos/acme/fleet/commits/" + SHA + "/statuses");
        }
    }

    @Test
    void aStatusIdenticalToTheNewestOfItsContextIsNotPostedAgain() {
        NotificationScenario s = new NotificationScenario("github-dup", objects);
        try (RecordingServer github = new RecordingServer()) {
            s.secret("github-token", Map.of("token", "ghp_test"));
            Provider provider = s.provider("github", Provider.TYPE_GITHUB, github.url("/acme/fleet"), spec -> spec.setSecretRef(ref("github-token")));
            s.alert("github", "github", List.of(source("Kustomization", "apps")), spec -> { });
            String context = "kustomization/apps/" + provider.getMetadata().getUid().split("-")[0];
            github.answerGetWith("[{\"context\":\"" + context + "\",\"state\":\"success\",\"description\":\"reconciliation succeeded\"},"
                    + "{\"context\":\"" + context + "\",\"state\":\"failure\",\"description\":\"health check failed\"}]");

            s.post(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "Reconciliation finished in 3s", Map.of("revision", "main@sha1:" + SHA)));
            s.post(s.event("Kustomization", "apps", "error", "HealthCheckFailed", "timeout", Map.of("revision", "main@sha1:" + SHA)));

            RecordingServer.Request posted = github.await(1, RecordingServer::isPost, Duration.ofSeconds(20)).get(0);
            assertThat(posted.json().path("state").asText()).isEqualTo("failure");
            github.await(2, r -> r.method().equals("GET"), Duration.ofSeconds(20));
            RecordingServer.sleep(500);
            assertThat(github.requests()).filteredOn(RecordingServer::isPost).hasSize(1);
        }
    }

    @Test
    void gitLabGetsACommitStatusWithThePrivateToken() {
        NotificationScenario s = new NotificationScenario("gitlab", objects);
        try (RecordingServer gitlab = new RecordingServer()) {
            s.secret("gitlab-token", Map.of("token", "glpat-test"));
            s.provider("gitlab", Provider.TYPE_GITLAB, gitlab.url("/group/sub/fleet"), spec -> spec.setSecretRef(ref("gitlab-token")));
            s.alert("gitlab", "gitlab", List.of(source("Kustomization", "*")), spec -> { });

            s.post(s.event("Kustomization", "infra", "info", "Progressing", "applying", Map.of("revision", "main@sha1:" + SHA)));

            RecordingServer.Request request = gitlab.await(1, RecordingServer::isPost, Duration.ofSeconds(20)).get(0);
            assertThat(request.path()).isEqualTo("/api/v4/projects/group%2Fsub%2Ffleet/statuses/" + SHA);
            assertThat(request.header("PRIVATE-TOKEN")).isEqualTo("glpat-test");
            assertThat(request.json().path("state").asText()).isEqualTo("running");
            assertThat(request.json().path("name").asText()).startsWith("kustomization/infra/");
        }
    }
}
