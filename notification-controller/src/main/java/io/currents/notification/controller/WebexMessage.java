package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.util.Map;

/**
 * The {@code webex} provider: a Webex message ({@code POST /v1/messages}) to the room in {@code spec.channel}, in
 * markdown (a status emoji, the object in bold, the message, then {@code >**key**: value} per metadata entry), with the
 * bot token as {@code Authorization: Bearer}.
 */
final class WebexMessage implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final URI uri;

    WebexMessage(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        this.uri = settings.requireUrl("Webex hook URL");
    }

    static String markdown(FluxEvent event) {
        StringBuilder b = new StringBuilder();
        b.append(Notifier.isError(event) ? "💣" : "✅").append(" **").append(Notifier.objectName(event)).append("**\n");
        b.append(event.message() == null ? "" : event.message()).append('\n');
        for (Map.Entry<String, String> e : Notifier.metadata(event).entrySet()) {
            b.append(">**").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
        }
        return b.toString();
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        var payload = delivery.json.createObjectNode();
        if (settings.channel() != null) {
            payload.put("roomId", settings.channel());
        }
        payload.put("markdown", markdown(event));
        delivery.send(delivery.json("POST", uri, payload)
                .header("Authorization", "Bearer " + (settings.token() == null ? "" : settings.token())).build());
    }
}
