package io.currents.notification.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.events.FluxEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;

/**
 * The events endpoint other controllers post to ({@code events-addr}, port 9090): {@code POST /} with Flux's event JSON.
 * A malformed event is answered 400, a duplicate within {@code rate-limit-interval} 429, an accepted one 202 as soon as
 * it is spooled (with {@code events-spool-dir}) and queued on the {@code events} channel: matching and delivery happen
 * behind it, never on the request. When the spool or the queue is full the answer is 503, which the sender retries.
 */
@ApplicationScoped
public class EventServer {

    private static final Logger LOG = Logger.getLogger(EventServer.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Inject
    EventQueue queue;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "rate-limit-interval", defaultValue = "5m")
    String rateLimitInterval;

    private volatile EventRateLimiter limiter;

    void routes(@Observes Router router) {
        limiter = new EventRateLimiter(FluxDuration.parse(rateLimitInterval), Clock.systemUTC());
        router.post("/").handler(BodyHandler.create().setBodyLimit(4 * 1024 * 1024)).handler(this::receive);
    }

    private void receive(RoutingContext ctx) {
        FluxEvent event;
        try {
            event = JSON.readValue(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(), FluxEvent.class);
        } catch (JsonProcessingException e) {
            answer(ctx, 400, "invalid event JSON: " + e.getOriginalMessage());
            return;
        } catch (IOException e) {
            answer(ctx, 400, "invalid event JSON");
            return;
        }
        String invalid = validate(event);
        if (invalid != null) {
            answer(ctx, 400, invalid);
            return;
        }
        event = EventMetadata.normalise(event);
        if (!limiter.tryAccept(event)) {
            LOG.debugf("discarding duplicate event for %s/%s/%s: %s", event.involvedObject().getKind(),
                    event.involvedObject().getNamespace(), event.involvedObject().getName(), event.reason());
            answer(ctx, 429, "duplicate event discarded (rate limited)");
            return;
        }
        try {
            queue.accept(event);
        } catch (EventQueue.Refused e) {
            // not accepted: the sender's retry must not be refused as a duplicate of it
            limiter.forget(event);
            LOG.warnf("refusing an event for %s/%s/%s: %s", event.involvedObject().getKind(),
                    event.involvedObject().getNamespace(), event.involvedObject().getName(), e.getMessage());
            answer(ctx, 503, e.getMessage());
            return;
        }
        meters.counter("gotk_event_accepted_total").increment();
        ctx.response().setStatusCode(202).end();
    }

    static String validate(FluxEvent event) {
        if (event == null || event.involvedObject() == null) {
            return "invalid event: involvedObject is required";
        }
        var o = event.involvedObject();
        if (o.getKind() == null || o.getKind().isEmpty() || o.getName() == null || o.getName().isEmpty()
                || o.getNamespace() == null || o.getNamespace().isEmpty()) {
            return "invalid event: involvedObject needs kind, name and namespace";
        }
        if (!FluxEvent.SEVERITY_INFO.equals(event.severity()) && !FluxEvent.SEVERITY_ERROR.equals(event.severity())) {
            return "invalid event: severity must be 'info' or 'error'";
        }
        if (event.message() == null || event.reason() == null) {
            return "invalid event: message and reason are required";
        }
        return null;
    }

    private static void answer(RoutingContext ctx, int code, String message) {
        ctx.response().setStatusCode(code).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
}
