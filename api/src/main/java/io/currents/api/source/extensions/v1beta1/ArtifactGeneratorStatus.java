package io.currents.api.source.extensions.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.currents.api.meta.FluxStatus;
import io.currents.api.meta.ReconcileRequestStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of an ArtifactGenerator: conditions, the ExternalArtifacts it produced, and the digest of the inputs last built. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ArtifactGeneratorStatus extends ReconcileRequestStatus implements FluxStatus {

    private List<Condition> conditions;

    private List<ExternalArtifactReference> inventory;

    private String observedSourcesDigest;

    // Flux's ArtifactGenerator status has no observedGeneration: kept in memory for the reconcile skeleton, never written
    @JsonIgnore
    private Long observedGeneration;

    @JsonIgnore
    @Override
    public Long getObservedGeneration() {
        return observedGeneration;
    }

    @JsonIgnore
    @Override
    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public List<ExternalArtifactReference> getInventory() {
        return inventory;
    }

    public void setInventory(List<ExternalArtifactReference> inventory) {
        this.inventory = inventory;
    }

    public String getObservedSourcesDigest() {
        return observedSourcesDigest;
    }

    public void setObservedSourcesDigest(String observedSourcesDigest) {
        this.observedSourcesDigest = observedSourcesDigest;
    }
}
