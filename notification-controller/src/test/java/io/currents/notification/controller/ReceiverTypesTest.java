package io.currents.notification.controller;

import io.currents.api.meta.LocalObjectReference;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.currents.api.notification.v1.ReceiverSpec;
import io.currents.api.source.v1.OCIRepository;
import io.currents.api.source.v1.OCIRepositorySpec;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.ReconcileRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The generic-hmac, harbor and dockerhub Receivers check calls their own way; a suspended Receiver does nothing. */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ReceiverTypesTest {

    @Inject
    NotificationObjects objects;
    @Inject
    ReceiverServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void genericHmacNeedsTheBodysSignature() throws Exception {
        NotificationScenario s = scenario("hmac-recv", "app");
        String path = receiver(s, "hmac", Receiver.TYPE_GENERIC_HMAC);
        String body = "{\"image\":\"ghcr.io/acme/app:1.2.3\"}";

        assertThat(call(path, body, Map.of("X-Signature", ReceiverWebhookTest.sign("other", body)))).isEqualTo(400);
        assertThat(requestedAt(s, "app")).isNull();
        assertThat(call(path, body, Map.of("X-Signature", ReceiverWebhookTest.sign("registry-token", body)))).isEqualTo(200);
        assertThat(requestedAt(s, "app")).isNotNull();
    }

    @Test
    void harborNeedsTheTokenAsAuthorization() throws Exception {
        NotificationScenario s = scenario("harbor-recv", "app");
        String path = receiver(s, "harbor", Receiver.TYPE_HARBOR);

        assertThat(call(path, "{}", Map.of("Authorization", "nope"))).isEqualTo(400);
        assertThat(call(path, "{}", Map.of("Authorization", "registry-token"))).isEqualTo(200);
        assertThat(requestedAt(s, "app")).isNotNull();
    }

    @Test
    void dockerHubNeedsAPushPayload() throws Exception {
        NotificationScenario s = scenario("dockerhub-recv", "app");
        String path = receiver(s, "dockerhub", Receiver.TYPE_DOCKERHUB);

        assertThat(call(path, "push_data=tag", Map.of())).isEqualTo(400);
        assertThat(requestedAt(s, "app")).isNull();
        assertThat(call(path, "{\"push_data\":{\"tag\":\"1.2.3\"},\"repository\":{\"repo_name\":\"acme/app\"}}", Map.of())).isEqualTo(200);
        assertThat(requestedAt(s, "app")).isNotNull();
    }

    @Test
    void aSuspendedReceiverAnswers503AndAnnotatesNothing() throws Exception {
        NotificationScenario s = scenario("suspended-recv", "app");
        String path = receiver(s, "paused", Receiver.TYPE_GENERIC);
        s.client.resources(Receiver.class).inNamespace(s.namespace).withName("paused").edit(r -> {
            r.getSpec().setSuspend(true);
            return r;
        });
        NotificationScenario.await(() -> objects.receiverFor(path).map(r -> Boolean.TRUE.equals(r.getSpec().getSuspend())).orElse(false),
                "the suspension in the controller's cache");

        assertThat(call(path, "{}", Map.of())).isEqualTo(503);
        assertThat(requestedAt(s, "app")).isNull();
    }

    private NotificationScenario scenario(String prefix, String repository) {
        NotificationScenario s = new NotificationScenario(prefix, objects);
        s.secret("token", Map.of("token", "registry-token"));
        OCIRepository repo = new OCIRepository();
        repo.getMetadata().setName(repository);
        repo.getMetadata().setNamespace(s.namespace);
        OCIRepositorySpec spec = new OCIRepositorySpec();
        spec.setUrl("oci://ghcr.io/acme/" + repository);
        spec.setInterval("10m");
        repo.setSpec(spec);
        s.client.resources(OCIRepository.class).inNamespace(s.namespace).resource(repo).create();
        return s;
    }

    private static String receiver(NotificationScenario s, String name, String type) {
        Receiver r = new Receiver();
        r.getMetadata().setName(name);
        r.getMetadata().setNamespace(s.namespace);
        ReceiverSpec spec = new ReceiverSpec();
        spec.setType(type);
        LocalObjectReference ref = new LocalObjectReference();
        ref.setName("token");
        spec.setSecretRef(ref);
        ReceiverResource resource = new ReceiverResource();
        resource.setKind("OCIRepository");
        resource.setName("app");
        spec.setResources(List.of(resource));
        r.setSpec(spec);
        s.client.resources(Receiver.class).inNamespace(s.namespace).resource(r).create();
        NotificationScenario.await(() -> {
            Receiver current = s.client.resources(Receiver.class).inNamespace(s.namespace).withName(name).get();
            return current.getStatus() != null && Conditions.isTrue(current.getStatus().getConditions(), Conditions.READY);
        }, "receiver " + name + " Ready");
        return s.client.resources(Receiver.class).inNamespace(s.namespace).withName(name).get().getStatus().getWebhookPath();
    }

    private static String requestedAt(NotificationScenario s, String name) {
        Map<String, String> annotations = s.client.resources(OCIRepository.class).inNamespace(s.namespace).withName(name)
                .get().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ReconcileRequest.REQUESTED_AT_ANNOTATION);
    }

    private int call(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
