package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxStatus;
import io.currents.api.meta.OneOf;
import io.currents.api.meta.ReconcileRequestStatus;
import io.currents.api.meta.ResourceInventory;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of a HelmRelease. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmReleaseStatus extends ReconcileRequestStatus implements FluxStatus {

    private Long observedGeneration;

    private String observedPostRenderersDigest;

    private String observedCommonMetadataDigest;

    private Long lastAttemptedGeneration;

    private List<Condition> conditions;

    private String helmChart;

    @Size(min = 1, max = 63)
    private String storageNamespace;

    private List<Snapshot> history;

    @OneOf({"install", "upgrade"})
    private String lastAttemptedReleaseAction;

    private String lastAttemptedReleaseActionDuration;

    private Long failures;

    private Long installFailures;

    private Long upgradeFailures;

    private String lastAttemptedRevision;

    private String lastAttemptedRevisionDigest;

    private String lastAttemptedValuesChecksum;

    private Integer lastReleaseRevision;

    private String lastAttemptedConfigDigest;

    private String lastHandledForceAt;

    private String lastHandledResetAt;

    private ResourceInventory inventory;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getObservedPostRenderersDigest() {
        return observedPostRenderersDigest;
    }

    public void setObservedPostRenderersDigest(String observedPostRenderersDigest) {
        this.observedPostRenderersDigest = observedPostRenderersDigest;
    }

    public String getObservedCommonMetadataDigest() {
        return observedCommonMetadataDigest;
    }

    public void setObservedCommonMetadataDigest(String observedCommonMetadataDigest) {
        this.observedCommonMetadataDigest = observedCommonMetadataDigest;
    }

    public Long getLastAttemptedGeneration() {
        return lastAttemptedGeneration;
    }

    public void setLastAttemptedGeneration(Long lastAttemptedGeneration) {
        this.lastAttemptedGeneration = lastAttemptedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getHelmChart() {
        return helmChart;
    }

    public void setHelmChart(String helmChart) {
        this.helmChart = helmChart;
    }

    public String getStorageNamespace() {
        return storageNamespace;
    }

    public void setStorageNamespace(String storageNamespace) {
        this.storageNamespace = storageNamespace;
    }

    public List<Snapshot> getHistory() {
        return history;
    }

    public void setHistory(List<Snapshot> history) {
        this.history = history;
    }

    public String getLastAttemptedReleaseAction() {
        return lastAttemptedReleaseAction;
    }

    public void setLastAttemptedReleaseAction(String lastAttemptedReleaseAction) {
        this.lastAttemptedReleaseAction = lastAttemptedReleaseAction;
    }

    public String getLastAttemptedReleaseActionDuration() {
        return lastAttemptedReleaseActionDuration;
    }

    public void setLastAttemptedReleaseActionDuration(String lastAttemptedReleaseActionDuration) {
        this.lastAttemptedReleaseActionDuration = lastAttemptedReleaseActionDuration;
    }

    public Long getFailures() {
        return failures;
    }

    public void setFailures(Long failures) {
        this.failures = failures;
    }

    public Long getInstallFailures() {
        return installFailures;
    }

    public void setInstallFailures(Long installFailures) {
        this.installFailures = installFailures;
    }

    public Long getUpgradeFailures() {
        return upgradeFailures;
    }

    public void setUpgradeFailures(Long upgradeFailures) {
        this.upgradeFailures = upgradeFailures;
    }

    public String getLastAttemptedRevision() {
        return lastAttemptedRevision;
    }

    public void setLastAttemptedRevision(String lastAttemptedRevision) {
        this.lastAttemptedRevision = lastAttemptedRevision;
    }

    public String getLastAttemptedRevisionDigest() {
        return lastAttemptedRevisionDigest;
    }

    public void setLastAttemptedRevisionDigest(String lastAttemptedRevisionDigest) {
        this.lastAttemptedRevisionDigest = lastAttemptedRevisionDigest;
    }

    public String getLastAttemptedValuesChecksum() {
        return lastAttemptedValuesChecksum;
    }

    public void setLastAttemptedValuesChecksum(String lastAttemptedValuesChecksum) {
        this.lastAttemptedValuesChecksum = lastAttemptedValuesChecksum;
    }

    public Integer getLastReleaseRevision() {
        return lastReleaseRevision;
    }

    public void setLastReleaseRevision(Integer lastReleaseRevision) {
        this.lastReleaseRevision = lastReleaseRevision;
    }

    public String getLastAttemptedConfigDigest() {
        return lastAttemptedConfigDigest;
    }

    public void setLastAttemptedConfigDigest(String lastAttemptedConfigDigest) {
        this.lastAttemptedConfigDigest = lastAttemptedConfigDigest;
    }

    public String getLastHandledForceAt() {
        return lastHandledForceAt;
    }

    public void setLastHandledForceAt(String lastHandledForceAt) {
        this.lastHandledForceAt = lastHandledForceAt;
    }

    public String getLastHandledResetAt() {
        return lastHandledResetAt;
    }

    public void setLastHandledResetAt(String lastHandledResetAt) {
        this.lastHandledResetAt = lastHandledResetAt;
    }

    public ResourceInventory getInventory() {
        return inventory;
    }

    public void setInventory(ResourceInventory inventory) {
        this.inventory = inventory;
    }
}
