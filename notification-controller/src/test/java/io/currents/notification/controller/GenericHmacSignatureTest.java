package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.currents.notification.controller.EventsReachProvidersTest.ref;
import static io.currents.notification.controller.NotificationScenario.source;
import static org.assertj.core.api.Assertions.assertThat;

/** A generic-hmac provider signs the body so that the receiver can check it with the shared token. */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class GenericHmacSignatureTest {

    @Inject
    NotificationObjects objects;

    @Test
    void theXSignatureHeaderIsTheHmacSha256OfTheBodyKeyedWithTheToken() throws Exception {
        NotificationScenario s = new NotificationScenario("hmac", objects);
        try (RecordingServer webhook = new RecordingServer()) {
            s.secret("hmac-token", Map.of("token", "s3cr3t-key"));
            s.provider("signed", Provider.TYPE_GENERIC_HMAC, webhook.url("/signed"), spec -> spec.setSecretRef(ref("hmac-token")));
            s.alert("signed", "signed", List.of(source("GitRepository", "*")), spec -> { });

            s.post(s.event("GitRepository", "podinfo", "info", "NewArtifact", "stored artifact for commit 'Update'", Map.of("revision", "main@sha1:abc1234")));

            RecordingServer.Request request = webhook.awaitOne(Duration.ofSeconds(20));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("s3cr3t-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body()));
            assertThat(request.header("X-Signature")).isEqualTo(expected);
            assertThat(request.json().path("message").asText()).isEqualTo("stored artifact for commit 'Update'");
        }
    }
}
