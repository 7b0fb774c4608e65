package io.currents.kustomize.controller;

/**
 * A reconcile step that could not complete: carries Flux's reason for the Ready condition and a message a
 * person can act on (never a secret value).
 */
final class ReconcileFailure extends Exception {

    private final String reason;
    private final boolean stalled;

    ReconcileFailure(String reason, String message) {
        this(reason, message, false, null);
    }

    ReconcileFailure(String reason, String message, boolean stalled, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
        this.stalled = stalled;
    }

    /** A failure retrying cannot fix until the spec changes. */
    static ReconcileFailure stalled(String reason, String message) {
        return new ReconcileFailure(reason, message, true, null);
    }

    String reason() {
        return reason;
    }

    boolean isStalled() {
        return stalled;
    }
}
