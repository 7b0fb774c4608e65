package io.currents.runtime.artifact;

import java.time.Instant;

/** An artifact file written to storage: where it lives, where it is served, and what it contains. */
public record StoredArtifact(String path, String url, String revision, String digest, long size, Instant lastUpdateTime) {
}
