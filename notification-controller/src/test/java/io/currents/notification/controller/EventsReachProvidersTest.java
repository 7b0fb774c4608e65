package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.api.meta.LocalObjectReference;
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

/** An event POSTed to the events endpoint reaches a generic webhook and Slack with Flux's payloads. */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class EventsReachProvidersTest {

    @Inject
    NotificationObjects objects;

    @Test
    void anEventIsForwardedAsJsonToAGenericWebhookWithTheSecretsHeaders() {
        NotificationScenario s = new NotificationScenario("generic", objects);
        try (RecordingServer webhook = new RecordingServer()) {
            s.secret("webhook-headers", Map.of("headers", "X-Team: platform\nAuthorization: Bearer abc123\n"));
            s.provider("webhook", Provider.TYPE_GENERIC, webhook.url("/flux"), spec -> spec.setSecretRef(ref("webhook-headers")));
            s.alert("all", "webhook", List.of(source("Kustomization", "*")), spec -> spec.setEventMetadata(Map.of("cluster", "prod-eu")));

            int status = s.post(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded",
                    "Reconciliation finished in 2s", Map.of("kustomize.toolkit.fluxcd.io/revision", "main@sha1:1f2e3d4c5b6a",
                            "kustomize.toolkit.fluxcd.io/checksum", "dropped", "other.io/key", "dropped")));

            assertThat(status).isEqualTo(202);
            RecordingServer.Request request = webhook.awaitOne(Duration.ofSeconds(20));
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/flux");
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.header("gotk-component")).isEqualTo("kustomize-controller");
            assertThat(request.header("X-Team")).isEqualTo("platform");
            assertThat(request.header("Authorization")).isEqualTo("Bearer abc123");
            JsonNode event = request.json();
            assertThat(event.path("involvedObject").path("kind").asText()).isEqualTo("Kustomization");
            assertThat(event.path("involvedObject").path("name").asText()).isEqualTo("apps");
            assertThat(event.path("involvedObject").path("namespace").asText()).isEqualTo(s.namespace);
            assertThat(event.path("severity").asText()).isEqualTo("info");
            assertThat(event.path("reason").asText()).isEqualTo("ReconciliationSucceeded");
            assertThat(event.path("message").asText()).isEqualTo("Reconciliation finished in 2s");
            assertThat(event.path("reportingController").asText()).isEqualTo("kustomize-controller");
            assertThat(event.path("metadata").path("revision").asText()).isEqualTo("main@sha1:1f2e3d4c5b6a");
            assertThat(event.path("metadata").path("cluster").asText()).isEqualTo("prod-eu");
            assertThat(event.path("metadata").has("checksum")).isFalse();
            assertThat(event.path("metadata").has("other.io/key")).isFalse();
        }
    }

    @Test
    void anErrorEventBecomesASlackAttachmentColouredDanger() {
        NotificationScenario s = new NotificationScenario("slack", objects);
        try (RecordingServer slack = new RecordingServer()) {
            s.provider("slack", Provider.TYPE_SLACK, slack.url("/services/T000/B000/XXXX"), spec -> {
                spec.setChannel("general");
                spec.setUsername("flux-bot");
            });
            s.alert("errors", "slack", List.of(source("GitRepository", "podinfo")), spec -> spec.setSummary("Cluster addons impacted"));

            s.post(s.event("GitRepository", "podinfo", "error", "GitOperationFailed", "failed to checkout and determine revision",
                    Map.of("revision", "main@sha1:abc")));

            JsonNode payload = slack.awaitOne(Duration.ofSeconds(20)).json();
            assertThat(payload.path("channel").asText()).isEqualTo("general");
            assertThat(payload.path("username").asText()).isEqualTo("flux-bot");
            assertThat(payload.path("icon_url").asText()).isEmpty();
            assertThat(payload.path("attachments").get(0).path("fallback").asText())
                    .isEqualTo("gitrepository/podinfo." + s.namespace + ": failed to checkout and determine revision");
            JsonNode attachment = payload.path("attachments").get(0);
            assertThat(attachment.path("color").asText()).isEqualTo("danger");
            assertThat(attachment.path("author_name").asText()).isEqualTo("gitrepository/podinfo." + s.namespace);
            assertThat(attachment.path("text").asText()).isEqualTo("failed to checkout and determine revision");
            assertThat(attachment.path("mrkdwn_in").get(0).asText()).isEqualTo("text");
            assertThat(attachment.path("fields").findValuesAsText("title")).containsExactly("revision", "summary");
            assertThat(attachment.path("fields").findValuesAsText("value")).containsExactly("main@sha1:abc", "Cluster addons impacted");
        }
    }

    @Test
    void teamsGetsAnAdaptiveCardAndDiscordItsSlackCompatibleEndpoint() {
        NotificationScenario s = new NotificationScenario("chat", objects);
        try (RecordingServer teams = new RecordingServer(); RecordingServer discord = new RecordingServer()) {
            s.provider("teams", Provider.TYPE_MSTEAMS, teams.url("/workflows/123"), spec -> { });
            s.provider("discord", Provider.TYPE_DISCORD, discord.url("/api/webhooks/42/secret"), spec -> { });
            s.alert("teams", "teams", List.of(source("HelmRelease", "*")), spec -> { });
            s.alert("discord", "discord", List.of(source("HelmRelease", "*")), spec -> { });

            s.post(s.event("HelmRelease", "podinfo", "info", "UpgradeSucceeded", "Helm upgrade succeeded", Map.of("revision", "6.5.0")));

            JsonNode card = teams.awaitOne(Duration.ofSeconds(20)).json();
            assertThat(card.path("type").asText()).isEqualTo("message");
            JsonNode attachment = card.path("attachments").get(0);
            assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
            assertThat(attachment.path("content").path("body").get(0).path("type").asText()).isEqualTo("Container");
            assertThat(attachment.path("content").path("msteams").path("width").asText()).isEqualTo("Full");
            JsonNode body = attachment.path("content").path("body").get(0).path("items");
            assertThat(attachment.path("content").path("type").asText()).isEqualTo("AdaptiveCard");
            assertThat(body.get(0).path("text").asText()).isEqualTo("helmrelease/podinfo." + s.namespace);
            assertThat(body.get(1).path("text").asText()).isEqualTo("Helm upgrade succeeded");
            assertThat(body.get(2).path("facts").get(0).path("title").asText()).isEqualTo("revision");

            RecordingServer.Request toDiscord = discord.awaitOne(Duration.ofSeconds(20));
            assertThat(toDiscord.path()).isEqualTo("/api/webhooks/42/secret/slack");
            assertThat(toDiscord.json().path("attachments").get(0).path("color").asText()).isEqualTo("good");
            assertThat(toDiscord.json().path("username").asText()).isEqualTo("kustomize-controller");
        }
    }

    @Test
    void malformedEventsAreRefusedWith400() {
        NotificationScenario s = new NotificationScenario("bad", objects);
        assertThat(s.post("{not json")).isEqualTo(400);
        assertThat(s.post("{\"severity\":\"info\",\"message\":\"m\",\"reason\":\"r\"}")).isEqualTo(400);
        assertThat(s.post("{\"involvedObject\":{\"kind\":\"Kustomization\",\"name\":\"a\",\"namespace\":\"b\"},"
                + "\"severity\":\"fatal\",\"message\":\"m\",\"reason\":\"r\"}")).isEqualTo(400);
    }

    static LocalObjectReference ref(String name) {
        LocalObjectReference ref = new LocalObjectReference();
        ref.setName(name);
        return ref;
    }
}
