package io.currents.api.source.extensions.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.ReconcileRequestStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of an ArtifactGenerator: conditions, the ExternalArtifacts it produced, and the digest of the inputs last built. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ArtifactGeneratorStatus extends ReconcileRequestStatus {

    private List<Condition> conditions;

    private List<ExternalArtifactReference> inventory;

    private String observedSourcesDigest;

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
