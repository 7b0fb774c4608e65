package io.currents.sourcewatcher.build;

import io.currents.api.meta.Artifact;
import io.currents.api.source.extensions.v1beta1.ArtifactGenerator;
import io.currents.api.source.extensions.v1beta1.OutputArtifact;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.StoredArtifact;
import io.currents.runtime.artifact.TarballWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one ExternalArtifact's archive: applies its copy operations into a fresh staging directory, names the file
 * by the contents' hash, writes the reproducible tar.gz into the storage ({@code externalartifact/<ns>/<name>/}),
 * verifies it and collects older files, and gives it Flux's revision: {@code latest@<digest>}, or the revision of the
 * source {@code spec.artifacts[].revision} names; {@code originRevision} becomes the
 * {@code org.opencontainers.image.revision} metadata.
 */
public final class ArtifactBuild {

    /** Storage kind of generated artifacts (the lower-cased kind, as Flux's storage paths have it). */
    public static final String KIND = "ExternalArtifact";

    /** What a source offers a build: its unpacked directory and its artifact's revision and origin revision. */
    public record Source(Path dir, String revision, String originRevision) {
    }

    private final ArtifactStorage storage;
    private final long maxBytes;

    public ArtifactBuild(ArtifactStorage storage, long maxBytes) {
        this.storage = storage;
        this.maxBytes = maxBytes;
    }

    /**
     * Collects the older artifacts of {@code artifact}'s ExternalArtifact, once its status names {@code artifact}: until
     * then consumers may still be fetching the one it named before (and if that write failed, they still must).
     */
    public void collectOlder(String namespace, String name, Artifact artifact) throws IOException {
        String path = artifact.getPath();
        String filename = path.substring(path.lastIndexOf('/') + 1);
        try (AutoCloseable lock = storage.lock(KIND, namespace, name)) {
            storage.garbageCollect(KIND, namespace, name, filename);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Builds and stores the artifact in {@code namespace}; {@code workspace} is scratch space that the caller removes. */
    public Artifact build(OutputArtifact spec, Map<String, Source> sources, String namespace, Path workspace)
            throws BuildException, IOException {
        Path staging = Files.createDirectories(workspace.resolve("staging-" + System.nanoTime()).resolve(spec.getName()));
        Map<String, Path> dirs = new LinkedHashMap<>();
        sources.forEach((alias, source) -> dirs.put(alias, source.dir()));
        new ArtifactAssembler(dirs, staging, maxBytes).apply(spec.getCopy());

        String filename = ContentHash.of(staging, spec.getName()) + ".tar.gz";
        StoredArtifact stored;
        try (AutoCloseable lock = storage.lock(KIND, namespace, spec.getName())) {
            stored = storage.store(KIND, namespace, spec.getName(), filename, null, out -> TarballWriter.write(staging, null, out));
            if (!storage.verify(stored.path(), stored.digest())) {
                throw new IOException("artifact " + stored.path() + " failed verification after writing");
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }

        Artifact artifact = new Artifact();
        artifact.setPath(stored.path());
        artifact.setUrl(stored.url());
        artifact.setDigest(stored.digest());
        artifact.setSize(stored.size());
        artifact.setLastUpdateTime(stored.lastUpdateTime().toString());
        artifact.setRevision("latest@" + stored.digest());
        Source revision = alias(sources, spec.getRevision());
        if (revision != null) {
            artifact.setRevision(revision.revision());
        }
        if (spec.getOriginRevision() != null && !spec.getOriginRevision().isEmpty()) {
            Map<String, String> metadata = new LinkedHashMap<>();
            Source origin = alias(sources, spec.getOriginRevision());
            if (origin != null) {
                metadata.put(ArtifactGenerator.ORIGIN_REVISION_ANNOTATION,
                        origin.originRevision() != null && !origin.originRevision().isEmpty() ? origin.originRevision() : origin.revision());
            }
            artifact.setMetadata(metadata);
        }
        return artifact;
    }

    private static Source alias(Map<String, Source> sources, String reference) {
        return reference == null || reference.isEmpty() ? null : sources.get(reference.replaceFirst("^@", ""));
    }
}
