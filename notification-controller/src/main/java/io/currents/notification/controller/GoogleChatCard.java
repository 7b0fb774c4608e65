package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.util.Map;

/**
 * The {@code googlechat} provider: a Google Chat card message (cards v1) to the space's webhook: a header with the
 * object as title and the reporting controller as subtitle, a text paragraph with the message (red for errors), and the
 * metadata as key-value widgets. Fields Flux leaves unset are sent as {@code null}, as Flux's structs send them.
 */
final class GoogleChatCard implements Notifier {

    private final Delivery delivery;
    private final URI uri;

    GoogleChatCard(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.delivery = delivery;
        this.uri = settings.requireUrl("Google Chat hook URL");
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        ObjectNode payload = delivery.json.createObjectNode();
        ObjectNode card = payload.putArray("cards").addObject();
        ObjectNode header = card.putObject("header");
        header.put("title", Notifier.objectName(event));
        header.put("subtitle", event.reportingController() == null ? "" : event.reportingController());
        header.putNull("imageUrl");
        header.putNull("imageStyle");
        ArrayNode sections = card.putArray("sections");
        String text = event.message() == null ? "" : event.message();
        if (Notifier.isError(event)) {
            text = "<font color=\"#ff0000\">" + text + "</font>";
        }
        ObjectNode message = sections.addObject().put("header", "");
        ObjectNode paragraph = message.putArray("widgets").addObject();
        paragraph.putObject("textParagraph").put("text", text);
        paragraph.putNull("keyValue");
        Map<String, String> metadata = Notifier.metadata(event);
        if (!metadata.isEmpty()) {
            ArrayNode widgets = sections.addObject().put("header", "").putArray("widgets");
            metadata.forEach((k, v) -> {
                ObjectNode widget = widgets.addObject();
                widget.putNull("textParagraph");
                ObjectNode kv = widget.putObject("keyValue");
                kv.put("topLabel", k).put("content", v).put("contentMultiline", false);
                kv.putNull("bottomLabel");
                kv.putNull("icon");
            });
        }
        delivery.send(delivery.json("POST", uri, payload).build());
    }
}
