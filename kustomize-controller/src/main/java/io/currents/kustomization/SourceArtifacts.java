package io.currents.kustomization;

import io.currents.api.kustomize.v1.CrossNamespaceSourceReference;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.meta.Artifact;
import io.currents.api.source.v1.ArtifactSource;
import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.ExternalArtifact;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.OCIRepository;
import io.currents.runtime.artifact.TrustedSources;
import io.currents.runtime.manifests.Reasons;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.SourceWatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.Map;
import java.util.Optional;

/**
 * Finds the source a Kustomization points at ({@code spec.sourceRef}: GitRepository, OCIRepository or Bucket,
 * in any namespace unless cross-namespace references are disabled) and its artifact, from the watch caches
 * first and from the API server when the cache has not seen the object yet.
 */
final class SourceArtifacts {

    static final Map<String, Class<? extends ArtifactSource>> KINDS = Map.of(
            "GitRepository", GitRepository.class,
            "OCIRepository", OCIRepository.class,
            "Bucket", Bucket.class);

    /** Flux's feature gate that lets sourceRef name an ExternalArtifact (on when source-watcher is installed). */
    static final String EXTERNAL_ARTIFACT_GATE = "ExternalArtifact";

    /** The kinds sourceRef may name: {@link #KINDS}, and ExternalArtifact when its feature gate is on. */
    static Map<String, Class<? extends ArtifactSource>> kinds(boolean externalArtifacts) {
        if (!externalArtifacts) {
            return KINDS;
        }
        Map<String, Class<? extends ArtifactSource>> kinds = new java.util.LinkedHashMap<>(KINDS);
        kinds.put("ExternalArtifact", ExternalArtifact.class);
        return kinds;
    }

    /** A resolved source: its kind/namespace/name and artifact (null while it has none). */
    record Source(String kind, String namespace, String name, Artifact artifact) {
        String subject() {
            return kind + "/" + namespace + "/" + name;
        }
    }

    private final KubernetesClient client;
    private final boolean noCrossNamespaceRefs;
    private final boolean externalArtifacts;
    private final Map<String, InformerEventSource<? extends HasMetadata, Kustomization>> caches;

    SourceArtifacts(KubernetesClient client, boolean noCrossNamespaceRefs, boolean externalArtifacts,
                    Map<String, InformerEventSource<? extends HasMetadata, Kustomization>> caches) {
        this.client = client;
        this.noCrossNamespaceRefs = noCrossNamespaceRefs;
        this.externalArtifacts = externalArtifacts;
        this.caches = caches;
    }

    /** The index key of a Kustomization's source, also the key of a source object. */
    static String key(String kind, String namespace, String name) {
        return SourceWatch.key(kind, namespace, name);
    }

    static String sourceKeyOf(Kustomization k) {
        CrossNamespaceSourceReference ref = k.getSpec().getSourceRef();
        return key(ref.getKind(), namespaceOf(k), ref.getName());
    }

    static String namespaceOf(Kustomization k) {
        String ns = k.getSpec().getSourceRef().getNamespace();
        return ns == null || ns.isEmpty() ? k.getMetadata().getNamespace() : ns;
    }

    Source resolve(Kustomization k) throws ReconcileFailure {
        CrossNamespaceSourceReference ref = k.getSpec().getSourceRef();
        String namespace = namespaceOf(k);
        String subject = ref.getKind() + "/" + namespace + "/" + ref.getName();
        if (noCrossNamespaceRefs && !namespace.equals(k.getMetadata().getNamespace())) {
            throw ReconcileFailure.stalled(Reasons.ACCESS_DENIED,
                    "can't access '" + subject + "', cross-namespace references have been blocked");
        }
        if ("ExternalArtifact".equals(ref.getKind()) && !externalArtifacts) {
            throw ReconcileFailure.stalled(Reasons.ACCESS_DENIED, "can't access '" + subject + "', "
                    + EXTERNAL_ARTIFACT_GATE + " feature gate is disabled");
        }
        Class<? extends ArtifactSource> type = kinds(externalArtifacts).get(ref.getKind());
        if (type == null) {
            throw ReconcileFailure.stalled(Reasons.ARTIFACT_FAILED,
                    "source `" + ref.getName() + "` kind '" + ref.getKind() + "' not supported");
        }
        if (!TrustedSources.isTrusted(ref.getKind())) {
            throw ReconcileFailure.stalled(Reasons.ARTIFACT_FAILED, TrustedSources.refusal(ref.getKind(), "'" + subject + "'"));
        }
        ArtifactSource source = cached(ref.getKind(), namespace, ref.getName()).orElse(null);
        if (source == null) {
            try {
                source = client.resources(type).inNamespace(namespace).withName(ref.getName()).get();
            } catch (KubernetesClientException e) {
                throw new ReconcileFailure(Reasons.ARTIFACT_FAILED, "unable to get source '" + namespace + "/" + ref.getName() + "': " + e.getMessage());
            }
        }
        if (source == null) {
            throw new ReconcileFailure(Reasons.ARTIFACT_FAILED, "Source '" + subject + "' not found");
        }
        return new Source(ref.getKind(), namespace, ref.getName(), source.getArtifact());
    }

    private Optional<ArtifactSource> cached(String kind, String namespace, String name) {
        var cache = caches == null ? null : caches.get(kind);
        if (cache == null) {
            return Optional.empty();
        }
        try {
            return cache.get(new ResourceID(name, namespace)).map(ArtifactSource.class::cast);
        } catch (RuntimeException e) {
            // Not started yet (e.g. during start-up): fall back to the API server.
            return Optional.empty();
        }
    }
}
