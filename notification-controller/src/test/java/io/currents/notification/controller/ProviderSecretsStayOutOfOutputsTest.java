package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.Provider;
import io.currents.testkit.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.currents.notification.controller.NotificationScenario.ref;
import static io.currents.notification.controller.NotificationScenario.source;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Provider's token, header value and address password, planted in its Secret, appear in no Alert or Provider
 * status, Kubernetes event, log record (own loggers at DEBUG) or /metrics while the provider fails every delivery.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ProviderSecretsStayOutOfOutputsTest {

    @Inject
    NotificationObjects objects;

    @Test
    void plantedProviderCredentialsAppearInNoStatusEventLogOrMetric() throws Exception {
        String token = "planted-provider-token-" + UUID.randomUUID();
        String header = "planted-header-" + UUID.randomUUID();
        String addressPassword = "planted-address-pass-" + UUID.randomUUID();
        List<String> planted = List.of(token, header, addressPassword);

        NotificationScenario s = new NotificationScenario("planted", objects);
        try (LogCapture log = LogCapture.start();
             RecordingServer down = new RecordingServer()) {
            down.answerWith(500);
            String address = down.url("/").replace("http://", "http://alerts:" + addressPassword + "@");
            s.secret("provider-creds", Map.of("token", token, "headers", "X-Api-Key: " + header + "\n", "address", address));
            s.provider("failing", Provider.TYPE_GENERIC, null, spec -> spec.setSecretRef(ref("provider-creds")));
            s.alert("all", "failing", List.of(source("Kustomization", "*")), spec -> { });

            s.post(s.event("Kustomization", "apps", "error", "BuildFailed", "first", Map.of()));
            List<RecordingServer.Request> attempts = down.await(3, r -> true, Duration.ofSeconds(30));
            assertThat(attempts.get(0).headers().toString()).as("the header reached the provider").contains(header);
            NotificationScenario.await(() -> s.eventsOn("all").stream().anyMatch(e -> "NotificationDispatchFailed".equals(e.getReason())),
                    "a NotificationDispatchFailed event on the alert");

            List<String> outputs = new ArrayList<>();
            var yaml = s.client.getKubernetesSerialization();
            outputs.add("alert status: " + yaml.asYaml(s.client.resources(Alert.class).inNamespace(s.namespace).withName("all").get().getStatus()));
            outputs.add("provider status: " + yaml.asYaml(s.client.resources(Provider.class).inNamespace(s.namespace).withName("failing").get().getStatus()));
            s.client.v1().events().inNamespace(s.namespace).list().getItems()
                    .forEach(e -> outputs.add("event: " + e.getReason() + " " + e.getMessage()));
            log.lines().forEach(l -> outputs.add("log: " + l));
            int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
            outputs.add("metrics: " + HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());

            assertThat(outputs).anyMatch(o -> o.startsWith("event: NotificationDispatchFailed") && o.contains("500"));
            assertThat(outputs).anyMatch(o -> o.startsWith("metrics: ") && o.contains("# TYPE"));
            for (String secret : planted) {
                assertThat(outputs).as("outputs holding " + secret).noneMatch(o -> o.contains(secret));
            }
        }
    }
}
