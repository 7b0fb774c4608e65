package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositoryInclude;
import io.currents.api.source.v1.GitRepositorySpec;
import io.currents.api.source.v1.GitRepositoryStatus;
import io.currents.runtime.ArtifactArchive;
import io.currents.runtime.Conditions;
import io.currents.runtime.EventRecorder;
import io.currents.runtime.FluxDuration;
import io.currents.runtime.FluxUpdateFilter;
import io.currents.runtime.ReconcileMetrics;
import io.currents.runtime.ReconcileRequest;
import io.currents.runtime.RequeuePolicy;
import io.currents.source.artifact.ArtifactStorage;
import io.currents.source.artifact.SourceIgnore;
import io.currents.source.artifact.StoredArtifact;
import io.currents.source.artifact.TarballWriter;
import io.currents.git.GitCheckout;
import io.currents.git.GitCheckoutRequest;
import io.currents.git.GitException;
import io.currents.git.GitFetcher;
import io.currents.git.GitUrl;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reconciles a GitRepository into a verified tar.gz artifact: resolve credentials and includes, ask
 * the remote for its revision, clone and verify only when something changed, archive, store
 * atomically, garbage-collect older artifacts, and report through conditions and events.
 */
@ControllerConfiguration(name = "gitrepository", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class GitRepositoryReconciler implements Reconciler<GitRepository>, Cleaner<GitRepository> {

    static final String KIND = "GitRepository";
    private static final Logger LOG = Logger.getLogger(GitRepositoryReconciler.class);

    @Inject
    KubernetesClient client;
    @Inject
    ArtifactStorage storage;
    @Inject
    EventRecorder events;
    @Inject
    ReconcileMetrics metrics;
    @Inject
    GitCredentials credentials;

    @ConfigProperty(name = "interval-jitter-percentage", defaultValue = "5")
    int jitterPercentage;
    @ConfigProperty(name = "git-max-size", defaultValue = "1Gi")
    String maxSize;

    private final GitFetcher fetcher = new GitFetcher();
    private final Clock clock = Clock.systemUTC();
    private volatile RequeuePolicy requeue;

    @Override
    public UpdateControl<GitRepository> reconcile(GitRepository repo, Context<GitRepository> context) {
        long started = System.nanoTime();
        GitRepositorySpec spec = repo.getSpec();
        GitRepositoryStatus status = repo.getStatus() == null ? new GitRepositoryStatus() : repo.getStatus();
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        GitRepositoryStatus before = SourceKinds.copy(status, GitRepositoryStatus.class);
        String key = SourceKinds.key(repo);
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
            outcome = reconcileArtifact(repo, spec, status, conditions);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure reconciling %s", key);
            outcome = Outcome.retry(Conditions.FAILED, "reconciliation failed: " + SourceKinds.describe(e));
        }

        status.setObservedGeneration(repo.getMetadata().getGeneration());
        Duration next;
        if (outcome.ready) {
            conditions.markReady(outcome.reason, outcome.message);
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

    private Outcome reconcileArtifact(GitRepository repo, GitRepositorySpec spec, GitRepositoryStatus status, Conditions conditions) {
        String ns = repo.getMetadata().getNamespace();
        String name = repo.getMetadata().getName();

        GitCheckoutRequest request;
        try {
            request = credentials.checkoutRequest(repo, SourceKinds.parseSize(maxSize));
        } catch (GitException e) {
            conditions.markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
            return e.reason().equals(SourceKinds.URL_INVALID) ? Outcome.stalled(e.reason(), e.getMessage())
                    : Outcome.retry(e.reason(), e.getMessage());
        }

        List<IncludedSource> includes;
        try {
            includes = resolveIncludes(repo);
            conditions.delete(SourceKinds.INCLUDE_UNAVAILABLE);
        } catch (IncludeUnavailable e) {
            conditions.markTrue(SourceKinds.INCLUDE_UNAVAILABLE, "IncludeUnavailable", e.getMessage());
            return Outcome.retry("IncludeUnavailable", e.getMessage());
        }

        Artifact current = status.getArtifact();
        boolean currentIntact = current != null && storage.verify(current.getPath(), current.getDigest());
        if (currentIntact && observedOptionsUnchanged(spec, status, includes)) {
            try {
                var remote = fetcher.remoteRevision(request);
                if (remote.isPresent() && remote.get().equals(current.getRevision())) {
                    conditions.delete(SourceKinds.FETCH_FAILED);
                    conditions.delete(SourceKinds.ARTIFACT_OUTDATED);
                    String msg = "stored artifact for revision '" + current.getRevision() + "'";
                    conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, msg);
                    return Outcome.ready(Conditions.SUCCEEDED, msg, current.getRevision(), false, null);
                }
            } catch (GitException e) {
                conditions.markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
                return Outcome.retry(e.reason(), e.getMessage());
            }
        }
        if (current != null && !currentIntact) {
            conditions.markTrue(SourceKinds.ARTIFACT_OUTDATED, "ArtifactOutdated", "stored artifact is missing or does not match its digest");
        }
        conditions.markReconciling(Conditions.PROGRESSING, "building artifact: fetching " + GitUrl.redact(spec.getUrl()));

        Path work = null;
        try {
            work = Files.createTempDirectory("gitrepository-" + ns + "-" + name + "-");
            Path checkoutDir = work.resolve("checkout");
            GitCheckout checkout;
            try {
                checkout = fetcher.checkout(request, checkoutDir);
            } catch (GitException e) {
                if (e.reason().equals(SourceKinds.VERIFICATION_ERROR)) {
                    conditions.markFalse(SourceKinds.SOURCE_VERIFIED, e.reason(), e.getMessage());
                } else {
                    conditions.markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
                }
                return Outcome.retry(e.reason(), e.getMessage());
            }
            conditions.delete(SourceKinds.FETCH_FAILED);
            if (spec.getVerify() != null) {
                String mode = request.verificationMode();
                conditions.markTrue(SourceKinds.SOURCE_VERIFIED, Conditions.SUCCEEDED, checkout.verificationMessage());
                status.setSourceVerificationMode(mode);
            } else {
                conditions.delete(SourceKinds.SOURCE_VERIFIED);
                status.setSourceVerificationMode(null);
            }

            List<Artifact> includedArtifacts = new ArrayList<>();
            for (IncludedSource include : includes) {
                copyInclude(include, checkoutDir);
                includedArtifacts.add(include.artifact());
            }

            String revision = checkout.revision();
            String filename = checkout.commit() + ".tar.gz";
            SourceIgnore ignore = SourceIgnore.load(checkoutDir, spec.getIgnore());
            StoredArtifact stored;
            try (AutoCloseable lock = storage.lock(KIND, ns, name)) {
                stored = storage.store(KIND, ns, name, filename, revision,
                        out -> TarballWriter.write(checkoutDir, ignore, out));
                if (!storage.verify(stored.path(), stored.digest())) {
                    throw new IOException("artifact " + stored.path() + " failed verification after writing");
                }
                List<String> removed = storage.garbageCollect(KIND, ns, name, filename);
                if (!removed.isEmpty()) {
                    LOG.debugf("garbage collected %s", removed);
                }
            } catch (Exception e) {
                String msg = "failed to store artifact: " + SourceKinds.describe(e);
                conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, "ArchiveOperationFailed", msg);
                return Outcome.retry("ArchiveOperationFailed", msg);
            }
            conditions.delete(SourceKinds.STORAGE_OPERATION_FAILED);
            conditions.delete(SourceKinds.ARTIFACT_OUTDATED);

            boolean changed = current == null || !Objects.equals(current.getDigest(), stored.digest())
                    || !Objects.equals(current.getRevision(), stored.revision());
            status.setArtifact(changed ? SourceKinds.toArtifact(stored) : current);
            status.setIncludedArtifacts(includedArtifacts.isEmpty() ? null : includedArtifacts);
            status.setObservedIgnore(spec.getIgnore());
            status.setObservedRecurseSubmodules(spec.getRecurseSubmodules());
            status.setObservedInclude(spec.getInclude() == null || spec.getInclude().isEmpty() ? null : spec.getInclude());
            status.setObservedSparseCheckout(spec.getSparseCheckout() == null || spec.getSparseCheckout().isEmpty() ? null : spec.getSparseCheckout());
            String msg = "stored artifact for revision '" + revision + "'";
            conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, msg);
            return Outcome.ready(Conditions.SUCCEEDED, msg, revision, changed, checkout.commitMessage());
        } catch (IOException e) {
            String msg = "failed to prepare a working directory: " + SourceKinds.describe(e);
            conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, "DirCreationFailed", msg);
            return Outcome.retry("DirCreationFailed", msg);
        } catch (IncludeUnavailable e) {
            conditions.markTrue(SourceKinds.INCLUDE_UNAVAILABLE, "IncludeUnavailable", e.getMessage());
            return Outcome.retry("IncludeUnavailable", e.getMessage());
        } finally {
            SourceKinds.deleteTree(work);
        }
    }

    private boolean observedOptionsUnchanged(GitRepositorySpec spec, GitRepositoryStatus status, List<IncludedSource> includes) {
        List<Artifact> observedIncluded = status.getIncludedArtifacts() == null ? List.of() : status.getIncludedArtifacts();
        List<String> wantedDigests = includes.stream().map(i -> i.artifact().getDigest()).toList();
        List<String> haveDigests = observedIncluded.stream().map(Artifact::getDigest).toList();
        return Objects.equals(spec.getIgnore(), status.getObservedIgnore())
                && Objects.equals(Boolean.TRUE.equals(spec.getRecurseSubmodules()), Boolean.TRUE.equals(status.getObservedRecurseSubmodules()))
                && Objects.equals(emptyToNull(spec.getInclude()), emptyToNull(status.getObservedInclude()))
                && Objects.equals(emptyToNull(spec.getSparseCheckout()), emptyToNull(status.getObservedSparseCheckout()))
                && wantedDigests.equals(haveDigests)
                && (spec.getVerify() == null) == (status.getSourceVerificationMode() == null);
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }

    /** Another GitRepository's artifact to copy into this one's tree. */
    record IncludedSource(GitRepositoryInclude include, GitRepository source, Artifact artifact) {
    }

    static final class IncludeUnavailable extends Exception {
        IncludeUnavailable(String message) {
            super(message);
        }
    }

    private List<IncludedSource> resolveIncludes(GitRepository repo) throws IncludeUnavailable {
        List<GitRepositoryInclude> includes = repo.getSpec().getInclude();
        if (includes == null || includes.isEmpty()) {
            return List.of();
        }
        List<IncludedSource> resolved = new ArrayList<>();
        for (GitRepositoryInclude include : includes) {
            String includeName = include.getRepository() == null ? null : include.getRepository().getName();
            if (includeName == null || includeName.isBlank()) {
                throw new IncludeUnavailable("include without a repository name");
            }
            if (includeName.equals(repo.getMetadata().getName())) {
                throw new IncludeUnavailable("GitRepository '" + includeName + "' cannot include itself");
            }
            GitRepository source = client.resources(GitRepository.class).inNamespace(repo.getMetadata().getNamespace())
                    .withName(includeName).get();
            if (source == null) {
                throw new IncludeUnavailable("could not get resource for include '" + includeName + "': GitRepository not found");
            }
            Artifact artifact = source.getStatus() == null ? null : source.getStatus().getArtifact();
            if (artifact == null || !storage.verify(artifact.getPath(), artifact.getDigest())) {
                throw new IncludeUnavailable("no artifact available for include '" + includeName + "'");
            }
            resolved.add(new IncludedSource(include, source, artifact));
        }
        return resolved;
    }

    private void copyInclude(IncludedSource include, Path checkoutDir) throws IOException, IncludeUnavailable {
        String from = include.include().getFromPath() == null ? "" : include.include().getFromPath();
        String to = include.include().getToPath() == null || include.include().getToPath().isBlank()
                ? include.source().getMetadata().getName() : include.include().getToPath();
        Path root = checkoutDir.toRealPath();
        Path target = root.resolve(to).normalize();
        if (!target.startsWith(root)) {
            throw new IncludeUnavailable("include toPath '" + to + "' points outside the repository");
        }
        Path unpacked = Files.createTempDirectory(checkoutDir.getParent(), "include-");
        try (InputStream in = Files.newInputStream(storage.fileFor(include.artifact().getPath()))) {
            ArtifactArchive.extract(in, unpacked, SourceKinds.parseSize(maxSize));
        }
        Path source = unpacked.resolve(from).normalize();
        if (!source.startsWith(unpacked) || !Files.exists(source)) {
            throw new IncludeUnavailable("include fromPath '" + from + "' does not exist in the artifact of '"
                    + include.source().getMetadata().getName() + "'");
        }
        SourceKinds.deleteTree(target);
        SourceKinds.copyTree(source, target);
        SourceKinds.deleteTree(unpacked);
    }

    private void recordEvent(GitRepository repo, GitRepositoryStatus before, GitRepositoryStatus after, Outcome outcome) {
        Condition oldReady = Conditions.find(before.getConditions(), Conditions.READY).orElse(null);
        Condition newReady = Conditions.find(after.getConditions(), Conditions.READY).orElse(null);
        boolean readyChanged = oldReady == null || newReady == null
                || !Objects.equals(oldReady.getStatus(), newReady.getStatus())
                || !Objects.equals(oldReady.getMessage(), newReady.getMessage());
        if (outcome.ready) {
            if (outcome.newArtifact) {
                String message = "stored artifact for commit '" + SourceKinds.firstLine(outcome.commitMessage) + "'";
                events.normal(repo, "NewArtifact", message, Map.of("revision", outcome.revision));
            } else if (readyChanged && oldReady != null && !Conditions.TRUE.equals(oldReady.getStatus())) {
                events.normal(repo, Conditions.SUCCEEDED, outcome.message, Map.of("revision", outcome.revision));
            }
        } else if (readyChanged) {
            Map<String, String> meta = after.getArtifact() == null ? Map.of() : Map.of("revision", after.getArtifact().getRevision());
            events.warning(repo, outcome.reason, outcome.message, meta);
        }
    }

    /** On deletion: remove every artifact of the object, then let it go. */
    @Override
    public DeleteControl cleanup(GitRepository repo, Context<GitRepository> context) {
        return SourceKinds.removeArtifacts(repo, KIND, storage, requeue(), metrics);
    }

    private RequeuePolicy requeue() {
        if (requeue == null) {
            requeue = new RequeuePolicy(jitterPercentage, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
        return requeue;
    }

    /** What one reconcile came to. */
    record Outcome(boolean ready, boolean stalled, String reason, String message, String revision,
                   boolean newArtifact, String commitMessage) {
        static Outcome ready(String reason, String message, String revision, boolean newArtifact, String commitMessage) {
            return new Outcome(true, false, reason, message, revision, newArtifact, commitMessage);
        }

        static Outcome retry(String reason, String message) {
            return new Outcome(false, false, reason, message, null, false, null);
        }

        static Outcome stalled(String reason, String message) {
            return new Outcome(false, true, reason, message, null, false, null);
        }
    }
}
