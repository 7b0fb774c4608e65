package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code msteams} provider: Flux's current payload for Teams workflow (Power Automate) webhooks, a message with one
 * Adaptive Card: the object as a bold heading (in the attention colour for errors), the message, and the metadata as
 * a fact set.
 */
final class TeamsCard implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final ObjectMapper json;

    TeamsCard(ProviderSettings settings, Delivery delivery, ObjectMapper json) {
        this.settings = settings;
        this.delivery = delivery;
        this.json = json;
    }

    static ObjectNode payload(ObjectMapper json, FluxEvent event) {
        ObjectNode message = json.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        ObjectNode heading = body.addObject().put("type", "TextBlock").put("text", Notifier.objectName(event))
                .put("size", "large").put("weight", "bolder").put("style", "heading").put("wrap", true);
        if (FluxEvent.SEVERITY_ERROR.equals(event.severity())) {
            heading.put("color", "attention");
        }
        body.addObject().put("type", "TextBlock").put("text", event.message()).put("wrap", true);
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        new TreeMap<>(event.metadata() == null ? Map.<String, String>of() : event.metadata())
                .forEach((k, v) -> facts.addObject().put("title", k).put("value", v));
        return message;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(settings.address());
        } catch (IllegalArgumentException e) {
            throw new DispatchException("invalid address URL");
        }
        try {
            delivery.send(delivery.post(uri, json.writeValueAsBytes(payload(json, event)), settings.headers()).build());
        } catch (IOException e) {
            throw new DispatchException("could not encode the message: " + e.getMessage());
        }
    }
}
