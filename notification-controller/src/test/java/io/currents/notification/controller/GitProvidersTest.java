package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.api.notification.v1beta3.Provider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.currents.notification.controller.NotificationScenario.ref;
import static io.currents.notification.controller.NotificationScenario.source;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reconciled revision becomes a commit status on each Git host, through the host's API as it documents it (GitHub,
 * GitLab, Gitea, Bitbucket Cloud and Server, Azure DevOps), not posted again when identical to the newest one; GitHub
 * also takes repository dispatches and GitHub App authentication.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class GitProvidersTest {

    static final String SHA = "8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c";

    @Inject
    NotificationObjects objects;

    /** A commit-status update as kustomize-controller sends it when a revision is applied. */
    static void applied(NotificationScenario s, String name) {
        s.post(s.event("Kustomization", name, "info", "ReconciliationSucceeded", "Reconciliation finished in 2s",
                Map.of("kustomize.toolkit.fluxcd.io/revision", "main@sha1:" + SHA, "kustomize.toolkit.fluxcd.io/commit_status", "update")));
    }

    static void failed(NotificationScenario s, String name) {
        s.post(s.event("Kustomization", name, "error", "HealthCheckFailed", "health check failed",
                Map.of("kustomize.toolkit.fluxcd.io/revision", "main@sha1:" + SHA)));
    }

    static String uidBlock(Provider provider) {
        return provider.getMetadata().getUid().split("-")[0];
    }

    @Test
    void gitHubGetsASuccessStatusAndChatsDoNotGetTheCommitStatusEvent() {
        NotificationScenario s = new NotificationScenario("github", objects);
        try (RecordingServer github = new RecordingServer(); RecordingServer slack = new RecordingServer()) {
            s.secret("github-token", Map.of("token", "ghp_test"));
            Provider provider = s.route("github", Provider.TYPE_GITHUB, github.url("/acme/fleet.git"), spec -> spec.setSecretRef(ref("github-token")));
            s.route("slack", Provider.TYPE_SLACK, slack.url("/hook"), spec -> { });

            applied(s, "apps");
            s.post(s.event("Kustomization", "apps", "info", "Progressing", "applying", Map.of("revision", "main@sha1:" + SHA)));
            s.post(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "no commit status here", Map.of("revision", "main@sha1:" + SHA)));

            RecordingServer.Request status = github.await("POST", "/api/v3/repos/acme/fleet/statuses/" + SHA);
            assertThat(status.header("Authorization")).isEqualTo("Bearer ghp_test");
            assertThat(status.header("Accept")).isEqualTo("application/vnd.github.v3+json");
            JsonNode body = status.json();
            assertThat(body.path("state").asText()).isEqualTo("success");
            assertThat(body.path("context").asText()).isEqualTo("kustomization/apps/" + uidBlock(provider));
            assertThat(body.path("description").asText()).isEqualTo("reconciliation succeeded");
            RecordingServer.Request listed = github.await("GET", "/api/v3/repos/acme/fleet/commits/" + SHA + "/statuses");
            assertThat(listed.query()).isEqualTo("per_page=50");

            // Slack gets the two events that are not commit-status updates; GitHub gets neither (Progressing, no commit key)
            slack.await(2, RecordingServer::isPost, NotificationScenario.TIMEOUT);
            RecordingServer.sleep(500);
            assertThat(slack.requests()).extracting(r -> r.json().path("attachments").get(0).path("text").asText())
                    .containsExactlyInAnyOrder("applying", "no commit status here");
            assertThat(github.requests()).filteredOn(RecordingServer::isPost).hasSize(1);
        }
    }

    @Test
    void aStatusIdenticalToTheNewestOfItsContextIsNotPostedAgain() {
        NotificationScenario s = new NotificationScenario("github-dup", objects);
        try (RecordingServer github = new RecordingServer()) {
            s.secret("github-token", Map.of("token", "ghp_test"));
            Provider provider = s.route("github", Provider.TYPE_GITHUB, github.url("/acme/fleet"), spec -> spec.setSecretRef(ref("github-token")));
            String context = "kustomization/apps/" + uidBlock(provider);
            github.answerGetWith("[{\"context\":\"" + context + "\",\"state\":\"success\",\"description\":\"reconciliation succeeded\"},"
                    + "{\"context\":\"" + context + "\",\"state\":\"failure\",\"description\":\"health check failed\"}]");

            applied(s, "apps");
            failed(s, "apps");

            RecordingServer.Request posted = github.await(1, RecordingServer::isPost, NotificationScenario.TIMEOUT).get(0);
            assertThat(posted.json().path("state").asText()).isEqualTo("failure");
            github.await(2, r -> r.method().equals("GET"), NotificationScenario.TIMEOUT);
            RecordingServer.sleep(500);
            assertThat(github.requests()).filteredOn(RecordingServer::isPost).hasSize(1);
        }
    }

    @Test
    void commitStatusExprNamesTheStatus() {
        NotificationScenario s = new NotificationScenario("github-expr", objects);
        try (RecordingServer github = new RecordingServer()) {
            s.secret("github-token", Map.of("token", "ghp_test"));
            s.provider("github", Provider.TYPE_GITHUB, github.url("/acme/fleet"), spec -> {
                spec.setSecretRef(ref("github-token"));
                spec.setCommitStatusExpr("'flux/' + alert.metadata.name + '/' + event.involvedObject.name + '/' + event.metadata.env");
            });
            s.alert("prod", "github", List.of(source("Kustomization", "*")), spec -> spec.setEventMetadata(Map.of("env", "production")));

            applied(s, "apps");

            JsonNode body = github.await("POST", "/api/v3/repos/acme/fleet/statuses/" + SHA).json();
            assertThat(body.path("context").asText()).isEqualTo("flux/prod/apps/production");
        }
    }

    @Test
    void gitLabGetsAFailedStatusWithThePrivateToken() {
        NotificationScenario s = new NotificationScenario("gitlab", objects);
        try (RecordingServer gitlab = new RecordingServer()) {
            s.secret("gitlab-token", Map.of("token", "glpat-test"));
            Provider provider = s.route("gitlab", Provider.TYPE_GITLAB, gitlab.url("/group/sub/fleet"), spec -> spec.setSecretRef(ref("gitlab-token")));
            String name = "kustomization/infra/" + uidBlock(provider);
            gitlab.answerGetWith("[{\"sha\":\"" + SHA + "\",\"status\":\"success\",\"name\":\"" + name + "\",\"description\":\"reconciliation succeeded\"}]");

            applied(s, "infra");
            failed(s, "infra");

            RecordingServer.Request request = gitlab.await("POST", "/api/v4/projects/group%2Fsub%2Ffleet/statuses/" + SHA);
            assertThat(request.header("PRIVATE-TOKEN")).isEqualTo("glpat-test");
            assertThat(request.json().path("state").asText()).isEqualTo("failed");
            assertThat(request.json().path("name").asText()).isEqualTo(name);
            assertThat(request.json().path("description").asText()).isEqualTo("health check failed");
            RecordingServer.Request listed = gitlab.await("GET", "/api/v4/projects/group%2Fsub%2Ffleet/repository/commits/" + SHA + "/statuses");
            assertThat(listed.query()).isEqualTo("name=" + name.replace("/", "%2F"));
            RecordingServer.sleep(500);
            assertThat(gitlab.requests()).filteredOn(RecordingServer::isPost).hasSize(1);
        }
    }

    @Test
    void giteaGetsAStatusWithItsTokenScheme() {
        NotificationScenario s = new NotificationScenario("gitea", objects);
        try (RecordingServer gitea = new RecordingServer()) {
            gitea.answerWith(201, "{}");
            s.secret("gitea-token", Map.of("token", "gitea-pat"));
            Provider provider = s.route("gitea", Provider.TYPE_GITEA, gitea.url("/org/fleet.git"), spec -> spec.setSecretRef(ref("gitea-token")));

            failed(s, "apps");

            RecordingServer.Request request = gitea.await("POST", "/api/v1/repos/org/fleet/statuses/" + SHA);
            assertThat(request.header("Authorization")).isEqualTo("token gitea-pat");
            assertThat(request.json().path("state").asText()).isEqualTo("failure");
            assertThat(request.json().path("context").asText()).isEqualTo("kustomization/apps/" + uidBlock(provider));
            assertThat(request.json().path("description").asText()).isEqualTo("health check failed");
            assertThat(gitea.await("GET", "/api/v1/repos/org/fleet/commits/" + SHA + "/statuses").header("Authorization"))
                    .isEqualTo("token gitea-pat");
        }
    }

    @Test
    void bitbucketCloudGetsABuildStatusKeyedByTheIdentifiersSha1() {
        NotificationScenario s = new NotificationScenario("bitbucket", objects);
        try (RecordingServer bitbucket = new RecordingServer(NotificationControllerTestResource.BITBUCKET_PORT)) {
            bitbucket.answer("GET", "/2.0/", 404, "{\"type\":\"error\"}");
            bitbucket.answerWith(201, "{}");
            s.secret("bb", Map.of("token", "flux-bot:app-password"));
            Provider provider = s.route("bitbucket", Provider.TYPE_BITBUCKET, "https://bitbucket.org/acme/fleet.git", spec -> spec.setSecretRef(ref("bb")));
            String key = BitbucketCommitStatus.sha1("kustomization/apps/" + uidBlock(provider));

            applied(s, "apps");

            RecordingServer.Request request = bitbucket.await("POST", "/2.0/repositories/acme/fleet/commit/" + SHA + "/statuses/build");
            assertThat(request.header("Authorization")).isEqualTo(Delivery.basic("flux-bot", "app-password"));
            JsonNode body = request.json();
            assertThat(body.path("key").asText()).isEqualTo(key);
            assertThat(body.path("state").asText()).isEqualTo("SUCCESSFUL");
            assertThat(body.path("name").asText()).isEqualTo("kustomization/apps");
            assertThat(body.path("description").asText()).isEqualTo("reconciliation succeeded");
            assertThat(body.path("url").asText()).isEqualTo("https://bitbucket.org");
            bitbucket.await("GET", "/2.0/repositories/acme/fleet/commit/" + SHA + "/statuses/build/" + key);
        }
    }

    @Test
    void bitbucketServerGetsABuildStatusThroughItsRestApi() {
        NotificationScenario s = new NotificationScenario("bbserver", objects);
        try (RecordingServer server = new RecordingServer()) {
            server.answer("GET", "/bitbucket/rest", 404, "");
            server.answerWith(204, "");
            s.secret("bbs", Map.of("token", "http-access-token"));
            String address = server.url("/bitbucket/scm/PRJ/fleet.git");
            Provider provider = s.route("bbs", Provider.TYPE_BITBUCKET_SERVER, address, spec -> spec.setSecretRef(ref("bbs")));

            failed(s, "apps");

            String builds = "/bitbucket/rest/api/latest/projects/PRJ/repos/fleet/commits/" + SHA + "/builds";
            RecordingServer.Request request = server.await("POST", builds);
            assertThat(request.header("Authorization")).isEqualTo("Bearer http-access-token");
            assertThat(request.header("x-atlassian-token")).isEqualTo("no-check");
            JsonNode body = request.json();
            assertThat(body.path("key").asText()).isEqualTo(BitbucketCommitStatus.sha1("kustomization/apps/" + uidBlock(provider)));
            assertThat(body.path("state").asText()).isEqualTo("FAILED");
            assertThat(body.path("name").asText()).isEqualTo("kustomization/apps [health check failed]");
            assertThat(body.path("description").asText()).isEqualTo("health check failed");
            assertThat(body.path("url").asText()).isEqualTo(address);
            assertThat(server.await("GET", builds).query()).isEqualTo("key=" + body.path("key").asText());
        }
    }

    @Test
    void azureDevOpsGetsAStatusWithTheFluxcdGenreAndThePat() {
        NotificationScenario s = new NotificationScenario("azdo", objects);
        try (RecordingServer devops = new RecordingServer()) {
            devops.answerGetWith("{\"count\":0,\"value\":[]}");
            devops.answerWith(201, "{}");
            s.secret("azdo", Map.of("token", "azure-pat"));
            Provider provider = s.route("azdo", Provider.TYPE_AZURE_DEVOPS, devops.url("/acme/platform/_git/fleet"), spec -> spec.setSecretRef(ref("azdo")));

            applied(s, "apps");

            String statuses = "/acme/platform/_apis/git/repositories/fleet/commits/" + SHA + "/statuses";
            RecordingServer.Request request = devops.await("POST", statuses);
            assertThat(request.query()).isEqualTo("api-version=6.0");
            assertThat(request.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(":azure-pat".getBytes(StandardCharsets.UTF_8)));
            JsonNode body = request.json();
            assertThat(body.path("state").asText()).isEqualTo("succeeded");
            assertThat(body.path("description").asText()).isEqualTo("reconciliation succeeded");
            assertThat(body.path("context").path("genre").asText()).isEqualTo("fluxcd");
            assertThat(body.path("context").path("name").asText()).isEqualTo("kustomization/apps/" + uidBlock(provider));
            devops.await("GET", statuses);
        }
    }

    @Test
    void gitHubDispatchSendsTheEventAsClientPayload() {
        NotificationScenario s = new NotificationScenario("dispatch", objects);
        try (RecordingServer github = new RecordingServer()) {
            github.answerWith(204, "");
            s.secret("github-token", Map.of("token", "ghp_dispatch"));
            s.route("dispatch", Notifiers.GITHUB_DISPATCH, github.url("/acme/app"), spec -> spec.setSecretRef(ref("github-token")));

            failed(s, "app1");

            RecordingServer.Request request = github.await("POST", "/api/v3/repos/acme/app/dispatches");
            assertThat(request.header("Authorization")).isEqualTo("Bearer ghp_dispatch");
            assertThat(request.json().path("event_type").asText()).isEqualTo("Kustomization/app1." + s.namespace);
            assertThat(request.json().path("client_payload").path("message").asText()).isEqualTo("health check failed");
            assertThat(request.json().path("client_payload").path("metadata").path("revision").asText()).isEqualTo("main@sha1:" + SHA);
        }
    }

    @Test
    void aGitHubAppIsExchangedForAnInstallationTokenSignedWithItsKey() throws Exception {
        NotificationScenario s = new NotificationScenario("github-app", objects);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair app = generator.generateKeyPair();
        try (RecordingServer github = new RecordingServer()) {
            github.answer("POST", "/api/v3/app/installations/", 201,
                    "{\"token\":\"ghs_installation\",\"expires_at\":\"2099-01-01T00:00:00Z\"}");
            github.answerWith(201, "{}");
            s.secret("github-app", Map.of("githubAppID", "4242", "githubAppInstallationID", "77",
                    "githubAppPrivateKey", TestCertificates.pem(app.getPrivate()), "githubAppBaseURL", github.url("")));
            s.route("github", Provider.TYPE_GITHUB, github.url("/acme/fleet"), spec -> spec.setSecretRef(ref("github-app")));

            applied(s, "apps");

            RecordingServer.Request exchange = github.await("POST", "/api/v3/app/installations/77/access_tokens");
            String[] jwt = exchange.header("Authorization").substring("Bearer ".length()).split("\\.");
            JsonNode claims = NotificationScenario.JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            assertThat(claims.path("iss").asText()).isEqualTo("4242");
            assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(120);
            Signature verify = Signature.getInstance("SHA256withRSA");
            verify.initVerify(app.getPublic());
            verify.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            assertThat(verify.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
            RecordingServer.Request status = github.await("POST", "/api/v3/repos/acme/fleet/statuses/" + SHA);
            assertThat(status.header("Authorization")).isEqualTo("Bearer ghs_installation");
        }
    }

    static Duration timeout() {
        return NotificationScenario.TIMEOUT;
    }
}
