package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.HelmRepository;
import io.currents.api.source.v1.HelmRepositorySpec;
import io.currents.api.source.v1.HelmRepositoryStatus;
import io.currents.runtime.Conditions;
import io.currents.runtime.EventRecorder;
import io.currents.runtime.FluxDuration;
import io.currents.runtime.FluxUpdateFilter;
import io.currents.runtime.ReconcileMetrics;
import io.currents.runtime.ReconcileRequest;
import io.currents.runtime.RequeuePolicy;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.StoredArtifact;
import io.currents.source.helm.HelmAccess;
import io.currents.source.helm.HelmHttp;
import io.currents.source.helm.HelmIndex;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reconciles a HelmRepository of type {@code default} into its index artifact: fetch
 * {@code <url>/index.yaml} with the repository's credentials and TLS settings, check it is a Helm
 * index, store the exact bytes as {@code index-<sha256>.yaml} with revision and digest
 * {@code sha256:<hex>}, point {@code index.yaml} at it, garbage-collect older ones. A repository of
 * type {@code oci} is a plain data container, as in Flux: no artifact and no conditions.
 */
@ControllerConfiguration(name = "helmrepository", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class HelmRepositoryReconciler implements Reconciler<HelmRepository>, Cleaner<HelmRepository> {

    static final String KIND = "HelmRepository";
    static final String INDEXATION_FAILED = HelmRepository.INDEXATION_FAILED_REASON;
    private static final Logger LOG = Logger.getLogger(HelmRepositoryReconciler.class);

    @Inject
    KubernetesClient client;
    @Inject
    ArtifactStorage storage;
    @Inject
    EventRecorder events;
    @Inject
    ReconcileMetrics metrics;
    @Inject
    HelmCredentials credentials;

    @ConfigProperty(name = "interval-jitter-percentage", defaultValue = "5")
    int jitterPercentage;
    @ConfigProperty(name = "helm-index-max-size", defaultValue = "50Mi")
    String indexMaxSize;

    private final Clock clock = Clock.systemUTC();
    private volatile RequeuePolicy requeue;

    @Override
    public UpdateControl<HelmRepository> reconcile(HelmRepository repo, Context<HelmRepository> context) {
        long started = System.nanoTime();
        HelmRepositorySpec spec = repo.getSpec();
        HelmRepositoryStatus status = repo.getStatus() == null ? new HelmRepositoryStatus() : repo.getStatus();
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        HelmRepositoryStatus before = SourceKinds.copy(status, HelmRepositoryStatus.class);
        String key = SourceKinds.key(repo);

        if (HelmRepository.TYPE_OCI.equals(spec.getType())) {
            return staticOciRepository(repo, before, status);
        }

        ReconcileRequest.requestedAt(repo).ifPresent(status::setLastHandledReconcileAt);
        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        metrics.recordSuspend(repo, suspended);
        if (suspended) {
            LOG.debugf("%s is suspended", key);
            return SourceKinds.finish(repo, before, status, null);
        }

        Conditions conditions = Conditions.of(status.getConditions(), repo.getMetadata().getGeneration(), clock);
        Duration interval = FluxDuration.parseOr(spec.getInterval(), Duration.ofMinutes(1));
        Outcome outcome;
        try {
            outcome = reconcileIndex(repo, status, conditions);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure reconciling %s", key);
            outcome = Outcome.retry(Conditions.FAILED, "reconciliation failed: " + SourceKinds.describe(e));
        }

        status.setObservedGeneration(repo.getMetadata().getGeneration());
        Duration next;
        if (outcome.ready) {
            conditions.markReady(Conditions.SUCCEEDED, outcome.message);
            next = requeue().afterSuccess(key, interval);
        } else if (outcome.stalled) {
            conditions.markStalled(outcome.reason, outcome.message);
            next = null;
        } else {
            conditions.markFailedWithRetry(outcome.reason, outcome.message);
            next = requeue().afterFailure(key, interval);
        }
        recordEvent(repo, before, status, outcome);
        metrics.recordCondition(repo, status.getConditions(), Conditions.READY, false);
        metrics.recordDuration(repo, Duration.ofNanos(System.nanoTime() - started));
        return SourceKinds.finish(repo, before, status, next);
    }

    /** Flux keeps OCI HelmRepositories as static objects: whatever a default-type past left in status goes. */
    private UpdateControl<HelmRepository> staticOciRepository(HelmRepository repo, HelmRepositoryStatus before, HelmRepositoryStatus status) {
        if (status.getArtifact() != null) {
            removeArtifacts(repo);
        }
        metrics.recordCondition(repo, List.of(), Conditions.READY, true);
        boolean empty = status.getArtifact() == null && status.getUrl() == null && status.getObservedGeneration() == null
                && status.getConditions().isEmpty() && status.getLastHandledReconcileAt() == null;
        if (!empty) {
            // a merge patch with nulls: the status write at the end of a reconcile only ever adds or replaces fields
            client.resources(HelmRepository.class).inNamespace(repo.getMetadata().getNamespace()).withName(repo.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"status\":{\"artifact\":null,\"url\":null,\"conditions\":null,\"observedGeneration\":null,\"lastHandledReconcileAt\":null}}");
        }
        return UpdateControl.noUpdate();
    }

    private Outcome reconcileIndex(HelmRepository repo, HelmRepositoryStatus status, Conditions conditions) {
        String ns = repo.getMetadata().getNamespace();
        String name = repo.getMetadata().getName();
        String url = repo.getSpec().getUrl();

        if (url != null && url.startsWith("oci://")) {
            String msg = "invalid Helm repository URL: 'oci' URL scheme cannot be used with 'default' HelmRepository type";
            conditions.markTrue(SourceKinds.FETCH_FAILED, SourceKinds.URL_INVALID, msg);
            return Outcome.stalled(SourceKinds.URL_INVALID, msg);
        }
        HelmAccess access;
        try {
            access = credentials.access(repo);
        } catch (HelmCredentials.AccessException e) {
            String msg = e.reason().equals(SourceKinds.URL_INVALID) ? "invalid Helm repository URL: " + e.getMessage() : e.getMessage();
            conditions.markTrue(SourceKinds.FETCH_FAILED, e.reason(), msg);
            return e.reason().equals(SourceKinds.URL_INVALID) ? Outcome.stalled(e.reason(), msg) : Outcome.retry(e.reason(), msg);
        }

        Artifact current = status.getArtifact();
        boolean currentIntact = current != null && storage.verify(current.getPath(), current.getDigest());
        if (current != null && !currentIntact) {
            status.setArtifact(null);
            status.setUrl(null);
            conditions.delete(SourceKinds.ARTIFACT_IN_STORAGE);
            conditions.markReconciling(Conditions.PROGRESSING, "building artifact: disappeared from storage");
            current = null;
        } else if (current == null) {
            conditions.markReconciling(Conditions.PROGRESSING, "building artifact");
        }

        byte[] index;
        try {
            index = HelmHttp.get(HelmHttp.indexUrl(access.url()), access, SourceKinds.parseSize(indexMaxSize));
        } catch (HelmHttp.FetchException e) {
            String msg = "failed to fetch Helm repository index: " + e.getMessage();
            conditions.markTrue(SourceKinds.FETCH_FAILED, Conditions.FAILED, msg);
            return Outcome.retry(Conditions.FAILED, msg);
        }
        String revision = "sha256:" + sha256(index);
        if (current != null && revision.equals(current.getRevision()) && revision.equals(current.getDigest())) {
            conditions.delete(SourceKinds.FETCH_FAILED);
            conditions.delete(SourceKinds.ARTIFACT_OUTDATED);
            String msg = "stored artifact: revision '" + revision + "'";
            conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, msg);
            return Outcome.ready(msg, current, false);
        }

        HelmIndex parsed;
        try {
            parsed = HelmIndex.parse(index);
        } catch (HelmIndex.InvalidIndexException e) {
            String msg = "failed to load Helm repository from index YAML: " + e.getMessage();
            conditions.markTrue(SourceKinds.FETCH_FAILED, INDEXATION_FAILED, msg);
            return Outcome.retry(INDEXATION_FAILED, msg);
        }
        conditions.delete(SourceKinds.FETCH_FAILED);
        String newRevision = "new index revision '" + revision + "'";
        if (current != null) {
            conditions.markTrue(SourceKinds.ARTIFACT_OUTDATED, "NewRevision", newRevision);
        }
        conditions.markReconciling(Conditions.PROGRESSING, "building artifact: " + newRevision);
        LOG.debugf("%s: index with %d chart versions, revision %s", SourceKinds.key(repo), parsed.size(), revision);

        String filename = "index-" + revision.substring("sha256:".length()) + ".yaml";
        StoredArtifact stored;
        String statusUrl;
        try (AutoCloseable lock = storage.lock(KIND, ns, name)) {
            stored = storage.store(KIND, ns, name, filename, revision, out -> out.write(index));
            if (!stored.digest().equals(revision) || !storage.verify(stored.path(), stored.digest())) {
                throw new java.io.IOException("artifact " + stored.path() + " failed verification after writing");
            }
            statusUrl = storage.symlink(KIND, ns, name, filename, "index.yaml");
            List<String> removed = storage.garbageCollect(KIND, ns, name, filename);
            if (!removed.isEmpty()) {
                LOG.debugf("garbage collected %s", removed);
            }
        } catch (Exception e) {
            String msg = "failed to store artifact: " + SourceKinds.describe(e);
            conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, SourceKinds.ARCHIVE_OPERATION_FAILED, msg);
            return Outcome.retry(SourceKinds.ARCHIVE_OPERATION_FAILED, msg);
        }
        conditions.delete(SourceKinds.STORAGE_OPERATION_FAILED);
        conditions.delete(SourceKinds.ARTIFACT_OUTDATED);
        Artifact artifact = SourceKinds.toArtifact(stored);
        status.setArtifact(artifact);
        status.setUrl(statusUrl);
        String msg = "stored artifact: revision '" + revision + "'";
        conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, msg);
        return Outcome.ready(msg, artifact, true, "stored fetched index of size " + SourceKinds.humanSize(stored.size())
                + " from '" + GitCredentials.redact(access.url()) + "'");
    }

    private void recordEvent(HelmRepository repo, HelmRepositoryStatus before, HelmRepositoryStatus after, Outcome outcome) {
        Condition oldReady = Conditions.find(before.getConditions(), Conditions.READY).orElse(null);
        Condition newReady = Conditions.find(after.getConditions(), Conditions.READY).orElse(null);
        boolean readyChanged = oldReady == null || newReady == null
                || !Objects.equals(oldReady.getStatus(), newReady.getStatus())
                || !Objects.equals(oldReady.getMessage(), newReady.getMessage());
        if (outcome.ready) {
            Map<String, String> meta = Map.of("revision", outcome.artifact.getRevision(), "digest", outcome.artifact.getDigest());
            if (outcome.newArtifact) {
                events.normal(repo, "NewArtifact", outcome.eventMessage, meta);
            } else if (oldReady != null && !Conditions.TRUE.equals(oldReady.getStatus())) {
                events.normal(repo, Conditions.SUCCEEDED, outcome.message, meta);
            }
        } else if (readyChanged) {
            Map<String, String> meta = after.getArtifact() == null ? Map.of() : Map.of("revision", after.getArtifact().getRevision());
            events.warning(repo, outcome.reason, outcome.message, meta);
        }
    }

    private void removeArtifacts(HelmRepository repo) {
        try (AutoCloseable lock = storage.lock(KIND, repo.getMetadata().getNamespace(), repo.getMetadata().getName())) {
            storage.removeAll(KIND, repo.getMetadata().getNamespace(), repo.getMetadata().getName());
        } catch (Exception e) {
            LOG.warnf("could not remove artifacts of %s: %s", SourceKinds.key(repo), e.getMessage());
        }
    }

    /** On deletion: remove every artifact of the object, then let it go. */
    @Override
    public DeleteControl cleanup(HelmRepository repo, Context<HelmRepository> context) {
        return SourceKinds.removeArtifacts(repo, KIND, storage, requeue(), metrics);
    }

    private RequeuePolicy requeue() {
        if (requeue == null) {
            requeue = new RequeuePolicy(jitterPercentage, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
        return requeue;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What one reconcile came to. */
    record Outcome(boolean ready, boolean stalled, String reason, String message, Artifact artifact,
                   boolean newArtifact, String eventMessage) {
        static Outcome ready(String message, Artifact artifact, boolean newArtifact) {
            return new Outcome(true, false, Conditions.SUCCEEDED, message, artifact, newArtifact, message);
        }

        static Outcome ready(String message, Artifact artifact, boolean newArtifact, String eventMessage) {
            return new Outcome(true, false, Conditions.SUCCEEDED, message, artifact, newArtifact, eventMessage);
        }

        static Outcome retry(String reason, String message) {
            return new Outcome(false, false, reason, message, null, false, null);
        }

        static Outcome stalled(String reason, String message) {
            return new Outcome(false, true, reason, message, null, false, null);
        }
    }
}
