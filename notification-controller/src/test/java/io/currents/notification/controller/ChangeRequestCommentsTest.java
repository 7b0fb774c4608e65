package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.currents.notification.controller.NotificationScenario.ref;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Objects annotated {@code event.toolkit.fluxcd.io/change_request} get one status comment per object on that pull or
 * merge request (GitHub, GitLab, Gitea): created the first time, edited after; objects without the annotation are
 * ignored by these providers.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ChangeRequestCommentsTest {

    @Inject
    NotificationObjects objects;

    private static void event(NotificationScenario s, String message, boolean withChangeRequest) {
        Map<String, String> metadata = withChangeRequest
                ? Map.of("kustomize.toolkit.fluxcd.io/revision", "pr-42@sha1:" + GitProvidersTest.SHA, "event.toolkit.fluxcd.io/change_request", "42")
                : Map.of("kustomize.toolkit.fluxcd.io/revision", "main@sha1:" + GitProvidersTest.SHA);
        s.post(s.event("Kustomization", "preview", "info", "ReconciliationSucceeded", message, metadata));
    }

    private static String comment(NotificationScenario s, Provider provider, String prefix, String message) {
        return "<!-- " + prefix + ":" + provider.getMetadata().getUid() + "/Kustomization/" + s.namespace + "/preview -->\n\n"
                + "## Flux Status\n\nℹ️ Kustomization/" + s.namespace + "/preview\n\n" + message + "\n\nMetadata:\n"
                + "* `revision`: pr-42@sha1:" + GitProvidersTest.SHA + "\n";
    }

    @Test
    void gitHubGetsACommentCreatedThenEditedByTheTokensUser() {
        NotificationScenario s = new NotificationScenario("gh-pr", objects);
        try (RecordingServer github = new RecordingServer()) {
            github.answer("GET", "/api/v3/user", 200, "{\"login\":\"flux-bot\"}");
            github.answerWith(201, "{\"id\":1}");
            s.secret("github-token", Map.of("token", "ghp_pr"));
            Provider provider = s.route("github-pr", Notifiers.GITHUB_PR_COMMENT, github.url("/acme/fleet"), spec -> spec.setSecretRef(ref("github-token")));

            event(s, "not a preview", false);
            event(s, "Applied revision pr-42", true);

            RecordingServer.Request created = github.await("POST", "/api/v3/repos/acme/fleet/issues/42/comments");
            assertThat(created.header("Authorization")).isEqualTo("Bearer ghp_pr");
            assertThat(created.json().path("body").asText()).isEqualTo(comment(s, provider, "flux-pr-comment-key", "Applied revision pr-42"));
            assertThat(github.await("GET", "/api/v3/repos/acme/fleet/issues/42/comments").query())
                    .isEqualTo("direction=asc&per_page=100&sort=created");

            // the comment now exists: another user's comment with the same marker is left alone, the bot's is edited
            String marker = "<!-- flux-pr-comment-key:" + provider.getMetadata().getUid() + "/Kustomization/" + s.namespace + "/preview -->";
            github.answer("GET", "/api/v3/repos/acme/fleet/issues/42/comments", 200, "[{\"id\":7,\"user\":{\"login\":\"someone\"},\"body\":\""
                    + marker + "\"},{\"id\":9,\"user\":{\"login\":\"flux-bot\"},\"body\":\"" + marker + " old\"}]");
            event(s, "Applied revision pr-42 again", true);

            RecordingServer.Request edited = github.await("PATCH", "/api/v3/repos/acme/fleet/issues/comments/9");
            assertThat(edited.json().path("body").asText()).isEqualTo(comment(s, provider, "flux-pr-comment-key", "Applied revision pr-42 again"));
            RecordingServer.sleep(500);
            assertThat(github.requests()).filteredOn(RecordingServer::isPost).hasSize(1);
        }
    }

    @Test
    void gitLabGetsAMergeRequestNoteUpdatedInPlace() {
        NotificationScenario s = new NotificationScenario("gl-mr", objects);
        try (RecordingServer gitlab = new RecordingServer()) {
            gitlab.answer("GET", "/api/v4/user", 200, "{\"username\":\"flux-bot\"}");
            s.secret("gitlab-token", Map.of("token", "glpat-mr"));
            Provider provider = s.route("gitlab-mr", Notifiers.GITLAB_MR_COMMENT, gitlab.url("/group/fleet"), spec -> spec.setSecretRef(ref("gitlab-token")));
            String marker = "<!-- flux-mr-comment-key:" + provider.getMetadata().getUid() + "/Kustomization/" + s.namespace + "/preview -->";
            gitlab.answer("GET", "/api/v4/projects/group%2Ffleet/merge_requests/42/notes", 200,
                    "[{\"id\":5,\"author\":{\"username\":\"flux-bot\"},\"body\":\"" + marker + "\"}]");

            event(s, "Applied revision pr-42", true);

            RecordingServer.Request updated = gitlab.await("PUT", "/api/v4/projects/group%2Ffleet/merge_requests/42/notes/5");
            assertThat(updated.header("PRIVATE-TOKEN")).isEqualTo("glpat-mr");
            assertThat(updated.json().path("body").asText()).isEqualTo(comment(s, provider, "flux-mr-comment-key", "Applied revision pr-42"));
            assertThat(gitlab.await("GET", "/api/v4/projects/group%2Ffleet/merge_requests/42/notes").query())
                    .isEqualTo("order_by=created_at&per_page=100&sort=asc");
        }
    }

    @Test
    void giteaGetsAPullRequestCommentWithItsTokenScheme() {
        NotificationScenario s = new NotificationScenario("gitea-pr", objects);
        try (RecordingServer gitea = new RecordingServer()) {
            gitea.answer("GET", "/api/v1/user", 200, "{\"login\":\"flux-bot\"}");
            gitea.answerWith(201, "{\"id\":3}");
            s.secret("gitea-token", Map.of("token", "gitea-pat"));
            Provider provider = s.route("gitea-pr", Notifiers.GITEA_PR_COMMENT, gitea.url("/org/fleet"), spec -> spec.setSecretRef(ref("gitea-token")));

            event(s, "Applied revision pr-42", true);

            RecordingServer.Request created = gitea.await("POST", "/api/v1/repos/org/fleet/issues/42/comments");
            assertThat(created.header("Authorization")).isEqualTo("token gitea-pat");
            assertThat(created.json().path("body").asText()).isEqualTo(comment(s, provider, "flux-pr-comment-key", "Applied revision pr-42"));
        }
    }
}
