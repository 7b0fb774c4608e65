package io.currents.notification.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

/**
 * The Slack message Flux builds for {@code slack}, {@code discord} and {@code rocket}: {@code channel}, {@code username},
 * empty {@code icon_url}/{@code icon_emoji}, one attachment with the object as {@code author_name}, the message as
 * {@code text} (markdown) and the metadata as fields; the colour and fallback differ per type.
 */
final class SlackPayload {

    private SlackPayload() {
    }

    static ObjectNode build(ObjectMapper json, FluxEvent event, String channel, String username, String color, boolean fallback) {
        ObjectNode payload = json.createObjectNode();
        payload.put("channel", channel == null ? "" : channel);
        payload.put("username", username == null ? "" : username);
        payload.put("icon_url", "");
        payload.put("icon_emoji", "");
        ObjectNode attachment = payload.putArray("attachments").addObject();
        String author = Notifier.objectName(event);
        String message = event.message() == null ? "" : event.message();
        attachment.put("fallback", fallback ? author + ": " + message.split("\n", -1)[0] : "");
        attachment.put("color", color);
        attachment.put("author_name", author);
        attachment.put("text", message);
        attachment.putArray("mrkdwn_in").add("text");
        ArrayNode fields = attachment.putArray("fields");
        Notifier.metadata(event).forEach((k, v) -> fields.addObject().put("title", k).put("value", v).put("short", false));
        return payload;
    }
}
