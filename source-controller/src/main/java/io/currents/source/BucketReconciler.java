package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.BucketSpec;
import io.currents.api.source.v1.BucketStatus;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.SourceIgnore;
import io.currents.runtime.artifact.StoredArtifact;
import io.currents.runtime.artifact.TarballWriter;
import io.currents.source.bucket.BucketAccess;
import io.currents.source.bucket.BucketException;
import io.currents.source.bucket.BucketFetcher;
import io.currents.source.bucket.BucketIndex;
import io.currents.source.bucket.ObjectStore;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Reconciles a Bucket into a tar.gz artifact: list the bucket's objects into an index of keys and ETags (minus what
 * {@code .sourceignore} and {@code spec.ignore} leave out); its digest is the revision, and when it is the stored
 * artifact's nothing is downloaded. Otherwise fetch the objects whose ETag changed (the others come from the previous
 * artifact), archive, store atomically, and remember the index for the next run.
 */
@ControllerConfiguration(name = "bucket", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class BucketReconciler extends FluxReconciler<Bucket, BucketStatus> implements Cleaner<Bucket> {

    static final String KIND = "Bucket";
    static final String BUCKET_OPERATION_FAILED = Bucket.BUCKET_OPERATION_FAILED_REASON;
    static final String INVALID_STS_CONFIGURATION = "InvalidSTSConfiguration";
    static final String INVALID_PROVIDER_CONFIGURATION = "InvalidProviderConfiguration";
    /** Where the index of the current artifact is kept, beside the artifacts (a directory: never garbage-collected as one). */
    static final String INDEX_DIR = ".index";

    @Inject
    ArtifactStorage storage;
    @Inject
    BucketCredentials credentials;
    @Inject
    BucketStores stores;

    @ConfigProperty(name = "bucket-object-max-size", defaultValue = "100Mi")
    String objectMaxSize;
    @ConfigProperty(name = "bucket-max-size", defaultValue = "1Gi")
    String maxSize;
    @ConfigProperty(name = "bucket-fetch-concurrency", defaultValue = "20")
    int concurrency;

    @Override
    protected BucketStatus newStatus() {
        return new BucketStatus();
    }

    @Override
    protected Map<String, String> eventMetadata(Reconciliation<Bucket, BucketStatus> r) {
        return SourceKinds.artifactMetadata(r.status().getArtifact());
    }

    @Override
    protected Ready steps(Reconciliation<Bucket, BucketStatus> r) throws ReconcileFailure {
        validate(r);
        BucketAccess access = access(r);
        Artifact current = intactArtifact(r);
        Instant deadline = Instant.now().plus(access.timeout());
        try (ObjectStore store = openStore(r, access)) {
            BucketIndex index = index(r, store, deadline);
            String revision = index.revision();
            if (current != null && revision.equals(current.getRevision())
                    && Objects.equals(r.object().getSpec().getIgnore(), r.status().getObservedIgnore())) {
                return unchanged(r, current);
            }
            return buildArtifact(r, store, index, current, deadline);
        }
    }

    /** 1. What only a spec change can fix: a provider's unsupported options, an STS of the wrong kind. */
    private void validate(Reconciliation<Bucket, BucketStatus> r) throws ReconcileFailure {
        BucketSpec spec = r.object().getSpec();
        String provider = BucketCredentials.provider(spec);
        String problem = BucketStores.specProblem(provider, spec);
        if (problem != null) {
            String reason = problem.equals(BucketStores.WORKLOAD_IDENTITY_DISABLED) ? "FeatureGateDisabled"
                    : spec.getSts() != null && problem.contains("STS") ? INVALID_STS_CONFIGURATION : INVALID_PROVIDER_CONFIGURATION;
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, reason, problem);
            throw ReconcileFailure.stalled(reason, problem);
        }
    }

    /** 2. Credentials, TLS and proxy from the Secrets the spec names (and temporary credentials from an STS). */
    private BucketAccess access(Reconciliation<Bucket, BucketStatus> r) throws ReconcileFailure {
        try {
            return credentials.access(r.object(), stores.temporaryCredentials(r.object(), credentials));
        } catch (BucketCredentials.AccessException e) {
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
            throw ReconcileFailure.retry(e.reason(), e.getMessage());
        } catch (BucketException e) {
            throw fetchFailed(r, e);
        }
    }

    /** 3. The stored artifact, or null (status cleared of it) when there is none or it left storage. */
    private Artifact intactArtifact(Reconciliation<Bucket, BucketStatus> r) {
        BucketStatus status = r.status();
        return SourceKinds.intactArtifact(r, storage, status.getArtifact(), () -> {
            status.setArtifact(null);
            status.setUrl(null);
        });
    }

    private ObjectStore openStore(Reconciliation<Bucket, BucketStatus> r, BucketAccess access) throws ReconcileFailure {
        try {
            return stores.open(r.object(), access);
        } catch (BucketException e) {
            throw fetchFailed(r, e);
        }
    }

    /** 4. The index of the bucket's objects, whose digest is the revision. */
    private BucketIndex index(Reconciliation<Bucket, BucketStatus> r, ObjectStore store, Instant deadline) throws ReconcileFailure {
        BucketSpec spec = r.object().getSpec();
        try {
            return fetcher().index(store, spec.getBucketName(), spec.getPrefix(), spec.getIgnore(), r.workDir("bucket-index"), deadline);
        } catch (BucketException e) {
            throw fetchFailed(r, e);
        } catch (IOException e) {
            throw storageFailure(r, "DirCreationFailed", "failed to prepare a working directory: " + SourceKinds.describe(e));
        }
    }

    /** 5a. Same objects, same ETags: the stored artifact stands, and nothing was downloaded. */
    private Ready unchanged(Reconciliation<Bucket, BucketStatus> r, Artifact current) {
        r.revision(current.getRevision());
        r.conditions().delete(SourceKinds.FETCH_FAILED);
        r.conditions().delete(SourceKinds.ARTIFACT_OUTDATED);
        String message = "stored artifact for revision '" + current.getRevision() + "'";
        r.conditions().markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, message);
        return Ready.of(Conditions.SUCCEEDED, message);
    }

    /** 5b. A new revision: fetch what changed, archive, store, remember the index. */
    private Ready buildArtifact(Reconciliation<Bucket, BucketStatus> r, ObjectStore store, BucketIndex index, Artifact current,
                                Instant deadline) throws ReconcileFailure {
        Bucket bucket = r.object();
        String ns = bucket.getMetadata().getNamespace();
        String name = bucket.getMetadata().getName();
        String revision = index.revision();
        String newRevision = "new upstream revision '" + revision + "'";
        if (current != null) {
            r.conditions().markTrue(SourceKinds.ARTIFACT_OUTDATED, "NewRevision", newRevision);
        }
        r.progress("building artifact: " + newRevision);

        Path previousArtifact = current == null ? null : storage.fileFor(current.getPath());
        BucketIndex previous = current == null ? new BucketIndex() : BucketIndex.load(indexFile(ns, name, current.getRevision()));
        Path dir;
        BucketFetcher.Fetched fetched;
        try {
            Path work = r.workDir("bucket");
            dir = work.resolve("objects");
            fetched = fetcher().fetch(store, index, previous, previousArtifact, dir, work, deadline);
        } catch (BucketException e) {
            throw fetchFailed(r, e);
        } catch (IOException e) {
            throw storageFailure(r, "DirCreationFailed", "failed to prepare a working directory: " + SourceKinds.describe(e));
        }
        r.conditions().delete(SourceKinds.FETCH_FAILED);
        log.debugf("%s: %d objects downloaded, %d taken from the previous artifact", r.key(), fetched.downloaded(), fetched.reused());
        if (!fetched.vanished().isEmpty()) {
            // deleted between listing and download: the artifact and its revision leave them out, as Flux's
            fetched.vanished().forEach(index::remove);
            log.infof("%s: indexed objects %s disappeared from bucket '%s'", r.key(), fetched.vanished(), bucket.getSpec().getBucketName());
            revision = index.revision();
        }

        String filename = revision.substring("sha256:".length()) + ".tar.gz";
        ArtifactStorage.Published published;
        try {
            published = storage.publish(KIND, ns, name, filename, revision, out -> TarballWriter.write(dir, SourceIgnore.none(), out),
                    "latest.tar.gz", SourceKinds.pathOf(r.before().getArtifact()));
            saveIndex(ns, name, revision, index);
        } catch (IOException | RuntimeException e) {
            throw storageFailure(r, SourceKinds.ARCHIVE_OPERATION_FAILED, "failed to store artifact: " + SourceKinds.describe(e));
        }
        StoredArtifact stored = published.artifact();
        r.conditions().delete(SourceKinds.STORAGE_OPERATION_FAILED);
        r.conditions().delete(SourceKinds.ARTIFACT_OUTDATED);
        r.status().setArtifact(SourceKinds.toArtifact(stored));
        r.status().setUrl(published.linkUrl());
        r.status().setObservedIgnore(bucket.getSpec().getIgnore());
        r.revision(revision);
        String message = "stored artifact for revision '" + revision + "'";
        r.conditions().markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, message);
        return Ready.of(Conditions.SUCCEEDED, message).changed().announcedAs("NewArtifact", "stored artifact with " + index.size()
                + " fetched files from '" + bucket.getSpec().getBucketName() + "' bucket", Map.of());
    }

    private BucketFetcher fetcher() {
        return new BucketFetcher(new BucketFetcher.Limits(SourceKinds.parseSize(objectMaxSize), SourceKinds.parseSize(maxSize),
                Math.max(1, concurrency)));
    }

    private Path indexFile(String ns, String name, String revision) {
        String hex = revision == null ? "none" : revision.replace("sha256:", "");
        return storage.fileFor(ArtifactStorage.relativePath(KIND, ns, name, INDEX_DIR + "/" + hex + ".json"));
    }

    /** Keeps only the index of the artifact just stored: the next run compares ETags against it. */
    private void saveIndex(String ns, String name, String revision, BucketIndex index) throws IOException {
        Path file = indexFile(ns, name, revision);
        index.save(file);
        try (var others = Files.list(file.getParent())) {
            for (Path other : others.toList()) {
                if (!other.equals(file)) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    private static ReconcileFailure fetchFailed(Reconciliation<Bucket, BucketStatus> r, BucketException e) {
        r.conditions().markTrue(SourceKinds.FETCH_FAILED, BUCKET_OPERATION_FAILED, e.getMessage());
        return ReconcileFailure.retry(BUCKET_OPERATION_FAILED, e.getMessage());
    }

    private static ReconcileFailure storageFailure(Reconciliation<Bucket, BucketStatus> r, String reason, String message) {
        r.conditions().markTrue(SourceKinds.STORAGE_OPERATION_FAILED, reason, message);
        return ReconcileFailure.retry(reason, message);
    }

    /** On deletion: remove every artifact of the object (and its index), then let it go. */
    @Override
    public DeleteControl cleanup(Bucket bucket, Context<Bucket> context) {
        return SourceKinds.removeArtifacts(bucket, KIND, storage, this::forget);
    }

}
