package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.TreeMap;

/**
 * The {@code slack} provider (an incoming webhook, or {@code chat.postMessage} with a bot token) and the {@code discord}
 * provider, which Flux drives through Discord's Slack-compatible {@code /slack} webhook endpoint. The message is Flux's:
 * username (spec or the reporting controller), channel, Flux's icon, one attachment coloured {@code good} or
 * {@code danger} with the object as author, the message as text and the metadata as fields.
 */
final class SlackMessage implements Notifier {

    static final String ICON_URL = "https://avatars.githubusercontent.com/u/52158677";

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final ObjectMapper json;
    private final boolean discord;

    SlackMessage(ProviderSettings settings, Delivery delivery, ObjectMapper json, boolean discord) {
        this.settings = settings;
        this.delivery = delivery;
        this.json = json;
        this.discord = discord;
    }

    static ObjectNode payload(ObjectMapper json, FluxEvent event, String channel, String username) {
        ObjectNode payload = json.createObjectNode();
        if (channel != null && !channel.isEmpty()) {
            payload.put("channel", channel);
        }
        payload.put("icon_url", ICON_URL);
        payload.put("username", username == null || username.isEmpty() ? event.reportingController() : username);
        ObjectNode attachment = payload.putArray("attachments").addObject();
        attachment.put("color", FluxEvent.SEVERITY_ERROR.equals(event.severity()) ? "danger" : "good");
        attachment.put("author_name", Notifier.objectName(event));
        attachment.put("text", event.message());
        attachment.putArray("mrkdwn_in").add("text");
        ArrayNode fields = attachment.putArray("fields");
        new TreeMap<>(event.metadata() == null ? java.util.Map.<String, String>of() : event.metadata()).forEach((k, v) ->
                fields.addObject().put("title", k).put("value", v).put("short", false));
        return payload;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        URI uri = discord ? discordUri(settings.address()) : uri(settings.address());
        ObjectNode payload = payload(json, event, settings.channel(), settings.username());
        HttpRequest.Builder request;
        try {
            request = delivery.post(uri, json.writeValueAsBytes(payload), settings.headers());
        } catch (IOException e) {
            throw new DispatchException("could not encode the message: " + e.getMessage());
        }
        if (!discord && settings.token() != null && !settings.token().isEmpty()) {
            request.setHeader("Authorization", "Bearer " + settings.token());
        }
        HttpResponse<String> response = delivery.send(request.build());
        if (!discord && settings.token() != null && response.body() != null && response.body().startsWith("{")) {
            // chat.postMessage answers 200 with {"ok": false, "error": ...} when it refuses a message
            try {
                JsonNode answer = json.readTree(response.body());
                if (answer.has("ok") && !answer.path("ok").asBoolean()) {
                    throw new DispatchException("Slack refused the message: " + answer.path("error").asText());
                }
            } catch (IOException ignored) {
                // not JSON: an incoming webhook's plain "ok"
            }
        }
    }

    private static URI uri(String address) throws DispatchException {
        try {
            return URI.create(address);
        } catch (IllegalArgumentException e) {
            throw new DispatchException("invalid address URL");
        }
    }

    /** Discord's Slack-compatible endpoint: the webhook URL with {@code /slack} appended unless it is already there. */
    static URI discordUri(String address) throws DispatchException {
        URI u = uri(address);
        String path = u.getPath() == null ? "" : u.getPath();
        if (!path.endsWith("/slack")) {
            path = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/slack";
        }
        try {
            return new URI(u.getScheme(), u.getUserInfo(), u.getHost(), u.getPort(), path, u.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new DispatchException("invalid address URL");
        }
    }
}
