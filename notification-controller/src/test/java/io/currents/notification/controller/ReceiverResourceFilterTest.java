package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static io.currents.notification.controller.ReceiverWebhookTest.awaitReady;
import static io.currents.notification.controller.ReceiverWebhookTest.gitRepository;
import static io.currents.notification.controller.ReceiverWebhookTest.requestedAt;
import static io.currents.notification.controller.ReceiverWebhookTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Receiver's CEL filters decide which matched objects a call annotates: {@code spec.resourceFilter} for all of them,
 * {@code resources[].filter} stacked on it, over {@code res} (the object's metadata) and {@code req} (the JSON body).
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ReceiverResourceFilterTest {

    @Inject
    NotificationObjects objects;
    @Inject
    ReceiverServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void onlyObjectsEveryFilterAcceptsAreAnnotated() throws Exception {
        NotificationScenario s = new NotificationScenario("filter", objects);
        s.secret("token", Map.of("token", "generic-token"));
        gitRepository(s, "shop-api", Map.of("team", "shop", "stage", "prod"));
        gitRepository(s, "shop-web", Map.of("team", "shop", "stage", "prod"));
        gitRepository(s, "shop-api-canary", Map.of("team", "shop", "stage", "canary"));
        ReceiverResource all = resource("GitRepository", "*", null);
        all.setMatchLabels(Map.of("team", "shop"));
        all.setFilter("res.metadata.labels['stage'] == 'prod'");
        ReceiverWebhookTest.receiver(s, "shop", Receiver.TYPE_GENERIC, "token", null, all);
        s.client.resources(Receiver.class).inNamespace(s.namespace).withName("shop")
                .edit(r -> { r.getSpec().setResourceFilter("req.image.contains(res.metadata.name)"); return r; });
        String path = awaitReady(s, "shop").getStatus().getWebhookPath();

        assertThat(call(path, "{\"image\":\"registry.example/shop-api:1.2.3\"}", "application/json")).isEqualTo(200);

        assertThat(requestedAt(s, "shop-api")).as("named by the body and prod").isNotNull();
        assertThat(requestedAt(s, "shop-web")).as("not named by the body").isNull();
        assertThat(requestedAt(s, "shop-api-canary")).as("named by the body but not prod").isNull();
    }

    @Test
    void aFilterThatCannotBeEvaluatedFailsTheCall() throws Exception {
        NotificationScenario s = new NotificationScenario("filter-error", objects);
        s.secret("token", Map.of("token", "generic-token"));
        gitRepository(s, "app", Map.of());
        ReceiverWebhookTest.receiver(s, "strict", Receiver.TYPE_GENERIC, "token", null, resource("GitRepository", "app", null));
        s.client.resources(Receiver.class).inNamespace(s.namespace).withName("strict")
                .edit(r -> { r.getSpec().setResourceFilter("req.image.startsWith('registry')"); return r; });
        String path = awaitReady(s, "strict").getStatus().getWebhookPath();

        assertThat(call(path, "{\"other\":1}", "application/json")).as("req.image is missing").isEqualTo(500);
        assertThat(call(path, "not json", "application/json")).isEqualTo(500);
        assertThat(requestedAt(s, "app")).isNull();
    }

    private int call(String path, String body, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
