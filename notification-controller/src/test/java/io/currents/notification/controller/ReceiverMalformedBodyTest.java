package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.currents.notification.controller.ReceiverWebhookTest.awaitReady;
import static io.currents.notification.controller.ReceiverWebhookTest.gitRepository;
import static io.currents.notification.controller.ReceiverWebhookTest.receiver;
import static io.currents.notification.controller.ReceiverWebhookTest.requestedAt;
import static io.currents.notification.controller.ReceiverWebhookTest.resource;
import static io.currents.notification.controller.ReceiverWebhookTest.sign;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receivers that decode the body (dockerhub, quay, acr, nexus, cdevents) refuse a malformed one with 400 (invalid JSON,
 * empty, not an object, a field of another type than the payload Flux decodes into), a body over the limit gets 413
 * even when its length is not announced, nothing is annotated and the endpoint keeps serving; GitHub's body is only
 * signed, never decoded, and a replayed correctly signed call is accepted again, as in Flux.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ReceiverMalformedBodyTest {

    private static final String TOKEN = "registry-token";

    @Inject
    NotificationObjects objects;
    @Inject
    ReceiverServer server;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void malformedRegistryPayloadsAreRefusedWith400AndAnnotateNothing() throws Exception {
        NotificationScenario s = scenario("malformed-recv");
        Map<String, String> paths = new LinkedHashMap<>();
        for (String type : List.of(Receiver.TYPE_DOCKERHUB, Receiver.TYPE_QUAY, Receiver.TYPE_ACR, Receiver.TYPE_NEXUS, Receiver.TYPE_CDEVENTS)) {
            receiver(s, type, type, "token", List.of(), resource("GitRepository", "fleet", null));
        }
        for (String type : List.of(Receiver.TYPE_DOCKERHUB, Receiver.TYPE_QUAY, Receiver.TYPE_ACR, Receiver.TYPE_NEXUS, Receiver.TYPE_CDEVENTS)) {
            paths.put(type, awaitReady(s, type).getStatus().getWebhookPath());
        }
        List<String> anyType = List.of("", "{\"push_data\":", "not json at all", "[]", "\"a string\"", "42");
        Map<String, List<String>> wrongTypes = Map.of(
                Receiver.TYPE_DOCKERHUB, List.of("{\"push_data\":\"1.2.3\"}", "{\"push_data\":{\"tag\":5}}", "{\"repository\":[\"acme/app\"]}"),
                Receiver.TYPE_QUAY, List.of("{\"updated_tags\":\"v1\"}", "{\"updated_tags\":[1,2]}", "{\"docker_url\":{}}"),
                Receiver.TYPE_ACR, List.of("{\"target\":\"app:1\"}", "{\"action\":true}", "{\"target\":{\"tag\":1.5}}"),
                Receiver.TYPE_NEXUS, List.of("{\"action\":[\"CREATED\"]}", "{\"repositoryName\":7}"),
                Receiver.TYPE_CDEVENTS, List.of("{\"context\":\"x\"}", "{\"context\":{\"specversion\":\"0.4.1\"}}"));

        int refused = 0;
        for (var entry : paths.entrySet()) {
            String type = entry.getKey();
            for (String body : concat(anyType, wrongTypes.get(type))) {
                HttpResponse<String> answer = call(entry.getValue(), body, headers(type, body));
                assertThat(answer.statusCode()).as(type + " with " + body).isEqualTo(400);
                assertThat(answer.body()).as(type + " with " + body).isEqualTo("unable to validate payload\n");
                refused++;
            }
        }
        assertThat(refused).isEqualTo(5 * anyType.size() + 13);
        assertThat(requestedAt(s, "fleet")).as("nothing annotated").isNull();

        // the endpoint still serves a well-formed call of each kind
        String push = "{\"push_data\":{\"tag\":\"1.2.3\"},\"repository\":{\"repo_url\":\"https://hub.docker.com/r/acme/app\"}}";
        assertThat(call(paths.get(Receiver.TYPE_DOCKERHUB), push, Map.of()).statusCode()).isEqualTo(200);
        assertThat(requestedAt(s, "fleet")).isNotNull();
        String nexus = "{\"action\":\"CREATED\",\"repositoryName\":\"docker-hosted\"}";
        assertThat(call(paths.get(Receiver.TYPE_NEXUS), nexus, headers(Receiver.TYPE_NEXUS, nexus)).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413EvenWhenItsLengthIsNotAnnounced() throws Exception {
        NotificationScenario s = scenario("oversized-recv");
        receiver(s, "quay", Receiver.TYPE_QUAY, "token", List.of(), resource("GitRepository", "fleet", null));
        String path = awaitReady(s, "quay").getStatus().getWebhookPath();

        // chunked: no Content-Length for the server to refuse up front; the body is sent until the server answers
        String status;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            long sent = 0;
            try {
                while (in.available() == 0 && sent < 2 * ReceiverServer.MAX_BODY) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    sent += chunk.length;
                }
            } catch (IOException closedByTheServer) {
                // the server answered and closed while the rest of the body was on its way: the answer is read below
            }
            status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(sent).as("refused once past the limit, not before").isGreaterThan(ReceiverServer.MAX_BODY - chunk.length);
        }
        assertThat(status).isEqualTo("HTTP/1.1 413");
        assertThat(requestedAt(s, "fleet")).isNull();
        assertThat(call(path, "{\"docker_url\":\"quay.io/acme/app\",\"updated_tags\":[\"v1\"]}", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void gitHubsBodyIsSignedNotDecodedAndAReplayedSignedCallIsAcceptedAgain() throws Exception {
        NotificationScenario s = new NotificationScenario("replay-recv", objects);
        s.secret("token", Map.of("token", "gh-secret"));
        gitRepository(s, "fleet", Map.of());
        receiver(s, "github", Receiver.TYPE_GITHUB, "token", List.of("push"), resource("GitRepository", "fleet", null));
        String path = awaitReady(s, "github").getStatus().getWebhookPath();

        String broken = "{\"ref\": \"refs/heads/ma";
        assertThat(call(path, broken, Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", sign("other", broken))).statusCode())
                .as("a malformed body with a forged signature").isEqualTo(400);
        assertThat(call(path, "", Map.of("X-GitHub-Event", "push")).statusCode()).as("an empty unsigned body").isEqualTo(400);
        assertThat(requestedAt(s, "fleet")).isNull();

        String push = "{\"ref\":\"refs/heads/main\",\"after\":\"8c6b1f2e\"}";
        Map<String, String> signed = Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", sign("gh-secret", push),
                "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(call(path, push, signed).statusCode()).isEqualTo(200);
        String first = requestedAt(s, "fleet");
        assertThat(first).isNotNull();

        // the same delivery again (same body, signature and delivery id): Flux keeps no record of deliveries and
        // neither does Currents, so it is one more reconcile request, never an error
        assertThat(call(path, push, signed).statusCode()).isEqualTo(200);
        String second = requestedAt(s, "fleet");
        assertThat(second).isNotEqualTo(first);
        assertThat(Instant.parse(second)).isAfter(Instant.parse(first));

        // as in Flux, the body of a correctly signed call is not decoded: malformed JSON still requests a reconcile
        assertThat(call(path, broken, Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", sign("gh-secret", broken))).statusCode())
                .isEqualTo(200);
        assertThat(requestedAt(s, "fleet")).isNotEqualTo(second);
    }

    private NotificationScenario scenario(String prefix) {
        NotificationScenario s = new NotificationScenario(prefix, objects);
        s.secret("token", Map.of("token", TOKEN));
        gitRepository(s, "fleet", Map.of());
        return s;
    }

    private static Map<String, String> headers(String type, String body) throws Exception {
        if (Receiver.TYPE_NEXUS.equals(type)) {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Map.of("X-Nexus-Webhook-Signature", HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))));
        }
        return Map.of();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private HttpResponse<String> call(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }
}
