package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code msteams} provider, in Flux's two shapes: for a Teams workflow (Power Automate) webhook, a message with one
 * Adaptive Card (a full-width container: the object as a large bold heading, the message, in the attention colour for
 * errors, and the metadata as facts, {@code summary} first); for the retired Office 365 connector, recognised as Flux
 * recognises it by a host ending in {@code .webhook.office.com}, the legacy {@code MessageCard} (theme colour
 * {@code 0076D7} or {@code FF0000}, the object as summary and subtitle, the message as title, the metadata as facts).
 */
final class TeamsMessage implements Notifier {

    private final Delivery delivery;
    private final URI uri;
    private final boolean connector;

    TeamsMessage(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.delivery = delivery;
        this.uri = settings.requireUrl("MS Teams webhook URL");
        this.connector = uri.getHost().toLowerCase(Locale.ROOT).endsWith(".webhook.office.com");
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        ObjectNode payload = connector ? connectorCard(delivery.json, event) : adaptiveCard(delivery.json, event);
        delivery.send(delivery.json("POST", uri, payload).build());
    }

    static ObjectNode connectorCard(ObjectMapper json, FluxEvent event) {
        String object = Notifier.objectName(event);
        ObjectNode card = json.createObjectNode();
        card.put("@type", "MessageCard");
        card.put("@context", "http://schema.org/extensions");
        card.put("themeColor", Notifier.isError(event) ? "FF0000" : "0076D7");
        card.put("summary", object);
        ObjectNode section = card.putArray("sections").addObject();
        section.put("activityTitle", event.message());
        section.put("activitySubtitle", object);
        ArrayNode facts = section.putArray("facts");
        Notifier.metadata(event).forEach((k, v) -> facts.addObject().put("name", k).put("value", v));
        return card;
    }

    static ObjectNode adaptiveCard(ObjectMapper json, FluxEvent event) {
        ObjectNode message = json.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        ObjectNode content = attachment.putObject("content");
        content.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        content.put("type", "AdaptiveCard");
        content.put("version", "1.4");
        ArrayNode items = content.putArray("body").addObject().put("type", "Container").putArray("items");
        items.addObject().put("type", "TextBlock").put("text", Notifier.objectName(event))
                .put("size", "large").put("weight", "bolder").put("wrap", true);
        ObjectNode text = items.addObject().put("type", "TextBlock");
        if (event.message() != null && !event.message().isEmpty()) {
            text.put("text", event.message());
        }
        if (Notifier.isError(event)) {
            text.put("color", "attention");
        }
        text.put("wrap", true);
        ArrayNode facts = items.addObject().put("type", "FactSet").putArray("facts");
        Map<String, String> metadata = Notifier.metadata(event);
        String summary = metadata.remove("summary");
        if (summary != null) {
            facts.addObject().put("title", "summary").put("value", summary);
        }
        metadata.forEach((k, v) -> facts.addObject().put("title", k).put("value", v));
        content.putObject("msteams").put("width", "Full");
        return message;
    }
}
