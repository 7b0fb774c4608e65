package io.currents.runtime.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a reconcile that succeeded ends: the Ready condition's reason and message, when to come back, and the event
 * that announces it. By default the event repeats Ready's words and is recorded only when Ready changed (status or
 * message); {@link #changed()} records it even when Ready says the same (a new artifact, objects re-applied).
 */
public final class Ready {

    enum Requeue { INTERVAL, AFTER, NEVER }

    private final String reason;
    private final String message;
    private final Requeue requeue;
    private final Duration requeueAfter;
    private final boolean changed;
    private final boolean reported;
    private final String eventReason;
    private final String eventMessage;
    private final Map<String, String> eventMetadata;

    private Ready(String reason, String message, Requeue requeue, Duration requeueAfter, boolean changed, boolean reported,
                  String eventReason, String eventMessage, Map<String, String> eventMetadata) {
        this.reason = Objects.requireNonNull(reason, "reason");
        this.message = message == null ? "" : message;
        this.requeue = requeue;
        this.requeueAfter = requeueAfter;
        this.changed = changed;
        this.reported = reported;
        this.eventReason = eventReason;
        this.eventMessage = eventMessage;
        this.eventMetadata = eventMetadata;
    }

    /** Ready=True with this reason and message; back after the object's interval (with jitter). */
    public static Ready of(String reason, String message) {
        return new Ready(reason, message, Requeue.INTERVAL, null, false, false, null, null, Map.of());
    }

    /** Back after {@code delay} (with jitter) instead of the interval, e.g. when the next scan is due. */
    public Ready requeueAfter(Duration delay) {
        return new Ready(reason, message, Requeue.AFTER, delay, changed, reported, eventReason, eventMessage, eventMetadata);
    }

    /** Not back until something changes: for kinds that watch their inputs and have no interval of their own. */
    public Ready withoutRequeue() {
        return new Ready(reason, message, Requeue.NEVER, null, changed, reported, eventReason, eventMessage, eventMetadata);
    }

    /** Something new came of this reconcile: announce it even when Ready reads as before. */
    public Ready changed() {
        return changed(true);
    }

    public Ready changed(boolean changed) {
        return new Ready(reason, message, requeue, requeueAfter, changed, reported, eventReason, eventMessage, eventMetadata);
    }

    /** The steps recorded their own events for this outcome (Helm's InstallSucceeded): no further event. */
    public Ready reported() {
        return new Ready(reason, message, requeue, requeueAfter, changed, true, eventReason, eventMessage, eventMetadata);
    }

    /** The event's words, when an event is due, instead of Ready's; {@code metadata} is added to the kind's. */
    public Ready announcedAs(String reason, String message, Map<String, String> metadata) {
        return new Ready(this.reason, this.message, requeue, requeueAfter, changed, reported, reason, message,
                metadata == null ? Map.of() : Map.copyOf(metadata));
    }

    public String reason() {
        return reason;
    }

    public String message() {
        return message;
    }

    Requeue requeue() {
        return requeue;
    }

    Duration requeueAfter() {
        return requeueAfter;
    }

    boolean isChanged() {
        return changed;
    }

    boolean isReported() {
        return reported;
    }

    String eventReason() {
        return eventReason != null ? eventReason : reason;
    }

    String eventMessage() {
        return eventMessage != null ? eventMessage : message;
    }

    Map<String, String> eventMetadata() {
        return eventMetadata;
    }
}
