package io.currents.runtime.artifact;

import io.currents.api.meta.Artifact;
import io.currents.testkit.artifact.ArtifactServer;
import io.currents.testkit.artifact.PublishedArtifact;
import io.currents.testkit.artifact.Tarball;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a controller downloads is bounded before it is unpacked, not only what it unpacks. */
class ArtifactFetcherLimitsTest {

    @Test
    void aDownloadLargerThanTheLimitStopsThereEvenIfItUnpacksSmall(@TempDir Path dir) throws Exception {
        // a small tar.gz followed by 4 MiB that gunzip ignores: whatever the URL serves is written to disk first
        byte[] small = Tarball.of(Map.of("app.yaml", "kind: ConfigMap\n"));
        byte[] padded = java.util.Arrays.copyOf(small, small.length + (4 << 20));
        try (ArtifactServer server = ArtifactServer.start()) {
            PublishedArtifact published = server.publishBytes("gitrepository/ns/app/padded.tar.gz", "main@sha1:" + "a".repeat(40), padded);
            Artifact artifact = new Artifact();
            artifact.setUrl(published.url());
            artifact.setDigest(published.digest());
            artifact.setRevision(published.revision());
            ArtifactFetcher fetcher = new ArtifactFetcher(0, 1 << 20, null);

            assertThatThrownBy(() -> fetcher.fetch(artifact, dir.resolve("out")))
                    .hasMessageContaining("artifact exceeds the maximum size of 1048576 bytes");
            try (var left = Files.list(dir)) {
                assertThat(left).as("the partial download is removed").noneMatch(p -> p.getFileName().toString().startsWith("artifact-"));
            }
        }
    }
}
