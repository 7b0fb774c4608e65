package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Receiver types of registries, Bitbucket, Gitea and CDEvents check calls as Flux does and answer a call that fails
 * the check with 400, annotating nothing: Bitbucket Server's and Gitea's signatures, Nexus' HMAC-SHA1, a GCR push's
 * Google-signed token for the Secret's email and audience, CDEvents of spec 0.4, and Quay's and ACR's payloads.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class RegistryAndCiReceiversTest {

    @Inject
    NotificationObjects objects;
    @Inject
    ReceiverServer server;

    @Test
    void bitbucketServerNeedsTheSignatureAndAnAllowedEventKey() throws Exception {
        ReceiverScenario r = new ReceiverScenario("bitbucket-recv", objects, server, "app");
        String path = r.receiver("bitbucket", Receiver.TYPE_BITBUCKET, spec -> {
            spec.setEvents(List.of("repo:refs_changed"));
            spec.setResources(List.of(ReceiverScenario.resource("app")));
        });
        String body = "{\"eventKey\":\"repo:refs_changed\"}";

        assertThat(r.call(path, body, Map.of("X-Event-Key", "repo:refs_changed", "X-Hub-Signature", sha256("other", body)))).isEqualTo(400);
        assertThat(r.call(path, body, Map.of("X-Event-Key", "pr:opened", "X-Hub-Signature", sha256("registry-token", body)))).isEqualTo(400);
        assertThat(r.requestedAt("app")).isNull();
        assertThat(r.call(path, body, Map.of("X-Event-Key", "repo:refs_changed", "X-Hub-Signature", sha256("registry-token", body)))).isEqualTo(200);
        assertThat(r.requestedAt("app")).isNotNull();
    }

    @Test
    void giteaCallsAreCheckedByTheGitHubTypeJsonOrFormEncoded() throws Exception {
        ReceiverScenario r = new ReceiverScenario("gitea-recv", objects, server, "app");
        String path = r.receiver("gitea", Receiver.TYPE_GITHUB, spec -> {
            spec.setEvents(List.of("push"));
            spec.setResources(List.of(ReceiverScenario.resource("app")));
        });
        String push = "{\"ref\":\"refs/heads/main\"}";
        Map<String, String> gitea = Map.of("X-Gitea-Event", "push", "X-GitHub-Event", "push", "X-Gitea-Signature",
                sha256("registry-token", push).substring(7), "X-Hub-Signature-256", sha256("registry-token", push));
        assertThat(r.call(path, push, gitea)).isEqualTo(200);
        assertThat(r.requestedAt("app")).isNotNull();

        r.clear("app");
        String form = "payload=" + URLEncoder.encode(push, StandardCharsets.UTF_8);
        assertThat(r.call(path, form, "application/x-www-form-urlencoded",
                Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", sha256("registry-token", form)))).isEqualTo(200);
        assertThat(r.requestedAt("app")).isNotNull();
        r.clear("app");
        assertThat(r.call(path, push, "text/plain", Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", sha256("registry-token", push))))
                .isEqualTo(400);
        assertThat(r.requestedAt("app")).isNull();
    }

    @Test
    void nexusNeedsTheHmacSha1OfTheBody() throws Exception {
        ReceiverScenario r = new ReceiverScenario("nexus-recv", objects, server, "app");
        String path = r.receiver("nexus", Receiver.TYPE_NEXUS, "app");
        String body = "{\"action\":\"CREATED\",\"repositoryName\":\"docker-hosted\"}";

        assertThat(r.call(path, body, Map.of())).isEqualTo(400);
        assertThat(r.call(path, body, Map.of("X-Nexus-Webhook-Signature", hmac("HmacSHA1", "other", body)))).isEqualTo(400);
        assertThat(r.requestedAt("app")).isNull();
        assertThat(r.call(path, body, Map.of("X-Nexus-Webhook-Signature", hmac("HmacSHA1", "registry-token", body)))).isEqualTo(200);
        assertThat(r.requestedAt("app")).isNotNull();
    }

    @Test
    void quayAndAcrNeedTheirPayloads() throws Exception {
        ReceiverScenario r = new ReceiverScenario("quay-acr-recv", objects, server, "quay-app", "acr-app");
        String quay = r.receiver("quay", Receiver.TYPE_QUAY, "quay-app");
        String acr = r.receiver("acr", Receiver.TYPE_ACR, "acr-app");

        assertThat(r.call(quay, "not json", Map.of())).isEqualTo(400);
        assertThat(r.call(acr, "[1]", Map.of())).isEqualTo(400);
        assertThat(r.call(quay, "{\"docker_url\":\"quay.io/acme/app\",\"updated_tags\":[\"1.2.3\"]}", Map.of())).isEqualTo(200);
        assertThat(r.call(acr, "{\"action\":\"push\",\"target\":{\"repository\":\"app\",\"tag\":\"1.2.3\"}}", Map.of())).isEqualTo(200);
        assertThat(r.requestedAt("quay-app")).isNotNull();
        assertThat(r.requestedAt("acr-app")).isNotNull();
    }

    @Test
    void cdeventsNeedsAValidEventOfAnAllowedType() throws Exception {
        ReceiverScenario r = new ReceiverScenario("cdevents-recv", objects, server, "app");
        String path = r.receiver("cdevents", Receiver.TYPE_CDEVENTS, spec -> {
            spec.setEvents(List.of("dev.cdevents.artifact.published.0.1.1"));
            spec.setResources(List.of(ReceiverScenario.resource("app")));
        });
        String published = "{\"context\":{\"specversion\":\"0.4.1\",\"id\":\"271069a8\",\"source\":\"/event/source/123\","
                + "\"type\":\"dev.cdevents.artifact.published.0.1.1\",\"timestamp\":\"2023-03-20T14:27:05.315384Z\"},"
                + "\"subject\":{\"id\":\"pkg:oci/app@sha256:abc\",\"content\":{}}}";

        assertThat(r.call(path, "{\"context\":{\"specversion\":\"0.4.1\"}}", Map.of("Ce-Type", "dev.cdevents.artifact.published.0.1.1"))).isEqualTo(400);
        assertThat(r.call(path, published, Map.of("Ce-Type", "dev.cdevents.build.finished.0.1.1"))).isEqualTo(400);
        assertThat(r.requestedAt("app")).isNull();
        assertThat(r.call(path, published, Map.of("Ce-Type", "dev.cdevents.artifact.published.0.1.1"))).isEqualTo(200);
        assertThat(r.requestedAt("app")).isNotNull();
    }

    @Test
    void gcrNeedsAGoogleSignedTokenForTheSecretsEmailAndAudience() throws Exception {
        try (OidcIssuer google = new OidcIssuer(new RecordingServer(NotificationControllerTestResource.GOOGLE_CERTS_PORT),
                "https://accounts.google.com", "/oauth2/v3/certs")) {
            ReceiverScenario r = new ReceiverScenario("gcr-recv", objects, server, "app");
            r.s.secret("gcr", Map.of("token", "gcr-token", "email", "push@acme.iam.gserviceaccount.com", "audience", "https://flux.example.com"));
            String path = r.receiver("gcr", Receiver.TYPE_GCR, spec -> {
                spec.getSecretRef().setName("gcr");
                spec.setResources(List.of(ReceiverScenario.resource("app")));
            });
            String data = Base64.getEncoder().encodeToString("{\"action\":\"INSERT\",\"digest\":\"gcr.io/acme/app@sha256:abc\",\"tag\":\"gcr.io/acme/app:1.2.3\"}"
                    .getBytes(StandardCharsets.UTF_8));
            String push = "{\"message\":{\"data\":\"" + data + "\",\"messageId\":\"1\",\"publishTime\":\"2026-01-01T00:00:00Z\"},"
                    + "\"subscription\":\"projects/acme/subscriptions/gcr\"}";
            Map<String, Object> good = Map.of("iss", "https://accounts.google.com", "aud", "https://flux.example.com",
                    "email", "push@acme.iam.gserviceaccount.com", "email_verified", true);

            assertThat(r.call(path, push, Map.of())).isEqualTo(400);
            assertThat(r.call(path, push, bearer(google.token(with(good, "aud", "https://other.example.com"))))).isEqualTo(400);
            assertThat(r.call(path, push, bearer(google.token(with(good, "email", "attacker@evil.iam.gserviceaccount.com"))))).isEqualTo(400);
            assertThat(r.call(path, push, bearer(google.token(with(good, "email_verified", false))))).isEqualTo(400);
            assertThat(r.call(path, push, bearer(OidcIssuer.forged(google, good)))).isEqualTo(400);
            assertThat(r.requestedAt("app")).isNull();
            assertThat(r.call(path, push, bearer(google.token(good)))).isEqualTo(200);
            assertThat(r.requestedAt("app")).isNotNull();
        }
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static Map<String, Object> with(Map<String, Object> claims, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(claims);
        copy.put(key, value);
        return copy;
    }

    static String sha256(String key, String body) throws Exception {
        return "sha256=" + hmac("HmacSHA256", key, body);
    }

    static String hmac(String algorithm, String key, String body) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
