package io.currents.sourcewatcher;

import io.currents.api.meta.Artifact;
import io.currents.api.source.extensions.v1beta1.ArtifactGenerator;
import io.currents.api.source.extensions.v1beta1.SourceReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The current artifacts of an ArtifactGenerator's sources, by alias, read from each source's {@code status.artifact}
 * (GitRepository, OCIRepository, Bucket, HelmChart or ExternalArtifact), and their digest as Flux's source-watcher
 * computes it: a change of any source's digest, revision or URL changes it, and triggers a new build.
 */
public final class ObservedSources {

    /** Kinds a generator may read, with their plural in {@code source.toolkit.fluxcd.io/v1}. */
    static final Map<String, String> KINDS = Map.of(
            "GitRepository", "gitrepositories",
            "OCIRepository", "ocirepositories",
            "Bucket", "buckets",
            "HelmChart", "helmcharts",
            "ExternalArtifact", "externalartifacts");

    /** A source's artifact, and the origin revision it carries (the monorepo commit of a decomposed artifact). */
    public record Observed(Artifact artifact, String originRevision) {
    }

    /** Why a source could not be observed; not terminal: the source may appear or become ready. */
    public static final class NotReady extends Exception {
        NotReady(String message) {
            super(message);
        }
    }

    private ObservedSources() {
    }

    /** Reads every source; the first missing or artifact-less one stops with a message naming it. */
    public static Map<String, Observed> observe(KubernetesClient client, ArtifactGenerator generator) throws NotReady {
        Map<String, Observed> observed = new LinkedHashMap<>();
        for (SourceReference ref : generator.getSpec().getSources()) {
            String namespace = ref.getNamespace() == null || ref.getNamespace().isEmpty()
                    ? generator.getMetadata().getNamespace() : ref.getNamespace();
            String plural = KINDS.get(ref.getKind());
            if (plural == null) {
                throw new NotReady("source `" + ref.getName() + "` kind '" + ref.getKind() + "' not supported");
            }
            GenericKubernetesResource source;
            try {
                source = client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", ref.getKind())
                        .inNamespace(namespace).withName(ref.getName()).get();
            } catch (KubernetesClientException e) {
                throw new NotReady("unable to get source '" + namespace + "/" + ref.getName() + "': " + e.getMessage());
            }
            if (source == null) {
                throw new NotReady(plural + ".source.toolkit.fluxcd.io \"" + ref.getName() + "\" not found in namespace " + namespace);
            }
            Artifact artifact = artifactOf(client, source);
            if (artifact == null) {
                throw new NotReady("source '" + ref.getKind() + "/" + namespace + "/" + ref.getName() + "' is not ready");
            }
            String origin = artifact.getMetadata() == null ? null : artifact.getMetadata().get(ArtifactGenerator.ORIGIN_REVISION_ANNOTATION);
            observed.put(ref.getAlias(), new Observed(artifact, origin));
        }
        return observed;
    }

    /** {@code sha256:<hex>} over the sorted {@code alias=[digest=…,revision=…,url=…]} lines, as Flux's HashObservedSources. */
    public static String digest(Map<String, Observed> sources) {
        List<String> parts = new ArrayList<>();
        sources.forEach((alias, o) -> parts.add(alias + "=[digest=" + o.artifact().getDigest() + ",revision="
                + o.artifact().getRevision() + ",url=" + o.artifact().getUrl() + "]"));
        parts.sort(null);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Artifact artifactOf(KubernetesClient client, GenericKubernetesResource source) {
        if (!(source.getAdditionalProperties().get("status") instanceof Map<?, ?> status) || status.get("artifact") == null) {
            return null;
        }
        return client.getKubernetesSerialization().convertValue(status.get("artifact"), Artifact.class);
    }
}
