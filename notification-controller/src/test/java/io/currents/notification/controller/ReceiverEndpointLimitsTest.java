package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.testkit.ControlPlane;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook endpoint faces the internet: an unknown path is answered before its body is read and costs no API call,
 * bodies are capped, and a few slow callers cannot hold more than a bounded number of calls open.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class ReceiverEndpointLimitsTest {

    @Inject
    NotificationObjects objects;
    @Inject
    ReceiverServer server;

    // webhook senders speak HTTP/1.1
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void anUnknownPathIsRefusedBeforeItsBodyIsReadAndWithoutAskingTheApiServer() throws Exception {
        long listsBefore = receiverLists();
        for (int i = 0; i < 3; i++) {
            // "Expect: 100-continue": the 404 comes before any of the body is sent. Sending the body at once raced the
            // server's answer and close, which the client could see as a connection that ended without a response.
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/hook/" + "f".repeat(63) + i))
                    .timeout(Duration.ofSeconds(10)).expectContinue(true)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1 << 20])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(404);
        }
        assertThat(receiverLists()).as("LIST calls on receivers").isEqualTo(listsBefore);

        // a client that waits for "100 Continue" never has to send its 20 MiB
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/hook/" + "e".repeat(64)))
                .timeout(Duration.ofSeconds(10)).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[20 << 20])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
    }

    @Test
    void bodiesAreCappedAndSlowCallersHoldABoundedNumberOfCalls() throws Exception {
        NotificationScenario s = new NotificationScenario("receiver-limits", objects);
        s.secret("token", Map.of("token", "generic-token"));
        ReceiverWebhookTest.gitRepository(s, "fleet", Map.of());
        ReceiverWebhookTest.receiver(s, "generic", Receiver.TYPE_GENERIC, "token", List.of(),
                ReceiverWebhookTest.resource("GitRepository", "fleet", null));
        String path = ReceiverWebhookTest.awaitReady(s, "generic").getStatus().getWebhookPath();

        HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) ReceiverServer.MAX_BODY + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).isEqualTo(413);

        // callers that send headers and then nothing more of their body each hold a call open
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < ReceiverServer.MAX_IN_FLIGHT; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{\"partial\":")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            NotificationScenario.await(() -> post(path) == 503, "a call beyond " + ReceiverServer.MAX_IN_FLIGHT + " is refused");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        NotificationScenario.await(() -> post(path) == 200, "calls are served again once the slow callers are gone");
    }

    private int post(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** How many LIST requests on Receivers the API server has answered (its own metrics). */
    private static long receiverLists() {
        String metrics = ControlPlane.shared().client().raw("/metrics");
        return metrics.lines()
                .filter(l -> l.startsWith("apiserver_request_total{") && l.contains("resource=\"receivers\"") && l.contains("verb=\"LIST\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
