package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.util.Locale;

/**
 * The {@code datadog} provider: an event through DataDog's v1 events API ({@code POST <site>/api/v1/events}, the API key
 * as {@code DD-API-KEY}): title {@code Events from the <Kind> <name>/<namespace>}, the message as text, source type
 * {@code fluxcd}, the event time, alert type {@code error} or {@code info}, and lower-case tags for the reporting
 * controller, reason, kind, name, namespace and each metadata entry.
 */
final class DataDogEvent implements Notifier {

    private final Delivery delivery;
    private final URI uri;
    private final String apiKey;

    DataDogEvent(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.delivery = delivery;
        if (settings.token() == null) {
            throw new DispatchException("token cannot be empty");
        }
        this.apiKey = settings.token();
        URI base = settings.requireUrl("DataDog address");
        this.uri = URI.create(base.getScheme() + "://" + base.getRawAuthority() + "/api/v1/events");
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        var o = event.involvedObject();
        ObjectNode payload = delivery.json.createObjectNode();
        payload.put("alert_type", Notifier.isError(event) ? "error" : "info");
        payload.put("date_happened", GrafanaAnnotation.unixSeconds(event.timestamp()));
        payload.put("source_type_name", "fluxcd");
        ArrayNode tags = payload.putArray("tags");
        tag(tags, "flux_reporting_controller:" + nullToEmpty(event.reportingController()));
        tag(tags, "flux_reason:" + nullToEmpty(event.reason()));
        tag(tags, "kube_kind:" + o.getKind());
        tag(tags, "kube_name:" + o.getName());
        tag(tags, "kube_namespace:" + o.getNamespace());
        Notifier.metadata(event).forEach((k, v) -> tag(tags, k + ":" + v));
        payload.put("text", nullToEmpty(event.message()));
        payload.put("title", "Events from the " + o.getKind() + " " + o.getName() + "/" + o.getNamespace());
        delivery.send(delivery.json("POST", uri, payload)
                .header("Accept", "application/json")
                .header("DD-API-KEY", apiKey).build());
    }

    private static void tag(ArrayNode tags, String tag) {
        tags.add(tag.toLowerCase(Locale.ROOT));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
