package io.currents.runtime.artifact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flux's retention (records and TTL) when a new artifact is published, and the one rule on top of it: the artifact the
 * object's status in the cluster still names stays, however old, because the status naming the new one is written after
 * the publish and may fail to be written (an API server outage).
 */
class ArtifactStorageRetentionTest {

    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

    private ArtifactStorage storage() {
        return new ArtifactStorage(root, "storage.local", Duration.ofSeconds(60), 2, clock);
    }

    private ArtifactStorage.Published publish(ArtifactStorage storage, String filename, String inUse) throws IOException {
        return storage.publish("HelmRepository", "team", "charts", filename, "sha256:" + filename,
                out -> out.write(filename.getBytes(StandardCharsets.UTF_8)), "index.yaml", inUse);
    }

    private boolean exists(String filename) {
        return Files.exists(root.resolve("helmrepository/team/charts").resolve(filename));
    }

    @Test
    void anArtifactOlderThanTheTtlGoesWhenTheStatusNoLongerNamesIt() throws IOException {
        ArtifactStorage storage = storage();
        publish(storage, "index-a.yaml", null);
        clock.advance(Duration.ofMinutes(5));
        publish(storage, "index-b.yaml", null);
        assertThat(exists("index-a.yaml")).isFalse();
        assertThat(exists("index-b.yaml")).isTrue();
    }

    @Test
    void theArtifactTheStatusStillNamesStaysUntilALaterPublish() throws IOException {
        ArtifactStorage storage = storage();
        String a = publish(storage, "index-a.yaml", null).artifact().path();
        clock.advance(Duration.ofMinutes(5));
        // the status still names a: the write naming b has not happened (or failed)
        publish(storage, "index-b.yaml", a);
        assertThat(exists("index-a.yaml")).as("the artifact the status names").isTrue();
        assertThat(storage.verify(a, "sha256:" + sha256("index-a.yaml"))).isTrue();

        // the status write failed; the next reconcile stores b again, a still named
        publish(storage, "index-b.yaml", a);
        assertThat(exists("index-a.yaml")).isTrue();

        // once the status names b, a is collected as Flux would
        clock.advance(Duration.ofMinutes(5));
        publish(storage, "index-c.yaml", "helmrepository/team/charts/index-b.yaml");
        assertThat(exists("index-a.yaml")).isFalse();
        assertThat(exists("index-b.yaml")).isTrue();
        assertThat(exists("index-c.yaml")).isTrue();
    }

    @Test
    void aPathOutsideTheObjectsDirectoryProtectsNothing() throws IOException {
        ArtifactStorage storage = storage();
        publish(storage, "index-a.yaml", null);
        clock.advance(Duration.ofMinutes(5));
        publish(storage, "index-b.yaml", "helmrepository/other/charts/index-a.yaml");
        assertThat(exists("index-a.yaml")).isFalse();
    }

    private static String sha256(String content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
