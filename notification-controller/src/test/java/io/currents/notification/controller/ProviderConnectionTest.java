package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.currents.testkit.git.HttpProxyServer;
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

/** How a Provider is reached: the address and proxy from its Secret, and its timeout. */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ProviderConnectionTest {

    @Inject
    NotificationObjects objects;

    @Test
    void theSecretsAddressAndProxyOverrideTheSpec() {
        NotificationScenario s = new NotificationScenario("proxy", objects);
        try (RecordingServer webhook = new RecordingServer(); HttpProxyServer proxy = HttpProxyServer.start()) {
            s.secret("endpoint", Map.of("address", webhook.url("/from-secret"), "proxy", proxy.address()));
            s.provider("webhook", Provider.TYPE_GENERIC, "http://127.0.0.1:9/from-spec", spec -> spec.setSecretRef(ref("endpoint")));
            s.alert("all", "webhook", List.of(source("Bucket", "*")), spec -> { });

            s.post(s.event("Bucket", "assets", "info", "NewArtifact", "fetched 3 files", Map.of()));

            assertThat(webhook.awaitOne(Duration.ofSeconds(20)).path()).isEqualTo("/from-secret");
            assertThat(proxy.requests()).anyMatch(line -> line.startsWith("POST " + webhook.url("/from-secret")));
        }
    }

    @Test
    void aProviderSlowerThanItsTimeoutFailsAndIsReportedOnTheAlert() {
        NotificationScenario s = new NotificationScenario("slow", objects);
        try (RecordingServer slow = new RecordingServer()) {
            slow.delay(Duration.ofSeconds(3));
            s.provider("slow", Provider.TYPE_GENERIC, slow.url("/"), spec -> spec.setTimeout("1s"));
            s.alert("slow", "slow", List.of(source("Bucket", "*")), spec -> { });

            s.post(s.event("Bucket", "assets", "error", "BucketOperationFailed", "access denied", Map.of()));

            NotificationScenario.await(() -> s.eventsOn("slow").stream().anyMatch(e ->
                    "NotificationDispatchFailed".equals(e.getReason()) && e.getMessage().contains("timed out after 1000ms")),
                    "a timeout reported on the alert");
        }
    }
}
