package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.api.notification.v1beta3.Provider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.currents.notification.controller.NotificationScenario.ref;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each chat service gets Flux's message, through its documented API: path, method, authentication and body fields are
 * checked by a loopback server playing the service.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ChatProvidersTest {

    private static final String REVISION = "main@sha1:8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c";

    @Inject
    NotificationObjects objects;

    private static void healthCheckFailed(NotificationScenario s) {
        s.post(s.event("Kustomization", "apps", "error", "HealthCheckFailed", "health check failed: deployment/web not ready",
                Map.of("revision", REVISION)));
    }

    @Test
    void rocketGetsASlackMessageWithItsOwnColours() {
        NotificationScenario s = new NotificationScenario("rocket", objects);
        try (RecordingServer rocket = new RecordingServer()) {
            s.route("rocket", Notifiers.ROCKET, rocket.url("/hooks/abc/def"), spec -> {
                spec.setChannel("ops");
                spec.setUsername("flux");
            });
            healthCheckFailed(s);

            RecordingServer.Request request = rocket.await("POST", "/hooks/abc/def");
            JsonNode body = request.json();
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(body.path("channel").asText()).isEqualTo("ops");
            assertThat(body.path("username").asText()).isEqualTo("flux");
            JsonNode attachment = body.path("attachments").get(0);
            assertThat(attachment.path("color").asText()).isEqualTo("#FF0000");
            assertThat(attachment.path("author_name").asText()).isEqualTo("kustomization/apps." + s.namespace);
            assertThat(attachment.path("text").asText()).isEqualTo("health check failed: deployment/web not ready");
            assertThat(attachment.path("fields").get(0).path("title").asText()).isEqualTo("revision");
            assertThat(attachment.path("fields").get(0).path("value").asText()).isEqualTo(REVISION);
        }
    }

    @Test
    void googleChatGetsACardWithTheMessageInRedAndTheMetadataAsKeyValues() {
        NotificationScenario s = new NotificationScenario("gchat", objects);
        try (RecordingServer chat = new RecordingServer()) {
            s.secret("gchat", Map.of("address", chat.url("/v1/spaces/AAA/messages?key=k&token=t")));
            s.route("gchat", Notifiers.GOOGLE_CHAT, null, spec -> spec.setSecretRef(ref("gchat")));
            healthCheckFailed(s);

            RecordingServer.Request request = chat.await("POST", "/v1/spaces/AAA/messages");
            assertThat(request.query()).isEqualTo("key=k&token=t");
            JsonNode card = request.json().path("cards").get(0);
            assertThat(card.path("header").path("title").asText()).isEqualTo("kustomization/apps." + s.namespace);
            assertThat(card.path("header").path("subtitle").asText()).isEqualTo("kustomize-controller");
            assertThat(card.path("sections").get(0).path("widgets").get(0).path("textParagraph").path("text").asText())
                    .isEqualTo("<font color=\"#ff0000\">health check failed: deployment/web not ready</font>");
            JsonNode keyValue = card.path("sections").get(1).path("widgets").get(0).path("keyValue");
            assertThat(keyValue.path("topLabel").asText()).isEqualTo("revision");
            assertThat(keyValue.path("content").asText()).isEqualTo(REVISION);
        }
    }

    @Test
    void webexGetsMarkdownInTheRoomWithTheBotToken() {
        NotificationScenario s = new NotificationScenario("webex", objects);
        try (RecordingServer webex = new RecordingServer()) {
            s.secret("webex", Map.of("token", "bot-token"));
            s.route("webex", Notifiers.WEBEX, webex.url("/v1/messages"), spec -> {
                spec.setChannel("Y2lzY29zcGFyazovL3Vz");
                spec.setSecretRef(ref("webex"));
            });
            healthCheckFailed(s);

            RecordingServer.Request request = webex.await("POST", "/v1/messages");
            assertThat(request.header("Authorization")).isEqualTo("Bearer bot-token");
            assertThat(request.json().path("roomId").asText()).isEqualTo("Y2lzY29zcGFyazovL3Vz");
            assertThat(request.json().path("markdown").asText()).isEqualTo("💣 **kustomization/apps." + s.namespace + "**\n"
                    + "health check failed: deployment/web not ready\n>**revision**: " + REVISION + "\n");
        }
    }

    @Test
    void telegramGetsAMarkdownV2MessageInTheForumTopicThroughTheBotApi() {
        NotificationScenario s = new NotificationScenario("telegram", objects);
        try (RecordingServer telegram = new RecordingServer(NotificationControllerTestResource.TELEGRAM_PORT)) {
            telegram.answerWith(200, "{\"ok\":true}");
            s.secret("telegram", Map.of("token", "123456:ABC-DEF"));
            s.route("telegram", Notifiers.TELEGRAM, "https://ignored.example.com", spec -> {
                spec.setChannel("-1001234567890:7");
                spec.setSecretRef(ref("telegram"));
            });
            healthCheckFailed(s);

            RecordingServer.Request request = telegram.await("POST", "/bot123456:ABC-DEF/sendMessage");
            JsonNode body = request.json();
            assertThat(body.path("chat_id").asText()).isEqualTo("-1001234567890");
            assertThat(body.path("message_thread_id").asText()).isEqualTo("7");
            assertThat(body.path("parse_mode").asText()).isEqualTo("MarkdownV2");
            assertThat(body.path("text").asText()).isEqualTo("*🚨 kustomization/apps/" + s.namespace.replace("-", "\\-") + "*\n"
                    + "health check failed: deployment/web not ready\n\\- *revision*: main@sha1:8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c\n");
        }
    }

    @Test
    void larkGetsAnInteractiveCardColouredByTheSeverity() {
        NotificationScenario s = new NotificationScenario("lark", objects);
        try (RecordingServer lark = new RecordingServer()) {
            s.route("lark", Notifiers.LARK, lark.url("/open-apis/bot/v2/hook/xyz"), spec -> { });
            healthCheckFailed(s);

            JsonNode body = lark.await("POST", "/open-apis/bot/v2/hook/xyz").json();
            assertThat(body.path("msg_type").asText()).isEqualTo("interactive");
            JsonNode card = body.path("card");
            assertThat(card.path("config").path("wide_screen_mode").asBoolean()).isTrue();
            assertThat(card.path("header").path("template").asText()).isEqualTo("red");
            assertThat(card.path("header").path("title").path("content").asText()).isEqualTo("🚨 kustomization/apps." + s.namespace);
            assertThat(card.path("elements").get(0).path("text").path("tag").asText()).isEqualTo("lark_md");
            assertThat(card.path("elements").get(0).path("text").path("content").asText())
                    .isEqualTo("**health check failed: deployment/web not ready**\n\nrevision: " + REVISION + "\n");
        }
    }

    @Test
    void matrixGetsARoomMessageSentWithPutAndATransactionId() {
        NotificationScenario s = new NotificationScenario("matrix", objects);
        try (RecordingServer matrix = new RecordingServer()) {
            matrix.answerWith(200, "{\"event_id\":\"$1\"}");
            s.secret("matrix", Map.of("token", "syt_access"));
            s.route("matrix", Notifiers.MATRIX, matrix.url(""), spec -> {
                spec.setChannel("!room:matrix.example.org");
                spec.setSecretRef(ref("matrix"));
            });
            healthCheckFailed(s);

            RecordingServer.Request request = matrix.await(1, r -> r.method().equals("PUT"), NotificationScenario.TIMEOUT).get(0);
            assertThat(request.path()).matches("/_matrix/client/r0/rooms/!room:matrix.example.org/send/m.room.message/[0-9a-f]{40}");
            assertThat(request.header("Authorization")).isEqualTo("Bearer syt_access");
            assertThat(request.json().path("msgtype").asText()).isEqualTo("m.text");
            assertThat(request.json().path("body").asText()).isEqualTo("🚨 kustomization/apps." + s.namespace
                    + "\nhealth check failed: deployment/web not ready\n- revision: " + REVISION + "\n");
        }
    }

    @Test
    void zulipGetsAStreamMessageAsAFormWithTheBotsBasicAuth() {
        NotificationScenario s = new NotificationScenario("zulip", objects);
        try (RecordingServer zulip = new RecordingServer()) {
            zulip.answerWith(200, "{\"result\":\"success\"}");
            s.secret("zulip", Map.of("username", "flux-bot@org.zulipchat.com", "password", "api-key"));
            s.route("zulip", Notifiers.ZULIP, zulip.url("/ignored/path"), spec -> {
                spec.setChannel("deployments/flux alerts");
                spec.setSecretRef(ref("zulip"));
            });
            healthCheckFailed(s);

            RecordingServer.Request request = zulip.await("POST", "/api/v1/messages");
            assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
            assertThat(request.header("Authorization")).isEqualTo(Delivery.basic("flux-bot@org.zulipchat.com", "api-key"));
            Map<String, String> form = request.form();
            assertThat(form).containsEntry("type", "stream").containsEntry("to", "deployments").containsEntry("topic", "flux alerts");
            assertThat(form.get("content")).isEqualTo("## Flux Status\n\n⚠️ Kustomization/" + s.namespace + "/apps\n\n"
                    + "health check failed: deployment/web not ready\n\nMetadata:\n* `revision`: " + REVISION + "\n");
        }
    }

    @Test
    void anOffice365ConnectorAddressGetsTheLegacyMessageCard() {
        NotificationScenario s = new NotificationScenario("teams-legacy", objects);
        try (RecordingServer connector = new RecordingServer()) {
            String address = "http://" + LoopbackHosts.TEAMS_CONNECTOR_HOST + ":" + connector.port() + "/webhookb2/abc@def/IncomingWebhook/1/2";
            s.route("teams", Provider.TYPE_MSTEAMS, address, spec -> { });
            healthCheckFailed(s);

            JsonNode card = connector.await(1, RecordingServer::isPost, NotificationScenario.TIMEOUT).get(0).json();
            assertThat(card.path("@type").asText()).isEqualTo("MessageCard");
            assertThat(card.path("@context").asText()).isEqualTo("http://schema.org/extensions");
            assertThat(card.path("themeColor").asText()).isEqualTo("FF0000");
            assertThat(card.path("summary").asText()).isEqualTo("kustomization/apps." + s.namespace);
            JsonNode section = card.path("sections").get(0);
            assertThat(section.path("activityTitle").asText()).isEqualTo("health check failed: deployment/web not ready");
            assertThat(section.path("activitySubtitle").asText()).isEqualTo("kustomization/apps." + s.namespace);
            assertThat(section.path("facts").get(0).path("name").asText()).isEqualTo("revision");
            assertThat(section.path("facts").get(0).path("value").asText()).isEqualTo(REVISION);
        }
    }
}
