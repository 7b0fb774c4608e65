package io.currents.api.meta;

import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** The status fields every reconciled Flux kind has: conditions, observed generation and the last handled reconcile request. */
public interface FluxStatus {

    List<Condition> getConditions();

    void setConditions(List<Condition> conditions);

    Long getObservedGeneration();

    void setObservedGeneration(Long observedGeneration);

    String getLastHandledReconcileAt();

    void setLastHandledReconcileAt(String lastHandledReconcileAt);
}
