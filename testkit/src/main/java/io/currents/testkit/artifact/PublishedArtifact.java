package io.currents.testkit.artifact;

import java.util.LinkedHashMap;
import java.util.Map;

/** An artifact served by {@link ArtifactServer}, with the fields of a source's {@code status.artifact}. */
public record PublishedArtifact(String path, String url, String revision, String digest, long size, String lastUpdateTime) {

    /** The artifact as the map {@code status.artifact} holds. */
    public Map<String, Object> toStatus() {
        Map<String, Object> artifact = new LinkedHashMap<>();
        artifact.put("path", path);
        artifact.put("url", url);
        artifact.put("revision", revision);
        artifact.put("digest", digest);
        artifact.put("size", size);
        artifact.put("lastUpdateTime", lastUpdateTime);
        return artifact;
    }

    /** The same artifact with another digest, for tests of digest verification. */
    public PublishedArtifact withDigest(String otherDigest) {
        return new PublishedArtifact(path, url, revision, otherDigest, size, lastUpdateTime);
    }
}
