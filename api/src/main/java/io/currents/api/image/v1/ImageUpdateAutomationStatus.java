package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.DateTime;
import io.currents.api.meta.FluxStatus;
import io.currents.api.meta.ReconcileRequestStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Map;

/** Observed state of an ImageUpdateAutomation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageUpdateAutomationStatus extends ReconcileRequestStatus implements FluxStatus {

    @DateTime
    private String lastAutomationRunTime;

    private String lastPushCommit;

    @DateTime
    private String lastPushTime;

    private Long observedGeneration;

    private List<Condition> conditions;

    private Map<String, ImageRef> observedPolicies;

    private String observedSourceRevision;

    public String getLastAutomationRunTime() {
        return lastAutomationRunTime;
    }

    public void setLastAutomationRunTime(String lastAutomationRunTime) {
        this.lastAutomationRunTime = lastAutomationRunTime;
    }

    public String getLastPushCommit() {
        return lastPushCommit;
    }

    public void setLastPushCommit(String lastPushCommit) {
        this.lastPushCommit = lastPushCommit;
    }

    public String getLastPushTime() {
        return lastPushTime;
    }

    public void setLastPushTime(String lastPushTime) {
        this.lastPushTime = lastPushTime;
    }

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

    public Map<String, ImageRef> getObservedPolicies() {
        return observedPolicies;
    }

    public void setObservedPolicies(Map<String, ImageRef> observedPolicies) {
        this.observedPolicies = observedPolicies;
    }

    public String getObservedSourceRevision() {
        return observedSourceRevision;
    }

    public void setObservedSourceRevision(String observedSourceRevision) {
        this.observedSourceRevision = observedSourceRevision;
    }
}
