package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.HelmRepository;
import io.currents.api.source.v1.HelmRepositoryStatus;
import io.currents.runtime.options.UnsupportedOptions;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.StoredArtifact;
import io.currents.source.helm.HelmAccess;
import io.currents.source.helm.HelmHttp;
import io.currents.source.helm.HelmIndex;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reconciles a HelmRepository of type {@code default} into its index artifact: fetch
 * {@code <url>/index.yaml} with the repository's credentials and TLS settings, check it is a Helm
 * index, store the exact bytes as {@code index-<sha256>.yaml} with revision and digest
 * {@code sha256:<hex>}, point {@code index.yaml} at it, garbage-collect older ones. A repository of
 * type {@code oci} is a plain data container, as in Flux: no artifact and no conditions.
 */
@ControllerConfiguration(name = "helmrepository", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class HelmRepositoryReconciler extends FluxReconciler<HelmRepository, HelmRepositoryStatus> implements Cleaner<HelmRepository> {

    static final String KIND = "HelmRepository";
    static final String INDEXATION_FAILED = HelmRepository.INDEXATION_FAILED_REASON;

    @Inject
    ArtifactStorage storage;
    @Inject
    HelmCredentials credentials;

    @ConfigProperty(name = "helm-index-max-size", defaultValue = "50Mi")
    String indexMaxSize;

    @Override
    protected HelmRepositoryStatus newStatus() {
        return new HelmRepositoryStatus();
    }

    @Override
    protected Duration defaultInterval() {
        return Duration.ofMinutes(1);
    }

    @Override
    protected Map<String, String> eventMetadata(Reconciliation<HelmRepository, HelmRepositoryStatus> r) {
        return SourceKinds.artifactMetadata(r.status().getArtifact());
    }

    /** Flux's API carries {@code accessFrom} but no Flux controller implements it (provisional); neither does this one. */
    private static final UnsupportedOptions UNSUPPORTED = UnsupportedOptions.builder().whenSet("spec.accessFrom").build();

    @Override
    protected UnsupportedOptions unsupportedOptions() {
        return UNSUPPORTED;
    }

    @Override
    protected Ready steps(Reconciliation<HelmRepository, HelmRepositoryStatus> r) throws ReconcileFailure {
        HelmAccess access = access(r);
        Artifact current = intactArtifact(r);
        byte[] index = fetchIndex(r, access);
        String revision = "sha256:" + sha256(index);
        if (current != null && revision.equals(current.getRevision()) && revision.equals(current.getDigest())) {
            r.revision(revision);
            r.conditions().delete(SourceKinds.FETCH_FAILED);
            r.conditions().delete(SourceKinds.ARTIFACT_OUTDATED);
            String message = "stored artifact: revision '" + revision + "'";
            r.conditions().markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, message);
            return Ready.of(Conditions.SUCCEEDED, message);
        }
        return storeIndex(r, access, index, revision);
    }

    /** Flux keeps OCI HelmRepositories as static objects: no artifact, no conditions. */
    @Override
    protected boolean leftAlone(HelmRepository repo) {
        return HelmRepository.TYPE_OCI.equals(repo.getSpec().getType());
    }

    /** Whatever a default-type past left in the status of an OCI HelmRepository goes. */
    @Override
    protected void leftAlone(HelmRepository repo, HelmRepositoryStatus status) {
        if (status.getArtifact() != null) {
            try (AutoCloseable lock = storage.lock(KIND, repo.getMetadata().getNamespace(), repo.getMetadata().getName())) {
                storage.removeAll(KIND, repo.getMetadata().getNamespace(), repo.getMetadata().getName());
            } catch (Exception e) {
                log.warnf("could not remove artifacts of %s: %s", key(repo), e.getMessage());
            }
        }
        metrics.recordCondition(repo, List.of(), Conditions.READY, true);
        boolean empty = status.getArtifact() == null && status.getUrl() == null && status.getObservedGeneration() == null
                && status.getConditions().isEmpty() && status.getLastHandledReconcileAt() == null;
        if (!empty) {
            // a merge patch with nulls: a status apply only removes the fields this controller wrote itself
            client.resources(HelmRepository.class).inNamespace(repo.getMetadata().getNamespace()).withName(repo.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"status\":{\"artifact\":null,\"url\":null,\"conditions\":null,\"observedGeneration\":null,\"lastHandledReconcileAt\":null}}");
        }
    }

    /** 1. The URL (an oci:// URL needs type oci), credentials and TLS settings. */
    private HelmAccess access(Reconciliation<HelmRepository, HelmRepositoryStatus> r) throws ReconcileFailure {
        String url = r.object().getSpec().getUrl();
        if (url != null && url.startsWith("oci://")) {
            String message = "invalid Helm repository URL: 'oci' URL scheme cannot be used with 'default' HelmRepository type";
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, SourceKinds.URL_INVALID, message);
            throw ReconcileFailure.stalled(SourceKinds.URL_INVALID, message);
        }
        try {
            return credentials.access(r.object());
        } catch (HelmCredentials.AccessException e) {
            boolean invalidUrl = e.reason().equals(SourceKinds.URL_INVALID);
            String message = invalidUrl ? "invalid Helm repository URL: " + e.getMessage() : e.getMessage();
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, e.reason(), message);
            throw invalidUrl ? ReconcileFailure.stalled(e.reason(), message) : ReconcileFailure.retry(e.reason(), message);
        }
    }

    /** 2. The stored index artifact, or null (and status cleared of it) when there is none or it left storage. */
    private Artifact intactArtifact(Reconciliation<HelmRepository, HelmRepositoryStatus> r) {
        HelmRepositoryStatus status = r.status();
        return SourceKinds.intactArtifact(r, storage, status.getArtifact(), () -> {
            status.setArtifact(null);
            status.setUrl(null);
        });
    }

    /** 3. {@code <url>/index.yaml}, within the size limit. */
    private byte[] fetchIndex(Reconciliation<HelmRepository, HelmRepositoryStatus> r, HelmAccess access) throws ReconcileFailure {
        try {
            return HelmHttp.get(HelmHttp.indexUrl(access.url()), access, SourceKinds.parseSize(indexMaxSize));
        } catch (HelmHttp.FetchException e) {
            String message = "failed to fetch Helm repository index: " + e.getMessage();
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, Conditions.FAILED, message);
            throw ReconcileFailure.retry(Conditions.FAILED, message);
        }
    }

    /** 4. A new index: check it is one, store the exact bytes, point index.yaml at them, collect older ones. */
    private Ready storeIndex(Reconciliation<HelmRepository, HelmRepositoryStatus> r, HelmAccess access, byte[] index, String revision)
            throws ReconcileFailure {
        HelmRepository repo = r.object();
        Conditions conditions = r.conditions();
        HelmIndex parsed;
        try {
            parsed = HelmIndex.parse(index);
        } catch (HelmIndex.InvalidIndexException e) {
            String message = "failed to load Helm repository from index YAML: " + e.getMessage();
            conditions.markTrue(SourceKinds.FETCH_FAILED, INDEXATION_FAILED, message);
            throw ReconcileFailure.retry(INDEXATION_FAILED, message);
        }
        conditions.delete(SourceKinds.FETCH_FAILED);
        String newRevision = "new index revision '" + revision + "'";
        if (r.status().getArtifact() != null) {
            conditions.markTrue(SourceKinds.ARTIFACT_OUTDATED, "NewRevision", newRevision);
        }
        conditions.markReconciling(Conditions.PROGRESSING, "building artifact: " + newRevision);
        log.debugf("%s: index with %d chart versions, revision %s", r.key(), parsed.size(), revision);

        String ns = repo.getMetadata().getNamespace();
        String name = repo.getMetadata().getName();
        String filename = "index-" + revision.substring("sha256:".length()) + ".yaml";
        ArtifactStorage.Published published;
        try {
            published = storage.publish(KIND, ns, name, filename, revision, out -> out.write(index), "index.yaml",
                    SourceKinds.pathOf(r.before().getArtifact()));
        } catch (IOException | RuntimeException e) {
            String message = "failed to store artifact: " + SourceKinds.describe(e);
            conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, SourceKinds.ARCHIVE_OPERATION_FAILED, message);
            throw ReconcileFailure.retry(SourceKinds.ARCHIVE_OPERATION_FAILED, message);
        }
        StoredArtifact stored = published.artifact();
        HelmIndex.remember(stored.digest(), parsed);
        String statusUrl = published.linkUrl();
        conditions.delete(SourceKinds.STORAGE_OPERATION_FAILED);
        conditions.delete(SourceKinds.ARTIFACT_OUTDATED);
        r.status().setArtifact(SourceKinds.toArtifact(stored));
        r.status().setUrl(statusUrl);
        r.revision(revision);
        String message = "stored artifact: revision '" + revision + "'";
        conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, message);
        return Ready.of(Conditions.SUCCEEDED, message).changed().announcedAs("NewArtifact", "stored fetched index of size "
                + SourceKinds.humanSize(stored.size()) + " from '" + GitCredentials.redact(access.url()) + "'", Map.of());
    }

    /** On deletion: remove every artifact of the object, then let it go. */
    @Override
    public DeleteControl cleanup(HelmRepository repo, Context<HelmRepository> context) {
        return SourceKinds.removeArtifacts(repo, KIND, storage, this::forget);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
