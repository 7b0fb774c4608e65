package io.currents.api.notification.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxStatus;
import io.currents.api.meta.ReconcileRequestStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of a Receiver. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReceiverStatus extends ReconcileRequestStatus implements FluxStatus {

    private List<Condition> conditions;

    private String webhookPath;

    private Long observedGeneration;

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getWebhookPath() {
        return webhookPath;
    }

    public void setWebhookPath(String webhookPath) {
        this.webhookPath = webhookPath;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
}
