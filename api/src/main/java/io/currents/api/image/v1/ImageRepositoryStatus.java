package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxStatus;
import io.currents.api.meta.ReconcileRequestStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of an ImageRepository. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageRepositoryStatus extends ReconcileRequestStatus implements FluxStatus {

    private List<Condition> conditions;

    private Long observedGeneration;

    private String canonicalImageName;

    private ScanResult lastScanResult;

    private List<String> observedExclusionList;

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getCanonicalImageName() {
        return canonicalImageName;
    }

    public void setCanonicalImageName(String canonicalImageName) {
        this.canonicalImageName = canonicalImageName;
    }

    public ScanResult getLastScanResult() {
        return lastScanResult;
    }

    public void setLastScanResult(ScanResult lastScanResult) {
        this.lastScanResult = lastScanResult;
    }

    public List<String> getObservedExclusionList() {
        return observedExclusionList;
    }

    public void setObservedExclusionList(List<String> observedExclusionList) {
        this.observedExclusionList = observedExclusionList;
    }
}
