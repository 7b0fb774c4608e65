package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The {@code grafana} provider: an annotation through Grafana's annotations API ({@code POST /api/annotations}): the
 * event time as {@code when} (Unix seconds, as Flux sends it), the object as text, and the tags {@code flux}, the
 * reporting controller, {@code key: value} per metadata entry (colons in them replaced by {@code |}), {@code kind},
 * {@code name} and {@code namespace}. A token wins over basic authentication.
 */
final class GrafanaAnnotation implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final URI uri;

    GrafanaAnnotation(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        this.uri = settings.requireUrl("Grafana URL");
    }

    static long unixSeconds(String timestamp) {
        try {
            return OffsetDateTime.parse(timestamp).toEpochSecond();
        } catch (DateTimeParseException | NullPointerException e) {
            return 0;
        }
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        ObjectNode payload = delivery.json.createObjectNode();
        payload.put("when", unixSeconds(event.timestamp()));
        payload.put("text", Notifier.objectName(event));
        ArrayNode tags = payload.putArray("tags");
        tags.add("flux").add(event.reportingController() == null ? "" : event.reportingController());
        Notifier.metadata(event).forEach((k, v) -> tags.add(k.replace(":", "|") + ": " + v.replace(":", "|")));
        var o = event.involvedObject();
        tags.add("kind: " + o.getKind()).add("name: " + o.getName()).add("namespace: " + o.getNamespace());
        var request = delivery.json("POST", uri, payload);
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        } else if (settings.username() != null && settings.password() != null) {
            request.header("Authorization", Delivery.basic(settings.username(), settings.password()));
        }
        delivery.send(request.build());
    }
}
