package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.util.Map;

/**
 * The {@code lark} provider: an interactive message card to a Lark custom bot webhook: a header with a status emoji and
 * the object (template {@code turquoise}, {@code red} for errors) and one {@code lark_md} block with the message in bold
 * and the metadata as {@code key: value} lines.
 */
final class LarkCard implements Notifier {

    private final Delivery delivery;
    private final URI uri;

    LarkCard(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.delivery = delivery;
        this.uri = settings.requireUrl("Lark hook URL");
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        boolean error = Notifier.isError(event);
        StringBuilder message = new StringBuilder("**").append(event.message() == null ? "" : event.message()).append("**\n\n");
        for (Map.Entry<String, String> e : Notifier.metadata(event).entrySet()) {
            message.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        ObjectNode payload = delivery.json.createObjectNode();
        payload.put("msg_type", "interactive");
        ObjectNode card = payload.putObject("card");
        card.putObject("config").put("wide_screen_mode", true);
        ObjectNode header = card.putObject("header");
        header.putObject("title").put("tag", "plain_text").put("content", (error ? "🚨" : "💫") + " " + Notifier.objectName(event));
        header.put("template", error ? "red" : "turquoise");
        ObjectNode element = card.putArray("elements").addObject().put("tag", "div");
        element.putObject("text").put("tag", "lark_md").put("content", message.toString());
        delivery.send(delivery.json("POST", uri, payload).build());
    }
}
