package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxStatus;
import io.currents.api.meta.ReconcileRequestStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of an ImagePolicy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImagePolicyStatus extends ReconcileRequestStatus implements FluxStatus {

    private ImageRef latestRef;

    private ImageRef observedPreviousRef;

    private Long observedGeneration;

    private List<Condition> conditions;

    public ImageRef getLatestRef() {
        return latestRef;
    }

    public void setLatestRef(ImageRef latestRef) {
        this.latestRef = latestRef;
    }

    public ImageRef getObservedPreviousRef() {
        return observedPreviousRef;
    }

    public void setObservedPreviousRef(ImageRef observedPreviousRef) {
        this.observedPreviousRef = observedPreviousRef;
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
}
