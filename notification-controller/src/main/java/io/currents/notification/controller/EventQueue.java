package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The head of the in-memory event pipeline: accepted events go onto the {@code events} channel, buffered, so that the
 * HTTP request never waits for matching or delivery. A bean of its own because the emitter can only be connected once
 * messaging has started, after the HTTP routes are registered.
 */
@ApplicationScoped
public class EventQueue {

    @Inject
    @Channel("events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<FluxEvent> events;

    /** Queues the event; throws when the buffer is full. */
    void offer(FluxEvent event) {
        events.send(event);
    }
}
