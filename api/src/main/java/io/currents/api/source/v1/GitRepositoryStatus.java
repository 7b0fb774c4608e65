package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxStatus;
import io.currents.api.meta.ReconcileRequestStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of a GitRepository. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitRepositoryStatus extends ReconcileRequestStatus implements FluxStatus {

    private Long observedGeneration;

    private List<Condition> conditions;

    private Artifact artifact;

    private List<Artifact> includedArtifacts;

    private String observedIgnore;

    private Boolean observedRecurseSubmodules;

    private List<GitRepositoryInclude> observedInclude;

    private List<String> observedSparseCheckout;

    private String sourceVerificationMode;

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

    public Artifact getArtifact() {
        return artifact;
    }

    public void setArtifact(Artifact artifact) {
        this.artifact = artifact;
    }

    public List<Artifact> getIncludedArtifacts() {
        return includedArtifacts;
    }

    public void setIncludedArtifacts(List<Artifact> includedArtifacts) {
        this.includedArtifacts = includedArtifacts;
    }

    public String getObservedIgnore() {
        return observedIgnore;
    }

    public void setObservedIgnore(String observedIgnore) {
        this.observedIgnore = observedIgnore;
    }

    public Boolean getObservedRecurseSubmodules() {
        return observedRecurseSubmodules;
    }

    public void setObservedRecurseSubmodules(Boolean observedRecurseSubmodules) {
        this.observedRecurseSubmodules = observedRecurseSubmodules;
    }

    public List<GitRepositoryInclude> getObservedInclude() {
        return observedInclude;
    }

    public void setObservedInclude(List<GitRepositoryInclude> observedInclude) {
        this.observedInclude = observedInclude;
    }

    public List<String> getObservedSparseCheckout() {
        return observedSparseCheckout;
    }

    public void setObservedSparseCheckout(List<String> observedSparseCheckout) {
        this.observedSparseCheckout = observedSparseCheckout;
    }

    public String getSourceVerificationMode() {
        return sourceVerificationMode;
    }

    public void setSourceVerificationMode(String sourceVerificationMode) {
        this.sourceVerificationMode = sourceVerificationMode;
    }
}
