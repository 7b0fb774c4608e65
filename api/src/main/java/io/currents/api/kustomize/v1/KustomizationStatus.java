package io.currents.api.kustomize.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxStatus;
import io.currents.api.meta.ReconcileRequestStatus;
import io.currents.api.meta.ResourceInventory;
import io.currents.api.meta.Snapshot;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of a Kustomization. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KustomizationStatus extends ReconcileRequestStatus implements FluxStatus {

    private Long observedGeneration;

    private List<Condition> conditions;

    private String lastAppliedRevision;

    private String lastAppliedOriginRevision;

    private String lastAttemptedRevision;

    private ResourceInventory inventory;

    private List<Snapshot> history;

    /** Currents extension: the prune refused by the deletion guard, if the last reconcile refused one. */
    private BlockedPrune blockedPrune;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getLastAppliedRevision() {
        return lastAppliedRevision;
    }

    public void setLastAppliedRevision(String lastAppliedRevision) {
        this.lastAppliedRevision = lastAppliedRevision;
    }

    public String getLastAppliedOriginRevision() {
        return lastAppliedOriginRevision;
    }

    public void setLastAppliedOriginRevision(String lastAppliedOriginRevision) {
        this.lastAppliedOriginRevision = lastAppliedOriginRevision;
    }

    public String getLastAttemptedRevision() {
        return lastAttemptedRevision;
    }

    public void setLastAttemptedRevision(String lastAttemptedRevision) {
        this.lastAttemptedRevision = lastAttemptedRevision;
    }

    public ResourceInventory getInventory() {
        return inventory;
    }

    public void setInventory(ResourceInventory inventory) {
        this.inventory = inventory;
    }

    public List<Snapshot> getHistory() {
        return history;
    }

    public void setHistory(List<Snapshot> history) {
        this.history = history;
    }

    public BlockedPrune getBlockedPrune() {
        return blockedPrune;
    }

    public void setBlockedPrune(BlockedPrune blockedPrune) {
        this.blockedPrune = blockedPrune;
    }
}
