package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Provider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.currents.notification.controller.NotificationScenario.source;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code events-spool-dir}, an acknowledged event is on disk until all its deliveries finished, events left there
 * by a killed process are routed and delivered by the next one, and a full spool answers 503 until it has room.
 * (Profile: a spool of at most 3 events; 2 retries, 200ms backoff doubling.)
 */
@QuarkusTest
@TestProfile(SpooledEventsTest.Spool.class)
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class SpooledEventsTest {

    static final Path DIR = Path.of("target", "events-spool-" + ProcessHandle.current().pid()).toAbsolutePath();

    /** The spool on, small. */
    public static class Spool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("events-spool-dir", DIR.toString(), "events-spool-max-events", "3");
        }
    }

    @Inject
    NotificationObjects objects;

    @Inject
    EventQueue queue;

    @Test
    void anAcceptedEventIsInTheSpoolUntilItsDeliveryIsGivenUp() throws Exception {
        NotificationScenario s = new NotificationScenario("spool-ack", objects);
        try (RecordingServer down = new RecordingServer()) {
            down.answerWith(500);
            down.delay(Duration.ofMillis(300));
            s.route("down", Provider.TYPE_GENERIC, down.url("/"), spec -> { });
            awaitEmptySpool();

            assertThat(s.post(s.event("Kustomization", "apps", "error", "BuildFailed", "spooled before the 202", Map.of()))).isEqualTo(202);

            List<Path> spooled = files();
            assertThat(spooled).as("written before the answer").hasSize(1);
            assertThat(Files.readString(spooled.get(0))).contains("spooled before the 202", s.namespace);
            s.awaitWarning("down", "NotificationDispatchFailed");
            NotificationScenario.await(() -> files().isEmpty(), "the spool file removed once the delivery was given up");
            assertThat(down.requests()).as("3 attempts").hasSize(3);
        }
    }

    @Test
    void eventsLeftInTheSpoolByAKilledProcessAreDeliveredAndCorruptFilesRemoved() throws Exception {
        NotificationScenario s = new NotificationScenario("spool-replay", objects);
        try (RecordingServer webhook = new RecordingServer()) {
            s.route("webhook", Provider.TYPE_GENERIC, webhook.url("/"), spec -> { });
            awaitEmptySpool();
            // another process's spool on the same directory, killed after acknowledging two events
            EventSpool killed = EventSpool.open(DIR, 3, 1 << 20);
            killed.write(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "accepted before the kill 1", Map.of()));
            killed.write(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "accepted before the kill 2", Map.of()));
            Files.writeString(DIR.resolve("0000000000000-000000000-corrupt.json"), "{\"involvedObject\": {\"kind\": \"Kustom");

            // routed oldest first (EventSpoolTest), delivered by the dispatch pool in any order
            queue.replay();

            assertThat(webhook.await(2, r -> true, Duration.ofSeconds(20)))
                    .extracting(r -> r.json().path("message").asText())
                    .containsExactlyInAnyOrder("accepted before the kill 1", "accepted before the kill 2");
            NotificationScenario.await(() -> files().isEmpty(), "the replayed events and the corrupt file removed");
            assertThat(queue.spool().events()).isZero();
            RecordingServer.sleep(500);
            assertThat(webhook.requests()).as("each once").hasSize(2);
        }
    }

    @Test
    void aFullSpoolAnswers503AndTheSendersRetryIsAcceptedOnceThereIsRoom() throws Exception {
        NotificationScenario s = new NotificationScenario("spool-full", objects);
        try (RecordingServer slow = new RecordingServer()) {
            slow.delay(Duration.ofSeconds(3)); // the four posts come well within the first delivery
            s.route("slow", Provider.TYPE_GENERIC, slow.url("/"), spec -> { });
            awaitEmptySpool();

            for (int i = 0; i < 3; i++) {
                assertThat(s.post(s.event("Kustomization", "apps", "info", "Progressing", "event " + i, Map.of()))).isEqualTo(202);
            }
            var fourth = s.event("Kustomization", "apps", "info", "Progressing", "event 3", Map.of());
            assertThat(s.post(fourth)).as("spool full").isEqualTo(503);
            assertThat(files()).hasSize(3);

            awaitEmptySpool();
            assertThat(s.post(fourth)).as("the retry is not refused as a duplicate").isEqualTo(202);
            assertThat(slow.await(4, r -> true, Duration.ofSeconds(20))).extracting(r -> r.json().path("message").asText())
                    .containsExactlyInAnyOrder("event 0", "event 1", "event 2", "event 3");
        }
    }

    private static void awaitEmptySpool() {
        NotificationScenario.await(() -> files().isEmpty(), "an empty spool");
    }

    private static List<Path> files() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
