package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.OCILayerSelector;
import io.currents.api.source.v1.OCIRepository;
import io.currents.api.source.v1.OCIRepositoryRef;
import io.currents.api.source.v1.OCIRepositorySpec;
import io.currents.api.source.v1.OCIRepositoryStatus;
import io.currents.api.source.v1.OCIRepositoryVerification;
import io.currents.oci.CosignSignatures;
import io.currents.oci.Descriptor;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciException;
import io.currents.oci.OciManifest;
import io.currents.oci.OciReference;
import io.currents.runtime.options.UnsupportedOptions;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.StoredArtifact;
import io.currents.source.oci.OciLayer;
import io.currents.source.oci.OciTags;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reconciles an OCIRepository into an artifact: resolve the ref (tag, semver range over the tag list, or digest) to a
 * manifest digest with one request, stop there when the stored artifact came from that digest with the same options,
 * otherwise verify the cosign signature when asked, pull the manifest and the selected layer, extract it (with the
 * ignore rules) or copy it as is, and store it atomically. A failure leaves the previous artifact in place.
 */
@ControllerConfiguration(name = "ocirepository", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class OCIRepositoryReconciler extends FluxReconciler<OCIRepository, OCIRepositoryStatus> implements Cleaner<OCIRepository> {

    static final String KIND = "OCIRepository";
    static final String PULL_FAILED = OCIRepository.OCI_PULL_FAILED_REASON;
    static final String LAYER_FAILED = OCIRepository.OCI_LAYER_OPERATION_FAILED_REASON;
    static final String UNSUPPORTED_PROVIDER = "UnsupportedProvider";

    @Inject
    ArtifactStorage storage;
    @Inject
    OciCredentials credentials;

    /** Currents' own bound (Flux has none): the largest layer pulled and the largest content extracted from it. */
    @ConfigProperty(name = "oci-artifact-max-size", defaultValue = "1Gi")
    String maxSize;

    /** The ref resolved against the registry: the manifest's digest and the revision it makes. */
    record Resolved(OciReference ref, String digest, String revision) {
    }

    @Override
    protected OCIRepositoryStatus newStatus() {
        return new OCIRepositoryStatus();
    }

    @Override
    protected Map<String, String> eventMetadata(Reconciliation<OCIRepository, OCIRepositoryStatus> r) {
        return SourceKinds.artifactMetadata(r.status().getArtifact());
    }

    /** A custom Sigstore trusted root only matters to keyless/transparency-log checks, which this controller does not make. */
    private static final UnsupportedOptions UNSUPPORTED = UnsupportedOptions.builder().whenSet("spec.verify.trustedRootSecretRef").build();

    @Override
    protected UnsupportedOptions unsupportedOptions() {
        return UNSUPPORTED;
    }

    @Override
    protected Ready steps(Reconciliation<OCIRepository, OCIRepositoryStatus> r) throws ReconcileFailure {
        OciReference repository = validate(r);
        OciClient client = client(r, repository);
        Resolved resolved = resolve(r, client, repository);
        Optional<Ready> current = storedArtifactIsCurrent(r, resolved);
        if (current.isPresent()) {
            return current.get();
        }
        verify(r, client, resolved);
        return buildArtifact(r, client, resolved);
    }

    /** 1. What only a spec change can fix stalls: the URL, the provider, the layer operation, the verification kind. */
    private OciReference validate(Reconciliation<OCIRepository, OCIRepositoryStatus> r) throws ReconcileFailure {
        OCIRepositorySpec spec = r.object().getSpec();
        String provider = spec.getProvider();
        if (provider != null && !provider.isBlank() && !OCIRepository.PROVIDER_GENERIC.equals(provider)) {
            throw ReconcileFailure.stalled(UNSUPPORTED_PROVIDER, SourceKinds.unsupportedProvider(provider));
        }
        OciReference repository;
        try {
            repository = OciReference.parse(spec.getUrl());
        } catch (OciException e) {
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, SourceKinds.URL_INVALID, e.getMessage());
            throw ReconcileFailure.stalled(SourceKinds.URL_INVALID, e.getMessage());
        }
        OCILayerSelector selector = spec.getLayerSelector();
        String operation = selector == null ? null : selector.getOperation();
        if (operation != null && !operation.isEmpty() && !OCIRepository.LAYER_EXTRACT.equals(operation)
                && !OCIRepository.LAYER_COPY.equals(operation)) {
            throw ReconcileFailure.stalled(LAYER_FAILED, "unsupported layer operation '" + operation + "': use 'extract' or 'copy'");
        }
        OCIRepositoryVerification verify = spec.getVerify();
        if (verify != null) {
            String kind = verify.getProvider() == null ? "cosign" : verify.getProvider();
            String unsupported = null;
            if ("notation".equals(kind)) {
                unsupported = "notation signature verification is not supported by Currents (no Java implementation of Notary v2"
                        + " resolves here); use cosign with a public key in spec.verify.secretRef";
            } else if (!"cosign".equals(kind)) {
                unsupported = "unknown verification provider '" + kind + "'";
            } else if (verify.getSecretRef() == null || verify.getSecretRef().getName() == null) {
                unsupported = "cosign keyless verification (no spec.verify.secretRef) is not supported by Currents: it needs"
                        + " Fulcio and Rekor, which no Java library here implements; give the public keys in spec.verify.secretRef";
            }
            if (unsupported != null) {
                r.conditions().markFalse(SourceKinds.SOURCE_VERIFIED, SourceKinds.VERIFICATION_ERROR, unsupported);
                throw ReconcileFailure.stalled(SourceKinds.VERIFICATION_ERROR, unsupported);
            }
        }
        return repository;
    }

    /** 2. A client with the object's credentials, TLS, proxy and timeout. */
    private OciClient client(Reconciliation<OCIRepository, OCIRepositoryStatus> r, OciReference repository) throws ReconcileFailure {
        OCIRepositorySpec spec = r.object().getSpec();
        Duration timeout = FluxDuration.parseOr(spec.getTimeout(), Duration.ofSeconds(60));
        try {
            return credentials.client(new OciCredentials.Settings(r.object().getMetadata().getNamespace(), repository.registry(),
                    spec.getSecretRef(), spec.getServiceAccountName(), spec.getCertSecretRef(), spec.getProxySecretRef(),
                    Boolean.TRUE.equals(spec.getInsecure()), timeout));
        } catch (OciCredentials.AccessException e) {
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
            throw ReconcileFailure.retry(e.reason(), e.getMessage());
        }
    }

    /** 3. The ref to a digest: one HEAD of the manifest (and the tag list for a semver range). */
    private Resolved resolve(Reconciliation<OCIRepository, OCIRepositoryStatus> r, OciClient client, OciReference repository)
            throws ReconcileFailure {
        OCIRepositoryRef ref = r.object().getSpec().getRef();
        try {
            if (ref != null && ref.getDigest() != null && !ref.getDigest().isBlank()) {
                OciReference byDigest = new OciReference(repository.registry(), repository.repository(), null, ref.getDigest());
                if (!ref.getDigest().matches("sha256:[a-f0-9]{64}")) {
                    throw ReconcileFailure.stalled(SourceKinds.URL_INVALID, "invalid digest '" + ref.getDigest() + "'");
                }
                String digest = client.resolve(byDigest).digest();
                return new Resolved(byDigest, digest, digest);
            }
            String tag = ref == null || ref.getTag() == null || ref.getTag().isBlank() ? "latest" : ref.getTag();
            if (ref != null && ref.getSemver() != null && !ref.getSemver().isBlank()) {
                Optional<String> chosen;
                try {
                    chosen = OciTags.highest(client.tags(repository), ref.getSemver(), ref.getSemverFilter());
                } catch (IllegalArgumentException e) {
                    throw ReconcileFailure.stalled(PULL_FAILED, "failed to determine the artifact tag: " + e.getMessage());
                }
                if (chosen.isEmpty()) {
                    throw pullFailed(r, "failed to determine the artifact tag for '" + repository.url() + "': no match found for semver: "
                            + ref.getSemver());
                }
                tag = chosen.get();
            }
            OciReference tagged = repository.withTag(tag);
            String digest = client.resolve(tagged).digest();
            return new Resolved(tagged, digest, tag + "@" + digest);
        } catch (OciException e) {
            String reason = e.kind() == OciException.Kind.AUTHENTICATION ? SourceKinds.AUTHENTICATION_FAILED : PULL_FAILED;
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, reason, "failed to determine artifact digest: " + e.getMessage());
            throw ReconcileFailure.retry(reason, "failed to determine artifact digest: " + e.getMessage());
        }
    }

    /** 4. The stored artifact stands when it is intact, from the same digest, with the same options and verification. */
    private Optional<Ready> storedArtifactIsCurrent(Reconciliation<OCIRepository, OCIRepositoryStatus> r, Resolved resolved) {
        OCIRepositorySpec spec = r.object().getSpec();
        OCIRepositoryStatus status = r.status();
        Artifact current = status.getArtifact();
        boolean intact = SourceKinds.intact(storage, current);
        if (current != null && !intact) {
            r.conditions().markTrue(SourceKinds.ARTIFACT_OUTDATED, "ArtifactOutdated", "stored artifact is missing or does not match its digest");
        }
        boolean verified = spec.getVerify() == null || Conditions.isTrue(status.getConditions(), SourceKinds.SOURCE_VERIFIED);
        if (!intact || !resolved.revision().equals(current.getRevision()) || !verified
                || !Objects.equals(spec.getIgnore(), status.getObservedIgnore())
                || !sameSelector(spec.getLayerSelector(), status.getObservedLayerSelector())) {
            return Optional.empty();
        }
        r.revision(current.getRevision());
        r.conditions().delete(SourceKinds.FETCH_FAILED);
        r.conditions().delete(SourceKinds.ARTIFACT_OUTDATED);
        if (spec.getVerify() == null) {
            r.conditions().delete(SourceKinds.SOURCE_VERIFIED);
        }
        String message = "stored artifact for digest '" + current.getRevision() + "'";
        r.conditions().markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, message);
        return Optional.of(Ready.of(Conditions.SUCCEEDED, message));
    }

    /** 5. With {@code spec.verify}: a cosign signature of the digest that one of the Secret's {@code *.pub} keys verifies. */
    private void verify(Reconciliation<OCIRepository, OCIRepositoryStatus> r, OciClient client, Resolved resolved) throws ReconcileFailure {
        OCIRepositoryVerification verify = r.object().getSpec().getVerify();
        if (verify == null) {
            r.conditions().delete(SourceKinds.SOURCE_VERIFIED);
            return;
        }
        r.progress("verifying signature of " + resolved.revision());
        try {
            Map<String, String> keys = new LinkedHashMap<>();
            credentials.secretData(r.object().getMetadata().getNamespace(), verify.getSecretRef().getName())
                    .forEach((k, v) -> {
                        if (k.endsWith(".pub")) {
                            keys.put(k, v);
                        }
                    });
            String message = CosignSignatures.verify(client, resolved.ref(), resolved.digest(), keys);
            r.conditions().markTrue(SourceKinds.SOURCE_VERIFIED, Conditions.SUCCEEDED, message);
        } catch (OciCredentials.AccessException | OciException e) {
            String message = "failed to verify the signature using provider 'cosign': " + e.getMessage();
            r.conditions().markFalse(SourceKinds.SOURCE_VERIFIED, SourceKinds.VERIFICATION_ERROR, message);
            throw ReconcileFailure.retry(SourceKinds.VERIFICATION_ERROR, message);
        }
    }

    /** 6. Pull the manifest and the selected layer, extract or copy it, store it and collect older artifacts. */
    private Ready buildArtifact(Reconciliation<OCIRepository, OCIRepositoryStatus> r, OciClient client, Resolved resolved)
            throws ReconcileFailure {
        OCIRepository repo = r.object();
        OCIRepositorySpec spec = repo.getSpec();
        OCIRepositoryStatus status = r.status();
        Conditions conditions = r.conditions();
        r.progress("building artifact: new revision " + resolved.revision());
        long max = SourceKinds.parseSize(maxSize);

        OciManifest manifest;
        try {
            manifest = client.manifest(new OciReference(resolved.ref().registry(), resolved.ref().repository(), null, resolved.digest()));
        } catch (OciException e) {
            throw pullFailed(r, "failed to pull artifact from '" + spec.getUrl() + "': " + e.getMessage());
        }
        OciLayer layer;
        Path work;
        try {
            work = r.workDir("ocirepository");
        } catch (IOException e) {
            throw storageFailure(conditions, "DirCreationFailed", "failed to prepare a working directory: " + SourceKinds.describe(e));
        }
        try {
            Descriptor selected = OciLayer.select(manifest, spec.getLayerSelector());
            layer = OciLayer.pull(client, resolved.ref(), selected, work, max, spec.getLayerSelector(), spec.getIgnore());
        } catch (OciException e) {
            String reason = e.kind() == OciException.Kind.TRANSPORT || e.kind() == OciException.Kind.AUTHENTICATION ? PULL_FAILED : LAYER_FAILED;
            String message = reason.equals(PULL_FAILED) ? "failed to pull artifact from '" + spec.getUrl() + "': " + e.getMessage()
                    : "failed to extract layer contents from artifact: " + e.getMessage();
            conditions.markTrue(SourceKinds.FETCH_FAILED, reason, message);
            throw ReconcileFailure.retry(reason, message);
        } catch (IOException e) {
            String message = "failed to extract layer contents from artifact: " + SourceKinds.describe(e);
            conditions.markTrue(SourceKinds.FETCH_FAILED, LAYER_FAILED, message);
            throw ReconcileFailure.retry(LAYER_FAILED, message);
        }
        conditions.delete(SourceKinds.FETCH_FAILED);

        String ns = repo.getMetadata().getNamespace();
        String name = repo.getMetadata().getName();
        String filename = resolved.digest().substring("sha256:".length()) + ".tar.gz";
        StoredArtifact stored;
        try {
            stored = storage.publish(KIND, ns, name, filename, resolved.revision(), layer::writeTo, null,
                    SourceKinds.pathOf(r.before().getArtifact())).artifact();
        } catch (IOException | RuntimeException e) {
            throw storageFailure(conditions, SourceKinds.ARCHIVE_OPERATION_FAILED, "failed to store artifact: " + SourceKinds.describe(e));
        }
        conditions.delete(SourceKinds.STORAGE_OPERATION_FAILED);
        conditions.delete(SourceKinds.ARTIFACT_OUTDATED);

        Artifact current = status.getArtifact();
        boolean changed = current == null || !Objects.equals(current.getDigest(), stored.digest())
                || !Objects.equals(current.getRevision(), stored.revision());
        Artifact artifact = changed ? SourceKinds.toArtifact(stored) : current;
        artifact.setMetadata(manifest.annotations().isEmpty() ? null : new LinkedHashMap<>(manifest.annotations()));
        status.setArtifact(artifact);
        status.setUrl(artifact.getUrl());
        status.setObservedIgnore(spec.getIgnore());
        status.setObservedLayerSelector(spec.getLayerSelector());
        r.revision(resolved.revision());
        String message = "stored artifact for digest '" + resolved.revision() + "'";
        conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, Conditions.SUCCEEDED, message);
        Ready ready = Ready.of(Conditions.SUCCEEDED, message);
        if (!changed) {
            return ready;
        }
        StringBuilder event = new StringBuilder("stored artifact with revision '").append(resolved.revision())
                .append("' from '").append(spec.getUrl()).append('\'');
        String origin = manifest.annotations().get(FluxArtifacts.SOURCE_ANNOTATION);
        String originRevision = manifest.annotations().get(FluxArtifacts.REVISION_ANNOTATION);
        if (origin != null) {
            event.append(", origin source '").append(origin).append('\'');
        }
        if (originRevision != null) {
            event.append(", origin revision '").append(originRevision).append('\'');
        }
        return ready.changed().announcedAs("NewArtifact", event.toString(), Map.of());
    }

    private static boolean sameSelector(OCILayerSelector a, OCILayerSelector b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getMediaType(), b.getMediaType()) && Objects.equals(a.getOperation(), b.getOperation());
    }

    private static ReconcileFailure pullFailed(Reconciliation<OCIRepository, OCIRepositoryStatus> r, String message) {
        r.conditions().markTrue(SourceKinds.FETCH_FAILED, PULL_FAILED, message);
        return ReconcileFailure.retry(PULL_FAILED, message);
    }

    private static ReconcileFailure storageFailure(Conditions conditions, String reason, String message) {
        conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, reason, message);
        return ReconcileFailure.retry(reason, message);
    }

    /** On deletion: remove every artifact of the object, then let it go. */
    @Override
    public DeleteControl cleanup(OCIRepository repo, Context<OCIRepository> context) {
        return SourceKinds.removeArtifacts(repo, KIND, storage, this::forget);
    }
}
