package io.currents.ui;

import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server-sent events: one "change" event per Flux object added, changed or deleted, as the informers see it, so that
 * open pages update without polling. The first event is {@code {"connected":true}}; a {@code {"keepAlive":true}} every
 * 25 s keeps proxies from closing an idle stream.
 */
@Path("/events")
public class ChangeStream {

    @Inject
    ObjectStore store;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Map<String, Object>> changes() {
        Multi<Map<String, Object>> changes = store.changes().map(ChangeStream::event);
        Multi<Map<String, Object>> keepAlive = Multi.createFrom().ticks().every(Duration.ofSeconds(25))
                .map(tick -> Map.of("keepAlive", true));
        // the first event says the stream is subscribed to the changes: nothing after it is missed
        Multi<Map<String, Object>> hello = Multi.createFrom().item(Map.of("connected", true));
        return Multi.createBy().merging().streams(changes, keepAlive, hello);
    }

    static Map<String, Object> event(ObjectStore.Change change) {
        ObjectSummary s = change.summary();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", s.domId());
        event.put("kind", s.kind());
        event.put("namespace", s.namespace());
        event.put("name", s.name());
        event.put("deleted", change.deleted());
        event.put("status", s.status().label());
        event.put("suspended", s.suspended());
        event.put("revision", s.revision());
        event.put("message", s.message());
        return event;
    }
}
