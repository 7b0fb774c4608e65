package io.currents.runtime.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * The one way a reconcile step fails: Flux's reason for the Ready condition, a message a person can act on (never
 * a secret value), whether retrying can help (retry) or only a spec change can (stalled), when to look again, and
 * what event tells people about it. {@link FluxReconciler} turns it into conditions, an event and a requeue.
 */
public final class ReconcileFailure extends Exception {

    /** What the failure's event is, when Ready changes because of it. */
    public enum Severity {
        /** A Warning event (Flux severity {@code error}): the default. */
        ERROR,
        /** A Normal event (severity {@code info}): waiting on something that is expected to come (a dependency). */
        INFO,
        /** No event: the steps already recorded events that say what happened. */
        NONE
    }

    private final String reason;
    private final boolean stalled;
    private Duration requeueAfter;
    private Severity severity = Severity.ERROR;
    private String eventMessage;
    private boolean keepsReady;

    /** A failure that is retried with backoff. */
    public ReconcileFailure(String reason, String message) {
        this(reason, message, false, null);
    }

    public ReconcileFailure(String reason, String message, boolean stalled, Throwable cause) {
        super(message, cause, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.stalled = stalled;
    }

    /** A failure retrying cannot fix until the spec changes: Stalled=True, and no requeue unless one is set. */
    public static ReconcileFailure stalled(String reason, String message) {
        return new ReconcileFailure(reason, message, true, null);
    }

    /** A failure that is retried, with backoff unless {@link #requeueAfter} sets the delay. */
    public static ReconcileFailure retry(String reason, String message) {
        return new ReconcileFailure(reason, message, false, null);
    }

    /** Look again after exactly {@code delay} (e.g. the dependency requeue interval) instead of backing off. */
    public ReconcileFailure requeueAfter(Duration delay) {
        this.requeueAfter = delay;
        return this;
    }

    /** Announce the failure as information rather than as an error, in {@code message} (Flux's "retrying in 30s"). */
    public ReconcileFailure informational(String message) {
        this.severity = Severity.INFO;
        this.eventMessage = message;
        return this;
    }

    /** The steps already recorded events that say what failed: no further event. */
    public ReconcileFailure reported() {
        this.severity = Severity.NONE;
        return this;
    }

    /**
     * Stalled, but Ready keeps the reason and message a step gave it (helm-controller: Ready says {@code UpgradeFailed}
     * while Stalled says {@code RetriesExceeded}).
     */
    public ReconcileFailure keepingReady() {
        this.keepsReady = true;
        return this;
    }

    /** The same failure with another message (e.g. with secret values redacted). */
    public ReconcileFailure withMessage(String message) {
        ReconcileFailure copy = new ReconcileFailure(reason, message, stalled, getCause());
        copy.requeueAfter = requeueAfter;
        copy.severity = severity;
        copy.eventMessage = eventMessage;
        copy.keepsReady = keepsReady;
        return copy;
    }

    public String reason() {
        return reason;
    }

    public boolean isStalled() {
        return stalled;
    }

    /** The delay before the next attempt, or null for the default (backoff when retried, none when stalled). */
    public Duration requeueAfterOrNull() {
        return requeueAfter;
    }

    public Severity severity() {
        return severity;
    }

    /** The event's message: the failure's own unless {@link #informational} gave another. */
    public String eventMessage() {
        return eventMessage != null ? eventMessage : getMessage();
    }

    public boolean keepsReady() {
        return keepsReady;
    }
}
