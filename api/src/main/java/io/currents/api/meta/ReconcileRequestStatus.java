package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Status field shared by every reconciled kind: the last handled {@code reconcile.fluxcd.io/requestedAt} value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReconcileRequestStatus {

    private String lastHandledReconcileAt;

    public String getLastHandledReconcileAt() {
        return lastHandledReconcileAt;
    }

    public void setLastHandledReconcileAt(String lastHandledReconcileAt) {
        this.lastHandledReconcileAt = lastHandledReconcileAt;
    }
}
