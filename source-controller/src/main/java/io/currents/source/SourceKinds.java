package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.SourceConditions;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.Reconciliation;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.StoredArtifact;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** What the source reconcilers share: Flux's condition types and reasons, artifacts in status and events, deletion. */
final class SourceKinds {

    // Flux's condition types and reasons, as the API model defines them.
    static final String ARTIFACT_IN_STORAGE = SourceConditions.ARTIFACT_IN_STORAGE_CONDITION;
    static final String ARTIFACT_OUTDATED = SourceConditions.ARTIFACT_OUTDATED_CONDITION;
    static final String SOURCE_VERIFIED = SourceConditions.SOURCE_VERIFIED_CONDITION;
    static final String FETCH_FAILED = SourceConditions.FETCH_FAILED_CONDITION;
    static final String INCLUDE_UNAVAILABLE = GitRepository.INCLUDE_UNAVAILABLE_CONDITION;
    static final String STORAGE_OPERATION_FAILED = SourceConditions.STORAGE_OPERATION_FAILED_CONDITION;
    static final String URL_INVALID = SourceConditions.URL_INVALID_REASON;
    static final String AUTHENTICATION_FAILED = SourceConditions.AUTHENTICATION_FAILED_REASON;
    static final String GIT_OPERATION_FAILED = GitRepository.GIT_OPERATION_FAILED_REASON;
    static final String VERIFICATION_ERROR = SourceConditions.VERIFICATION_ERROR_REASON;
    static final String BUILD_FAILED = SourceConditions.BUILD_FAILED_CONDITION;
    static final String ARCHIVE_OPERATION_FAILED = SourceConditions.ARCHIVE_OPERATION_FAILED_REASON;

    private static final Logger LOG = Logger.getLogger(SourceKinds.class);

    private SourceKinds() {
    }

    /**
     * A source's deletion: remove every artifact it stored, forget its requeue state and metrics, then let it go; when
     * the storage cannot be cleaned, keep the finalizer and try again in 10 s.
     */
    static <T extends HasMetadata> DeleteControl removeArtifacts(T obj, String kind, ArtifactStorage storage, Consumer<T> forget) {
        String namespace = obj.getMetadata().getNamespace();
        String name = obj.getMetadata().getName();
        try (AutoCloseable lock = storage.lock(kind, namespace, name)) {
            storage.removeAll(kind, namespace, name);
        } catch (Exception e) {
            LOG.warnf("could not remove artifacts of %s: %s", FluxReconciler.key(obj), e.getMessage());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(10));
        }
        forget.accept(obj);
        return DeleteControl.defaultDelete();
    }

    /**
     * The stored artifact when it is still intact; otherwise null, with the status cleared of it ({@code clear}) and
     * the rebuild reported as progress, as Flux words it.
     */
    static Artifact intactArtifact(Reconciliation<?, ?> r, ArtifactStorage storage, Artifact current, Runnable clear) {
        if (current != null && !intact(storage, current)) {
            clear.run();
            r.conditions().delete(ARTIFACT_IN_STORAGE);
            r.progress("building artifact: disappeared from storage");
            return null;
        }
        if (current == null) {
            r.progress("building artifact");
        }
        return current;
    }

    /**
     * Whether the stored artifact is still intact; when it is, its URL is set to this controller's advertised address
     * again, as Flux does on every reconcile: the address may have changed since the artifact was stored (a restarted
     * controller on another port, a renamed Service), and consumers would otherwise fetch from where nothing serves.
     */
    static boolean intact(ArtifactStorage storage, Artifact artifact) {
        if (artifact == null || !storage.verify(artifact.getPath(), artifact.getDigest())) {
            return false;
        }
        artifact.setUrl(storage.urlFor(artifact.getPath()));
        return true;
    }

    /** A source's event metadata, as Flux annotates them: the artifact's revision and digest. */
    /** The storage-relative path of an artifact, null for none: what a publish must not collect while a status names it. */
    static String pathOf(Artifact artifact) {
        return artifact == null ? null : artifact.getPath();
    }

    static Map<String, String> artifactMetadata(Artifact artifact) {
        if (artifact == null || artifact.getRevision() == null) {
            return Map.of();
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(FluxMeta.REVISION_METADATA_KEY, artifact.getRevision());
        if (artifact.getDigest() != null) {
            metadata.put(FluxMeta.DIGEST_METADATA_KEY, artifact.getDigest());
        }
        return metadata;
    }

    static Artifact toArtifact(StoredArtifact stored) {
        Artifact a = new Artifact();
        a.setPath(stored.path());
        a.setUrl(stored.url());
        a.setRevision(stored.revision());
        a.setDigest(stored.digest());
        a.setSize(stored.size());
        a.setLastUpdateTime(stored.lastUpdateTime().toString());
        return a;
    }

    static long parseSize(String quantity) {
        return new Quantity(quantity).getNumericalAmount().longValue();
    }

    /** A size in decimal units with four significant digits, as Flux words sizes in events ("30.88kB"). */
    static String humanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < units.length - 1) {
            size /= 1000;
            unit++;
        }
        return new java.math.BigDecimal(size).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString() + units[unit];
    }

    /**
     * The Stalled message for a cloud {@code provider} (aws, azure, gcp) of an OCIRepository, OCI HelmRepository or
     * Bucket: Currents has no workload-identity login for it, so it says so instead of pulling anonymously.
     */
    static String unsupportedProvider(String provider) {
        return "provider '" + provider + "' is not supported by Currents: workload-identity login to cloud registries is not"
                + " implemented; use provider 'generic' with spec.secretRef or spec.serviceAccountName image pull secrets";
    }

    static String describe(Throwable e) {
        return FluxReconciler.describe(e);
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.strip();
        int nl = line.indexOf('\n');
        line = nl < 0 ? line : line.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }

    static void copyTree(Path source, Path target) throws IOException {
        if (Files.isRegularFile(source)) {
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            return;
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()),
                        StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
