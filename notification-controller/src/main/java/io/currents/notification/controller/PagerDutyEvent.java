package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;

/**
 * The {@code pagerduty} provider, with the Events API v2 at the address's scheme and host: every event but
 * {@code Progressing} goes to {@code /v2/enqueue}, an error triggering an incident and an info resolving it (dedup key:
 * the object's UID); an info event is also sent to {@code /v2/change/enqueue} as a change event. The routing
 * (integration) key is {@code spec.channel}.
 */
final class PagerDutyEvent implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final String endpoint;

    PagerDutyEvent(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        URI uri = settings.requireUrl("PagerDuty endpoint URL");
        this.endpoint = uri.getScheme() + "://" + uri.getRawAuthority();
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        if (CommitStatus.PROGRESSING_REASON.equals(event.reason())) {
            return;
        }
        String routingKey = settings.channel() == null ? "" : settings.channel();
        String summary = CommitStatus.description(event) + ": " + CommitStatus.name(event);
        String source = "Flux " + (event.reportingController() == null ? "" : event.reportingController());
        String timestamp = AlertmanagerAlert.rfc3339(event.timestamp());

        ObjectNode v2 = delivery.json.createObjectNode();
        v2.put("routing_key", routingKey);
        boolean error = Notifier.isError(event);
        v2.put("event_action", error ? "trigger" : "resolve");
        String uid = event.involvedObject().getUid();
        if (uid != null && !uid.isEmpty()) {
            v2.put("dedup_key", uid);
        }
        if (error) {
            ObjectNode payload = v2.putObject("payload");
            payload.put("summary", summary);
            payload.put("source", source);
            payload.put("severity", "error");
            payload.put("timestamp", timestamp);
            payload.put("component", event.involvedObject().getName());
            payload.put("group", event.involvedObject().getKind());
            details(payload.putObject("custom_details"), event);
        }
        delivery.send(delivery.json("POST", URI.create(endpoint + "/v2/enqueue"), v2).build());

        if (FluxEvent.SEVERITY_INFO.equals(event.severity())) {
            ObjectNode change = delivery.json.createObjectNode();
            change.put("routing_key", routingKey);
            ObjectNode payload = change.putObject("payload");
            payload.put("source", source);
            payload.put("summary", summary);
            payload.put("timestamp", timestamp);
            details(payload.putObject("custom_details"), event);
            delivery.send(delivery.json("POST", URI.create(endpoint + "/v2/change/enqueue"), change).build());
        }
    }

    private static void details(ObjectNode details, FluxEvent event) {
        details.put("message", event.message() == null ? "" : event.message());
        ObjectNode metadata = details.putObject("metadata");
        Notifier.metadata(event).forEach(metadata::put);
    }
}
