package io.currents.runtime.build;

/**
 * A reconcile step that could not complete: carries Flux's reason for the Ready condition and a message a
 * person can act on (never a secret value).
 */
public final class ReconcileFailure extends Exception {

    private final String reason;
    private final boolean stalled;

    public ReconcileFailure(String reason, String message) {
        this(reason, message, false, null);
    }

    public ReconcileFailure(String reason, String message, boolean stalled, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
        this.stalled = stalled;
    }

    /** A failure retrying cannot fix until the spec changes. */
    public static ReconcileFailure stalled(String reason, String message) {
        return new ReconcileFailure(reason, message, true, null);
    }

    public String reason() {
        return reason;
    }

    public boolean isStalled() {
        return stalled;
    }
}
