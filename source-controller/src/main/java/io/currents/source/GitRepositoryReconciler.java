package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositoryInclude;
import io.currents.api.source.v1.GitRepositorySpec;
import io.currents.api.source.v1.GitRepositoryStatus;
import io.currents.runtime.artifact.ArtifactArchive;
import io.currents.runtime.options.UnsupportedOptions;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.SourceIgnore;
import io.currents.runtime.artifact.StoredArtifact;
import io.currents.runtime.artifact.TarballWriter;
import io.currents.git.GitCheckout;
import io.currents.git.GitCheckoutRequest;
import io.currents.git.GitException;
import io.currents.git.GitFetcher;
import io.currents.git.GitMirrors;
import io.currents.git.GitUrl;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reconciles a GitRepository into a verified tar.gz artifact: resolve credentials and includes, ask the remote for
 * its revision and stop there when the stored artifact is current, otherwise clone and verify, archive, store
 * atomically and garbage-collect older artifacts.
 */
@ControllerConfiguration(name = "gitrepository", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class GitRepositoryReconciler extends FluxReconciler<GitRepository, GitRepositoryStatus> implements Cleaner<GitRepository> {

    static final String KIND = "GitRepository";

    @Inject
    ArtifactStorage storage;
    @Inject
    GitCredentials credentials;

    @ConfigProperty(name = "requeue-dependency", defaultValue = "30s")
    String requeueDependency;

    @ConfigProperty(name = "git-max-size", defaultValue = "1Gi")
    String maxSize;

    /**
     * Budget of the Git mirrors kept between reconciles (see {@link GitMirrors}); 0 turns them off, and every
     * new revision is then a fresh shallow clone as in Flux.
     */
    @ConfigProperty(name = "git-mirror-max-size", defaultValue = "1Gi")
    String mirrorMaxSize;

    private final GitFetcher fetcher = new GitFetcher();
    private volatile GitMirrors mirrors;

    /** The mirrors live in the storage volume under a dot-directory, which the artifact server never serves. */
    private GitMirrors mirrors() {
        GitMirrors m = mirrors;
        if (m == null) {
            m = GitMirrors.at(storage.root().resolve(".git-mirrors"), SourceKinds.parseSize(mirrorMaxSize));
            mirrors = m;
        }
        return m;
    }

    private static String mirrorOwner(GitRepository repo) {
        return KIND + "/" + repo.getMetadata().getNamespace() + "/" + repo.getMetadata().getName();
    }

    @Override
    protected GitRepositoryStatus newStatus() {
        return new GitRepositoryStatus();
    }

    @Override
    protected Duration defaultInterval() {
        return Duration.ofMinutes(1);
    }

    @Override
    protected Map<String, String> eventMetadata(Reconciliation<GitRepository, GitRepositoryStatus> r) {
        return SourceKinds.artifactMetadata(r.status().getArtifact());
    }

    /**
     * Workload identity for Git (Flux's {@code provider} azure/aws/github App and {@code serviceAccountName}) is not
     * implemented: the clone uses {@code secretRef} as for {@code generic}, and the fields are named in a warning.
     */
    private static final UnsupportedOptions UNSUPPORTED = UnsupportedOptions.builder()
            .whenNotIn("spec.provider", List.of("generic")).whenSet("spec.serviceAccountName").build();

    @Override
    protected UnsupportedOptions unsupportedOptions() {
        return UNSUPPORTED;
    }

    @Override
    protected Ready steps(Reconciliation<GitRepository, GitRepositoryStatus> r) throws ReconcileFailure {
        GitCheckoutRequest request = checkoutRequest(r);
        List<IncludedSource> includes = resolveIncludes(r);
        Optional<Ready> current = storedArtifactIsCurrent(r, request, includes);
        if (current.isPresent()) {
            return current.get();
        }
        return buildArtifact(r, request, includes);
    }

    /** 1. Credentials, proxy and verification keys from the spec's Secrets. */
    private GitCheckoutRequest checkoutRequest(Reconciliation<GitRepository, GitRepositoryStatus> r) throws ReconcileFailure {
        try {
            return credentials.checkoutRequest(r.object(), SourceKinds.parseSize(maxSize));
        } catch (GitException e) {
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
            throw e.reason().equals(SourceKinds.URL_INVALID) ? ReconcileFailure.stalled(e.reason(), e.getMessage())
                    : ReconcileFailure.retry(e.reason(), e.getMessage());
        }
    }

    /** 3. When the stored artifact is intact and built from the remote's current revision with the same options, it stands. */
    private Optional<Ready> storedArtifactIsCurrent(Reconciliation<GitRepository, GitRepositoryStatus> r, GitCheckoutRequest request,
                                                    List<IncludedSource> includes) throws ReconcileFailure {
        Artifact current = r.status().getArtifact();
        boolean intact = SourceKinds.intact(storage, current);
        if (current != null && !intact) {
            r.conditions().markTrue(SourceKinds.ARTIFACT_OUTDATED, "ArtifactOutdated", "stored artifact is missing or does not match its digest");
        }
        if (!intact || !observedOptionsUnchanged(r.object().getSpec(), r.status(), includes)) {
            return Optional.empty();
        }
        Optional<String> remote;
        try {
            remote = fetcher.remoteRevision(request);
        } catch (GitException e) {
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
            throw ReconcileFailure.retry(e.reason(), e.getMessage());
        }
        if (remote.isEmpty() || !remote.get().equals(current.getRevision())) {
            return Optional.empty();
        }
        r.revision(current.getRevision());
        r.conditions().delete(SourceKinds.FETCH_FAILED);
        r.conditions().delete(SourceKinds.ARTIFACT_OUTDATED);
        String message = "stored artifact for revision '" + current.getRevision() + "'";
        r.conditions().markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, message);
        return Optional.of(Ready.of(Conditions.SUCCEEDED, message));
    }

    /** 4. Clone and verify, copy the includes in, archive, store and verify, collect older artifacts. */
    private Ready buildArtifact(Reconciliation<GitRepository, GitRepositoryStatus> r, GitCheckoutRequest request,
                                List<IncludedSource> includes) throws ReconcileFailure {
        GitRepository repo = r.object();
        GitRepositorySpec spec = repo.getSpec();
        GitRepositoryStatus status = r.status();
        Conditions conditions = r.conditions();
        r.progress("building artifact: fetching " + GitUrl.redact(spec.getUrl()));

        Path checkoutDir;
        try {
            checkoutDir = r.workDir("gitrepository").resolve("checkout");
        } catch (IOException e) {
            throw storageFailure(conditions, "DirCreationFailed", "failed to prepare a working directory: " + SourceKinds.describe(e));
        }
        GitCheckout checkout;
        try {
            checkout = fetcher.checkout(request, checkoutDir, mirrors(), mirrorOwner(repo));
        } catch (GitException e) {
            if (e.reason().equals(SourceKinds.VERIFICATION_ERROR)) {
                conditions.markFalse(SourceKinds.SOURCE_VERIFIED, e.reason(), e.getMessage());
            } else {
                conditions.markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
            }
            throw ReconcileFailure.retry(e.reason(), e.getMessage());
        }
        conditions.delete(SourceKinds.FETCH_FAILED);
        if (spec.getVerify() != null) {
            conditions.markTrue(SourceKinds.SOURCE_VERIFIED, Conditions.SUCCEEDED, checkout.verificationMessage());
            status.setSourceVerificationMode(request.verificationMode());
        } else {
            conditions.delete(SourceKinds.SOURCE_VERIFIED);
            status.setSourceVerificationMode(null);
        }

        List<Artifact> includedArtifacts = new ArrayList<>();
        SourceIgnore ignore;
        try {
            for (IncludedSource include : includes) {
                copyInclude(r, include, checkoutDir);
                includedArtifacts.add(include.artifact());
            }
            ignore = SourceIgnore.load(checkoutDir, spec.getIgnore());
        } catch (IOException e) {
            throw storageFailure(conditions, "DirCreationFailed", "failed to prepare a working directory: " + SourceKinds.describe(e));
        }

        String ns = repo.getMetadata().getNamespace();
        String name = repo.getMetadata().getName();
        String revision = checkout.revision();
        String filename = checkout.commit() + ".tar.gz";
        StoredArtifact stored;
        try {
            stored = storage.publish(KIND, ns, name, filename, revision, out -> TarballWriter.write(checkoutDir, ignore, out), null,
                    SourceKinds.pathOf(r.before().getArtifact())).artifact();
        } catch (IOException | RuntimeException e) {
            throw storageFailure(conditions, SourceKinds.ARCHIVE_OPERATION_FAILED, "failed to store artifact: " + SourceKinds.describe(e));
        }
        conditions.delete(SourceKinds.STORAGE_OPERATION_FAILED);
        conditions.delete(SourceKinds.ARTIFACT_OUTDATED);

        Artifact current = status.getArtifact();
        boolean changed = current == null || !Objects.equals(current.getDigest(), stored.digest())
                || !Objects.equals(current.getRevision(), stored.revision());
        status.setArtifact(changed ? SourceKinds.toArtifact(stored) : current);
        status.setIncludedArtifacts(includedArtifacts.isEmpty() ? null : includedArtifacts);
        status.setObservedIgnore(spec.getIgnore());
        status.setObservedRecurseSubmodules(spec.getRecurseSubmodules());
        status.setObservedInclude(emptyToNull(spec.getInclude()));
        status.setObservedSparseCheckout(emptyToNull(spec.getSparseCheckout()));
        r.revision(revision);
        String message = "stored artifact for revision '" + revision + "'";
        conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, message);
        Ready ready = Ready.of(Conditions.SUCCEEDED, message);
        return !changed ? ready : ready.changed().announcedAs("NewArtifact",
                "stored artifact for commit '" + SourceKinds.firstLine(checkout.commitMessage()) + "'", Map.of());
    }

    private static ReconcileFailure storageFailure(Conditions conditions, String reason, String message) {
        conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, reason, message);
        return ReconcileFailure.retry(reason, message);
    }

    private boolean observedOptionsUnchanged(GitRepositorySpec spec, GitRepositoryStatus status, List<IncludedSource> includes) {
        List<Artifact> observedIncluded = status.getIncludedArtifacts() == null ? List.of() : status.getIncludedArtifacts();
        List<String> wantedDigests = includes.stream().map(i -> i.artifact().getDigest()).toList();
        List<String> haveDigests = observedIncluded.stream().map(Artifact::getDigest).toList();
        return Objects.equals(spec.getIgnore(), status.getObservedIgnore())
                && Boolean.TRUE.equals(spec.getRecurseSubmodules()) == Boolean.TRUE.equals(status.getObservedRecurseSubmodules())
                && Objects.equals(emptyToNull(spec.getInclude()), emptyToNull(status.getObservedInclude()))
                && Objects.equals(emptyToNull(spec.getSparseCheckout()), emptyToNull(status.getObservedSparseCheckout()))
                && wantedDigests.equals(haveDigests)
                && (spec.getVerify() == null) == (status.getSourceVerificationMode() == null);
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }

    // --- includes ---

    /** Another GitRepository's artifact to copy into this one's tree. */
    record IncludedSource(GitRepositoryInclude include, GitRepository source, Artifact artifact) {
    }

    /** 2. The GitRepositories named in spec.include, each with a verified artifact. */
    private List<IncludedSource> resolveIncludes(Reconciliation<GitRepository, GitRepositoryStatus> r) throws ReconcileFailure {
        GitRepository repo = r.object();
        List<GitRepositoryInclude> includes = repo.getSpec().getInclude();
        if (includes == null || includes.isEmpty()) {
            r.conditions().delete(SourceKinds.INCLUDE_UNAVAILABLE);
            return List.of();
        }
        List<IncludedSource> resolved = new ArrayList<>();
        for (GitRepositoryInclude include : includes) {
            String includeName = include.getRepository() == null ? null : include.getRepository().getName();
            if (includeName == null || includeName.isBlank()) {
                throw includeUnavailable(r, "include without a repository name");
            }
            if (includeName.equals(repo.getMetadata().getName())) {
                throw includeUnavailable(r, "GitRepository '" + includeName + "' cannot include itself");
            }
            GitRepository source = client.resources(GitRepository.class).inNamespace(repo.getMetadata().getNamespace())
                    .withName(includeName).get();
            if (source == null) {
                throw includeUnavailable(r, "could not get resource for include '" + includeName + "': GitRepository not found");
            }
            Artifact artifact = source.getArtifact();
            if (artifact == null || !storage.verify(artifact.getPath(), artifact.getDigest())) {
                throw includeUnavailable(r, "no artifact available for include '" + includeName + "'");
            }
            resolved.add(new IncludedSource(include, source, artifact));
        }
        r.conditions().delete(SourceKinds.INCLUDE_UNAVAILABLE);
        return resolved;
    }

    /** An include that is missing or has no artifact yet: retried every {@code requeue-dependency}, as Flux's. */
    private ReconcileFailure includeUnavailable(Reconciliation<GitRepository, GitRepositoryStatus> r, String message) {
        r.conditions().markTrue(SourceKinds.INCLUDE_UNAVAILABLE, "IncludeUnavailable", message);
        return ReconcileFailure.retry("IncludeUnavailable", message)
                .requeueAfter(FluxDuration.parseOr(requeueDependency, Duration.ofSeconds(30)));
    }

    private void copyInclude(Reconciliation<GitRepository, GitRepositoryStatus> r, IncludedSource include, Path checkoutDir)
            throws IOException, ReconcileFailure {
        String from = include.include().getFromPath() == null ? "" : include.include().getFromPath();
        String to = include.include().getToPath() == null || include.include().getToPath().isBlank()
                ? include.source().getMetadata().getName() : include.include().getToPath();
        Path root = checkoutDir.toRealPath();
        Path target = root.resolve(to).normalize();
        if (!target.startsWith(root)) {
            throw includeUnavailable(r, "include toPath '" + to + "' points outside the repository");
        }
        Path unpacked = Files.createTempDirectory(checkoutDir.getParent(), "include-");
        try (InputStream in = Files.newInputStream(storage.fileFor(include.artifact().getPath()))) {
            ArtifactArchive.extract(in, unpacked, SourceKinds.parseSize(maxSize));
        }
        Path source = unpacked.resolve(from).normalize();
        if (!source.startsWith(unpacked) || !Files.exists(source)) {
            throw includeUnavailable(r, "include fromPath '" + from + "' does not exist in the artifact of '"
                    + include.source().getMetadata().getName() + "'");
        }
        Reconciliation.deleteTree(target);
        SourceKinds.copyTree(source, target);
        Reconciliation.deleteTree(unpacked);
    }

    /** On deletion: remove every artifact of the object, then let it go. */
    @Override
    public DeleteControl cleanup(GitRepository repo, Context<GitRepository> context) {
        mirrors().remove(mirrorOwner(repo));
        return SourceKinds.removeArtifacts(repo, KIND, storage, this::forget);
    }
}
