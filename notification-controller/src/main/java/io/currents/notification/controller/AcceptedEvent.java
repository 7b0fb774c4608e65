package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event the events endpoint acknowledged, with what must happen once it is finished: its spool file (if any) is
 * removed when every Alert that matched it has had its delivery succeed or finally fail ({@link #expect}, {@link #done}).
 */
public final class AcceptedEvent {

    private final FluxEvent event;
    private final Runnable release;
    private final AtomicInteger pending = new AtomicInteger(-1);
    private final AtomicBoolean released = new AtomicBoolean();

    AcceptedEvent(FluxEvent event, Runnable release) {
        this.event = event;
        this.release = release;
    }

    /** An event kept in memory only: nothing to release. */
    static AcceptedEvent inMemory(FluxEvent event) {
        return new AcceptedEvent(event, () -> { });
    }

    FluxEvent event() {
        return event;
    }

    /** The number of deliveries the routing produced for it; none finishes it at once. */
    void expect(int deliveries) {
        pending.set(deliveries);
        if (deliveries == 0) {
            release();
        }
    }

    /** One delivery finished (sent, given up after its retries, or skipped by a Provider rule). */
    void done() {
        if (pending.decrementAndGet() == 0) {
            release();
        }
    }

    /** Finishes it now (the queue refused it, or nothing will deliver it). */
    void release() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }

    boolean isReleased() {
        return released.get();
    }
}
