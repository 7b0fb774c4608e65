package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The head of the event pipeline: accepted events go onto the {@code events} channel, buffered, so that the HTTP request
 * never waits for matching or delivery. With {@code events-spool-dir} set, each event is first written to the
 * {@link EventSpool} and the events a killed process left there are routed again at start-up, once the Alerts and
 * Providers are in the caches (at least once); without it, accepted events live in memory only (at most once, as
 * Flux). A bean of its own because the emitter can only be connected once messaging has started, after the HTTP routes
 * are registered.
 */
@ApplicationScoped
public class EventQueue {

    private static final Logger LOG = Logger.getLogger(EventQueue.class);

    @Inject
    @Channel("events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<AcceptedEvent> events;

    @ConfigProperty(name = "events-spool-dir")
    Optional<String> spoolDir;
    @ConfigProperty(name = "events-spool-max-events", defaultValue = "1000")
    int spoolMaxEvents;
    @ConfigProperty(name = "events-spool-max-bytes", defaultValue = "32M")
    MemorySize spoolMaxBytes;

    private EventSpool spool;

    /** Why an event was not accepted: the spool is full or cannot be written, or the buffer is full. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    @PostConstruct
    void open() {
        if (spoolDir.isEmpty() || spoolDir.get().isBlank()) {
            return;
        }
        try {
            spool = EventSpool.open(Path.of(spoolDir.get()), spoolMaxEvents, spoolMaxBytes.asLongValue());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event spool " + spoolDir.get(), e);
        }
        LOG.infof("event spool %s: %d events left by the previous run", spool.directory(), spool.events());
    }

    /** Routes the events of the spool again; after the default observers, so after the informers' initial lists. */
    void replayAtStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent start) throws InterruptedException {
        replay();
    }

    /** Routes the events found in the spool that this process did not write (a previous process left them). */
    void replay() throws InterruptedException {
        if (spool == null) {
            return;
        }
        List<AcceptedEvent> recovered = spool.recover();
        for (AcceptedEvent event : recovered) {
            // the buffer may be full of new events: wait for room (up to a minute) rather than drop an acknowledged one
            for (int attempt = 0; ; attempt++) {
                try {
                    events.send(event);
                    break;
                } catch (RuntimeException e) {
                    if (attempt == 600) {
                        LOG.errorf("cannot queue the spooled events: %s; they stay in the spool for the next start", e.getMessage());
                        return;
                    }
                    Thread.sleep(100);
                }
            }
        }
        if (!recovered.isEmpty()) {
            LOG.infof("replaying %d spooled events accepted before the restart", recovered.size());
        }
    }

    /** Takes the event: spooled first when the spool is on, then queued; returns once it is acknowledged. */
    void accept(FluxEvent event) throws Refused {
        AcceptedEvent accepted;
        if (spool == null) {
            accepted = AcceptedEvent.inMemory(event);
        } else {
            try {
                accepted = spool.write(event);
            } catch (EventSpool.Full e) {
                throw new Refused(e.getMessage());
            } catch (IOException e) {
                LOG.errorf("cannot write to the event spool %s: %s", spool.directory(), e.getMessage());
                throw new Refused("cannot write the event to the spool");
            }
        }
        try {
            events.send(accepted);
        } catch (RuntimeException e) {
            accepted.release();
            throw new Refused("event queue is full");
        }
    }

    /** The spool, or null when events are kept in memory only. */
    EventSpool spool() {
        return spool;
    }
}
