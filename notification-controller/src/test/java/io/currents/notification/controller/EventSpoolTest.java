package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event spool on its own: what it writes, what a new process recovers from it, what it skips, and its bounds. */
class EventSpoolTest {

    @TempDir
    Path dir;

    @Test
    void anAcceptedEventIsOnDiskUntilFinishedAndANewProcessRecoversTheUnfinishedOnesInOrder() throws Exception {
        EventSpool first = EventSpool.open(dir, 10, 1 << 20);
        AcceptedEvent delivered = first.write(event("one"));
        AcceptedEvent pending = first.write(event("two"));
        AcceptedEvent alsoPending = first.write(event("three"));
        assertThat(files()).hasSize(3);
        assertThat(Files.readString(files().get(0))).contains("\"message\":\"one\"").doesNotContain("token");

        delivered.expect(2);
        delivered.done();
        assertThat(files()).as("one of two deliveries finished").hasSize(3);
        delivered.done();
        assertThat(files()).as("both finished").hasSize(2);
        assertThat(first.events()).isEqualTo(2);

        // the process is killed here: a new one finds the two others, oldest first
        EventSpool second = EventSpool.open(dir, 10, 1 << 20);
        assertThat(second.events()).isEqualTo(2);
        List<AcceptedEvent> recovered = second.recover();
        assertThat(recovered).extracting(a -> a.event().message()).containsExactly("two", "three");
        assertThat(recovered.get(0).event().involvedObject().getName()).isEqualTo(pending.event().involvedObject().getName());
        assertThat(second.recover()).as("recovered once").isEmpty();
        recovered.forEach(a -> a.expect(0));
        assertThat(files()).isEmpty();
        assertThat(second.events()).isZero();
        assertThat(second.bytes()).isZero();
        assertThat(alsoPending.isReleased()).isFalse();
    }

    @Test
    void corruptTruncatedAndInvalidFilesAreSkippedAndRemovedAtRecovery() throws Exception {
        EventSpool first = EventSpool.open(dir, 10, 1 << 20);
        first.write(event("kept"));
        String whole = Files.readString(files().get(0));
        Files.writeString(dir.resolve("0000000000001-000000001-trunc.json"), whole.substring(0, whole.length() / 2));
        Files.writeString(dir.resolve("0000000000002-000000002-garbage.json"), "\u0000\u0001 not json");
        Files.writeString(dir.resolve("0000000000003-000000003-invalid.json"), "{\"severity\":\"info\",\"message\":\"m\",\"reason\":\"r\"}");
        Files.writeString(dir.resolve("0000000000004-000000004-empty.json"), "");
        Files.writeString(dir.resolve(".0000000000005-000000005-half.json.tmp"), "{\"involvedObject\"");

        EventSpool second = EventSpool.open(dir, 10, 1 << 20);
        assertThat(dir.resolve(".0000000000005-000000005-half.json.tmp")).as("an unacknowledged write").doesNotExist();
        List<AcceptedEvent> recovered = second.recover();

        assertThat(recovered).extracting(a -> a.event().message()).containsExactly("kept");
        assertThat(files()).hasSize(1);
        assertThat(second.events()).isEqualTo(1);
    }

    @Test
    void aFullSpoolRefusesUntilAnEventIsFinished() throws Exception {
        EventSpool spool = EventSpool.open(dir, 2, 1 << 20);
        AcceptedEvent first = spool.write(event("a"));
        spool.write(event("b"));
        assertThatThrownBy(() -> spool.write(event("c"))).isInstanceOf(EventSpool.Full.class)
                .hasMessageContaining("events-spool-max-events=2");
        first.expect(0);
        assertThat(spool.write(event("c"))).isNotNull();
        assertThat(files()).hasSize(2);

        long size = Files.size(files().get(0));
        EventSpool small = EventSpool.open(dir.resolve("small"), 100, size * 2);
        small.write(event("x"));
        small.write(event("y"));
        assertThatThrownBy(() -> small.write(event("z"))).isInstanceOf(EventSpool.Full.class)
                .hasMessageContaining("events-spool-max-bytes=" + size * 2);
        assertThat(EventSpool.open(dir.resolve("small"), 100, size * 2).events()).as("counted again by a new process").isEqualTo(2);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    private static FluxEvent event(String message) {
        return new FluxEvent(new ObjectReferenceBuilder().withApiVersion("kustomize.toolkit.fluxcd.io/v1").withKind("Kustomization")
                .withName("apps").withNamespace("default").build(), "info", "2026-12-05T10:00:00Z", message, "ReconciliationSucceeded",
                Map.of("revision", "main@sha1:abc"), "kustomize-controller", "kustomize-controller-1");
    }
}
