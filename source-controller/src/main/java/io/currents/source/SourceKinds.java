package io.currents.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.meta.Artifact;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.SourceConditions;
import io.currents.runtime.Conditions;
import io.currents.runtime.ReconcileMetrics;
import io.currents.runtime.RequeuePolicy;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.StoredArtifact;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/** What the source reconcilers share: Flux's condition types and reasons, and the status write at the end of a reconcile. */
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(SourceKinds.class);

    private SourceKinds() {
    }

    /**
     * A source's deletion: remove every artifact it stored, forget its requeue state and metrics, then let it go; when
     * the storage cannot be cleaned, keep the finalizer and try again in 10 s.
     */
    static DeleteControl removeArtifacts(HasMetadata obj, String kind, ArtifactStorage storage, RequeuePolicy requeue,
                                         ReconcileMetrics metrics) {
        String namespace = obj.getMetadata().getNamespace();
        String name = obj.getMetadata().getName();
        try (AutoCloseable lock = storage.lock(kind, namespace, name)) {
            storage.removeAll(kind, namespace, name);
        } catch (Exception e) {
            LOG.warnf("could not remove artifacts of %s: %s", key(obj), e.getMessage());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(10));
        }
        requeue.forget(key(obj));
        metrics.recordCondition(obj, java.util.List.of(), Conditions.READY, true);
        return DeleteControl.defaultDelete();
    }

    static String key(HasMetadata obj) {
        return obj.getKind() + "/" + obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
    }

    static <T> T copy(T value, Class<T> type) {
        return JSON.convertValue(value, type);
    }

    /** Writes the status only when it changed, and asks to come back after {@code next} (never when null). */
    static <P extends CustomResource<?, S>, S> UpdateControl<P> finish(P obj, S before, S after, Duration next) {
        UpdateControl<P> control;
        if (Objects.equals(JSON.valueToTree(before), JSON.valueToTree(after))) {
            control = UpdateControl.noUpdate();
        } else {
            obj.setStatus(after);
            obj.getMetadata().setManagedFields(null);
            // Kubernetes 1.20 records fields applied through /status in the same managed-fields
            // entry as the object: sending the spec would make the controller co-own it and
            // conflict with users who apply the spec server-side.
            obj.setSpec(null);
            // The status is ours alone (server-side apply, forced): no optimistic lock, so a
            // finalizer or annotation change since the read does not make the write fail.
            obj.getMetadata().setResourceVersion(null);
            control = UpdateControl.patchStatus(obj);
        }
        return next == null ? control : control.rescheduleAfter(next);
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

    static String describe(Throwable e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
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

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
