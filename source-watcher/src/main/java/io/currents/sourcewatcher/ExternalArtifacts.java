package io.currents.sourcewatcher;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.NamespacedObjectKindReference;
import io.currents.api.source.extensions.v1beta1.ArtifactGenerator;
import io.currents.api.source.extensions.v1beta1.ExternalArtifactReference;
import io.currents.api.source.v1.ExternalArtifact;
import io.currents.api.source.v1.ExternalArtifactSpec;
import io.currents.api.source.v1.ExternalArtifactStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ExternalArtifact objects an ArtifactGenerator owns: each is applied server-side with the generator's common
 * metadata, the {@code source.extensions.fluxcd.io/generator} label (the generator's UID) and a {@code sourceRef}
 * back to it, and its status carries the stored artifact and a Ready condition, as Flux's source-watcher writes them.
 */
final class ExternalArtifacts {

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private final KubernetesClient client;
    private final String fieldManager;
    private final Clock clock;

    ExternalArtifacts(KubernetesClient client, String fieldManager, Clock clock) {
        this.client = client;
        this.fieldManager = fieldManager;
        this.clock = clock;
    }

    /** Applies the ExternalArtifact of one built artifact and returns the inventory entry for it. */
    ExternalArtifactReference publish(ArtifactGenerator generator, String name, Artifact artifact, Map<String, String> dynamicLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = null;
        var common = generator.getSpec().getCommonMetadata();
        if (common != null) {
            if (common.getLabels() != null) {
                labels.putAll(common.getLabels());
            }
            if (common.getAnnotations() != null && !common.getAnnotations().isEmpty()) {
                annotations = new LinkedHashMap<>(common.getAnnotations());
            }
        }
        labels.putAll(dynamicLabels);
        // reserved: common metadata cannot take them over
        labels.put(MANAGED_BY, fieldManager);
        labels.put(ArtifactGenerator.GENERATOR_LABEL, generator.getMetadata().getUid());

        ExternalArtifact ea = new ExternalArtifact();
        ea.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(generator.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(annotations).build());
        ExternalArtifactSpec spec = new ExternalArtifactSpec();
        NamespacedObjectKindReference ref = new NamespacedObjectKindReference();
        ref.setApiVersion(io.fabric8.kubernetes.api.model.HasMetadata.getApiVersion(ArtifactGenerator.class));
        ref.setKind(io.fabric8.kubernetes.api.model.HasMetadata.getKind(ArtifactGenerator.class));
        ref.setName(generator.getMetadata().getName());
        ref.setNamespace(generator.getMetadata().getNamespace());
        spec.setSourceRef(ref);
        ea.setSpec(spec);
        ExternalArtifact applied = client.resource(ea).fieldManager(fieldManager).forceConflicts().serverSideApply();

        ExternalArtifactStatus status = new ExternalArtifactStatus();
        status.setArtifact(artifact);
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("Succeeded")
                .withMessage("Artifact is ready").withObservedGeneration(applied.getMetadata().getGeneration())
                .withLastTransitionTime(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString()).build()));
        ExternalArtifact withStatus = new ExternalArtifact();
        withStatus.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(generator.getMetadata().getNamespace()).build());
        withStatus.setStatus(status);
        PatchContext apply = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(fieldManager)
                .withForce(true).build();
        client.resource(withStatus).subresource("status").patch(apply, withStatus);

        ExternalArtifactReference entry = new ExternalArtifactReference();
        entry.setName(name);
        entry.setNamespace(generator.getMetadata().getNamespace());
        entry.setDigest(artifact.getDigest());
        entry.setFilename(artifact.getPath().substring(artifact.getPath().lastIndexOf('/') + 1));
        return entry;
    }

    /** The ExternalArtifacts of the generator in the cluster (by its UID label). */
    List<ExternalArtifact> owned(ArtifactGenerator generator) {
        return client.resources(ExternalArtifact.class).inNamespace(generator.getMetadata().getNamespace())
                .withLabel(ArtifactGenerator.GENERATOR_LABEL, generator.getMetadata().getUid()).list().getItems();
    }

    /** Deletes one ExternalArtifact; one already gone is fine. */
    void delete(ExternalArtifactReference ref) {
        try {
            client.resources(ExternalArtifact.class).inNamespace(ref.getNamespace()).withName(ref.getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
