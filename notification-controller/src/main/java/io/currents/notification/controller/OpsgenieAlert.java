package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;

/**
 * The {@code opsgenie} provider: an Opsgenie create-alert request ({@code POST /v2/alerts}): {@code Kind/name} as the
 * message, the event message as description, the metadata plus {@code severity} as details; the API key as
 * {@code Authorization: GenieKey <token>}.
 */
final class OpsgenieAlert implements Notifier {

    private final Delivery delivery;
    private final URI uri;
    private final String apiKey;

    OpsgenieAlert(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.delivery = delivery;
        this.uri = settings.requireUrl("Opsgenie hook URL");
        if (settings.token() == null) {
            throw new DispatchException("empty Opsgenie apikey/token");
        }
        this.apiKey = settings.token();
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        ObjectNode payload = delivery.json.createObjectNode();
        payload.put("message", event.involvedObject().getKind() + "/" + event.involvedObject().getName());
        payload.put("description", event.message() == null ? "" : event.message());
        ObjectNode details = payload.putObject("details");
        Notifier.metadata(event).forEach(details::put);
        details.put("severity", event.severity());
        delivery.send(delivery.json("POST", uri, payload).header("Authorization", "GenieKey " + apiKey).build());
    }
}
