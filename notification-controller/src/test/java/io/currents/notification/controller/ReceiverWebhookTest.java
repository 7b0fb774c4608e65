package io.currents.notification.controller;

import io.currents.api.meta.LocalObjectReference;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.currents.api.notification.v1.ReceiverSpec;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositorySpec;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.ReconcileRequest;
import io.fabric8.kubernetes.api.model.Condition;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Receiver publishes Flux's webhook path; a genuine GitHub or GitLab call asks its sources to reconcile at once,
 * a forged one is refused.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ReceiverWebhookTest {

    private static final String PUSH = "{\"ref\":\"refs/heads/main\",\"after\":\"8c6b1f2e\",\"repository\":{\"full_name\":\"acme/fleet\"}}";

    @Inject
    NotificationObjects objects;
    @Inject
    ReceiverServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSignedGitHubPushAnnotatesTheGitRepositoryAndAForgedOneIsRefused() throws Exception {
        NotificationScenario s = new NotificationScenario("receiver", objects);
        s.secret("webhook-token", Map.of("token", "gh-webhook-secret"));
        gitRepository(s, "fleet", Map.of());
        receiver(s, "github", Receiver.TYPE_GITHUB, "webhook-token", List.of("push"), resource("GitRepository", "fleet", null));

        Receiver ready = awaitReady(s, "github");
        String expectedPath = "/hook/" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(("gh-webhook-secret" + "github" + s.namespace).getBytes(StandardCharsets.UTF_8)));
        assertThat(ready.getStatus().getWebhookPath()).isEqualTo(expectedPath);
        assertThat(readyCondition(ready).getReason()).isEqualTo("Succeeded");
        assertThat(readyCondition(ready).getMessage()).isEqualTo("Receiver initialized for path: " + expectedPath);

        // as in Flux, a ping is an event like any other: not in spec.events, it is refused
        assertThat(call(expectedPath, PUSH, Map.of("X-GitHub-Event", "ping", "X-Hub-Signature-256", sign("gh-webhook-secret", PUSH)))).isEqualTo(400);
        assertThat(requestedAt(s, "fleet")).isNull();

        assertThat(call(expectedPath, PUSH, Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", sign("wrong-secret", PUSH)))).isEqualTo(400);
        assertThat(call(expectedPath, PUSH, Map.of("X-GitHub-Event", "push"))).isEqualTo(400);
        assertThat(call(expectedPath, PUSH, Map.of("X-GitHub-Event", "issues", "X-Hub-Signature-256", sign("gh-webhook-secret", PUSH)))).isEqualTo(400);
        assertThat(requestedAt(s, "fleet")).isNull();

        assertThat(call(expectedPath, PUSH, Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", sign("gh-webhook-secret", PUSH)))).isEqualTo(200);
        assertThat(requestedAt(s, "fleet")).isNotNull();

        assertThat(call("/hook/" + "0".repeat(64), PUSH, Map.of())).isEqualTo(404);
    }

    @Test
    void aGitLabCallWithTheTokenAnnotatesEveryLabelledRepository() throws Exception {
        NotificationScenario s = new NotificationScenario("gitlab-recv", objects);
        s.secret("token", Map.of("token", "gl-token"));
        gitRepository(s, "web", Map.of("team", "web"));
        gitRepository(s, "web-assets", Map.of("team", "web"));
        gitRepository(s, "db", Map.of("team", "db"));
        ReceiverResource all = resource("GitRepository", "*", null);
        all.setMatchLabels(Map.of("team", "web"));
        receiver(s, "gitlab", Receiver.TYPE_GITLAB, "token", null, all);
        String path = awaitReady(s, "gitlab").getStatus().getWebhookPath();

        assertThat(call(path, "{}", Map.of("X-Gitlab-Token", "not-it", "X-Gitlab-Event", "Push Hook"))).isEqualTo(400);
        assertThat(call(path, "{}", Map.of("X-Gitlab-Token", "gl-token", "X-Gitlab-Event", "Push Hook"))).isEqualTo(200);

        assertThat(requestedAt(s, "web")).isNotNull();
        assertThat(requestedAt(s, "web-assets")).isNotNull();
        assertThat(requestedAt(s, "db")).isNull();
    }

    @Test
    void aReceiverWithoutItsSecretIsNotReadyAndSaysWhy() {
        NotificationScenario s = new NotificationScenario("no-token", objects);
        receiver(s, "orphan", Receiver.TYPE_GENERIC, "missing-secret", null, resource("GitRepository", "fleet", null));

        NotificationScenario.await(() -> {
            Receiver r = s.client.resources(Receiver.class).inNamespace(s.namespace).withName("orphan").get();
            return r.getStatus() != null && Conditions.isFalse(r.getStatus().getConditions(), Conditions.READY);
        }, "Ready=False on the receiver");
        Condition ready = readyCondition(s.client.resources(Receiver.class).inNamespace(s.namespace).withName("orphan").get());
        assertThat(ready.getReason()).isEqualTo(Receiver.TOKEN_NOT_FOUND_REASON);
        assertThat(ready.getMessage()).contains("Secret '" + s.namespace + "/missing-secret'").contains("not found");

        // creating the Secret makes it Ready without any other change
        s.secret("missing-secret", Map.of("token", "late"));
        s.client.resources(Receiver.class).inNamespace(s.namespace).withName("orphan")
                .edit(r -> { r.getMetadata().setAnnotations(Map.of(ReconcileRequest.REQUESTED_AT_ANNOTATION, "now")); return r; });
        awaitReady(s, "orphan");
    }

    static ReceiverResource resource(String kind, String name, String namespace) {
        ReceiverResource r = new ReceiverResource();
        r.setKind(kind);
        r.setName(name);
        r.setNamespace(namespace);
        return r;
    }

    static void gitRepository(NotificationScenario s, String name, Map<String, String> labels) {
        GitRepository repo = new GitRepository();
        repo.getMetadata().setName(name);
        repo.getMetadata().setNamespace(s.namespace);
        repo.getMetadata().setLabels(labels);
        GitRepositorySpec spec = new GitRepositorySpec();
        spec.setUrl("https://github.com/acme/" + name);
        spec.setInterval("10m");
        repo.setSpec(spec);
        s.client.resources(GitRepository.class).inNamespace(s.namespace).resource(repo).create();
    }

    static void receiver(NotificationScenario s, String name, String type, String secret, List<String> events,
                                 ReceiverResource... resources) {
        Receiver r = new Receiver();
        r.getMetadata().setName(name);
        r.getMetadata().setNamespace(s.namespace);
        ReceiverSpec spec = new ReceiverSpec();
        spec.setType(type);
        LocalObjectReference ref = new LocalObjectReference();
        ref.setName(secret);
        spec.setSecretRef(ref);
        spec.setEvents(events);
        spec.setResources(List.of(resources));
        r.setSpec(spec);
        s.client.resources(Receiver.class).inNamespace(s.namespace).resource(r).create();
    }

    static Receiver awaitReady(NotificationScenario s, String name) {
        NotificationScenario.await(() -> {
            Receiver r = s.client.resources(Receiver.class).inNamespace(s.namespace).withName(name).get();
            return r.getStatus() != null && Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY);
        }, "receiver " + name + " Ready");
        return s.client.resources(Receiver.class).inNamespace(s.namespace).withName(name).get();
    }

    private static Condition readyCondition(Receiver r) {
        return Conditions.find(r.getStatus().getConditions(), Conditions.READY).orElseThrow();
    }

    static String requestedAt(NotificationScenario s, String name) {
        Map<String, String> annotations = s.client.resources(GitRepository.class).inNamespace(s.namespace).withName(name)
                .get().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ReconcileRequest.REQUESTED_AT_ANNOTATION);
    }

    private int call(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String sign(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
