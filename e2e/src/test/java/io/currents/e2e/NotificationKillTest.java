package io.currents.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.testkit.TcpProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.currents.e2e.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * notification-controller SIGKILLed while it is delivering events to a webhook, and started again on the same port.
 *
 * <p>The guarantee (beyond Flux's, which keeps accepted events in memory and delivers them at most once): with the event
 * spool on, as in the shipped Deployment and {@code dev up} ({@code EVENTS_SPOOL_DIR}), an event is acknowledged (202)
 * once it is on disk and leaves the spool when its delivery finished, so what was accepted and not yet delivered when the
 * process dies is delivered after the restart (at least once). The test asserts that events in their retries at the
 * kill all arrive after the restart, once each here (the webhook refused every attempt before the kill), that events
 * delivered before the kill are not delivered again, and that events posted after the restart are all delivered, once.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(4)
class NotificationKillTest extends FaultScenario {

    static final int EVENTS = 10;
    /** notification-controller's retries of a failed delivery: after 1s, 2s, 4s and 8s. */
    static final Duration RETRY_BUDGET = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    String scenario() {
        return "notify-kill";
    }

    @Test
    void eventsAcceptedBeforeAKillAreDeliveredAfterTheRestartAndNoneTwice() throws Exception {
        try (WebhookRecorder webhook = WebhookRecorder.start(); TcpProxy proxy = TcpProxy.start(URI.create(webhook.url()).getPort());
             HttpClient http = HttpClient.newHttpClient()) {
            applyAlert(through(webhook.url(), proxy), "Kustomization/app");
            // the Alert is matched once notification-controller has seen it: post probes until one arrives
            int[] probe = {0};
            await("notification-controller delivers for the new Alert", CONVERGE, () -> {
                post(http, "probe-" + probe[0]++);
                Eventually.sleep(Duration.ofMillis(500));
                return !delivered(webhook, "probe-").isEmpty();
            }, () -> "received " + webhook.events());

            List<String> before = names("before", EVENTS);
            before.forEach(m -> assertThat(post(http, m)).as("POST " + m).isEqualTo(202));
            await("the events posted before the fault are delivered", Duration.ofSeconds(60),
                    () -> delivered(webhook, "before-").size() == EVENTS, () -> "received " + delivered(webhook, "before-"));

            proxy.resetConnections();
            List<String> inFlight = names("in-flight", EVENTS);
            inFlight.forEach(m -> assertThat(post(http, m)).as("POST " + m).isEqualTo(202));
            await("notification-controller is retrying the deliveries", Duration.ofSeconds(30), () -> proxy.resets() >= EVENTS,
                    () -> proxy.resets() + " connections reset");
            cluster.kill(Controller.NOTIFICATION);
            proxy.restore();
            long restart = System.nanoTime();
            cluster.restart(Controller.NOTIFICATION);
            long ready = Duration.ofNanos(System.nanoTime() - restart).toMillis();

            List<String> after = names("after", EVENTS);
            // the Alert is in notification-controller's cache only once it has listed Alerts: the first events after
            // the restart are posted as a controller does, and each must arrive
            after.forEach(m -> assertThat(post(http, m)).as("POST " + m + " after the restart").isEqualTo(202));
            await("the events posted after the restart are delivered", Duration.ofSeconds(60),
                    () -> delivered(webhook, "after-").size() == EVENTS, () -> "received " + delivered(webhook, "after-"));
            await("the events in their retries at the kill are delivered from the spool after the restart", Duration.ofSeconds(60),
                    () -> delivered(webhook, "in-flight-").size() >= EVENTS, () -> "received " + delivered(webhook, "in-flight-"));
            // a second delivery of any of them could only come within the retry budget
            Eventually.sleep(RETRY_BUDGET);

            Map<String, Long> counts = webhook.events().stream().map(e -> String.valueOf(e.get("message")))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            long inFlightDelivered = inFlight.stream().filter(counts::containsKey).count();
            System.out.printf("[faults] notification-controller SIGKILL with %d deliveries in their retries: %d of them delivered after the"
                            + " restart from the spool, %d lost; %d/%d events posted before and %d/%d after delivered once; ready %d ms after"
                            + " the restart%n",
                    EVENTS, inFlightDelivered, EVENTS - inFlightDelivered, before.stream().filter(m -> counts.getOrDefault(m, 0L) == 1).count(),
                    EVENTS, after.stream().filter(m -> counts.getOrDefault(m, 0L) == 1).count(), EVENTS, ready);
            assertThat(counts).as("no event is delivered twice").allSatisfy((message, n) -> assertThat(n).as(message).isEqualTo(1L));
            assertThat(before).as("delivered before the kill, not again after it").allSatisfy(m -> assertThat(counts).containsEntry(m, 1L));
            assertThat(inFlight).as("accepted before the kill, delivered after the restart").allSatisfy(m -> assertThat(counts).containsEntry(m, 1L));
            assertThat(after).as("posted after the restart").allSatisfy(m -> assertThat(counts).containsEntry(m, 1L));
        }
    }

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static List<String> delivered(WebhookRecorder webhook, String prefix) {
        return webhook.events().stream().map(e -> String.valueOf(e.get("message"))).filter(m -> m.startsWith(prefix)).toList();
    }

    /** POSTs an info event of Kustomization app with this message to notification-controller, as a controller does. */
    private int post(HttpClient http, String message) {
        try {
            String event = JSON.writeValueAsString(Map.of(
                    "involvedObject", Map.of("apiVersion", "kustomize.toolkit.fluxcd.io/v1", "kind", "Kustomization", "name", "app",
                            "namespace", ns),
                    "severity", "info",
                    "timestamp", Instant.now().toString(),
                    "message", message,
                    "reason", "ReconciliationSucceeded",
                    "reportingController", "kustomize-controller"));
            int port = cluster.controller(Controller.NOTIFICATION).httpPort();
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
