package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.runtime.events.FluxEvent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The {@code slack} provider: an incoming webhook, or {@code chat.postMessage} with a bot token as
 * {@code Authorization: Bearer} (the default address when a token is set and no address is). Attachment coloured
 * {@code good} or {@code danger}; the username defaults to the reporting controller. With a token, Slack's
 * {@code {"ok": false}} answers count as failures.
 */
final class SlackMessage implements Notifier {

    static final String CHAT_POST_MESSAGE = "https://slack.com/api/chat.postMessage";

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final URI uri;

    SlackMessage(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        this.uri = settings.address() == null && settings.token() != null ? URI.create(CHAT_POST_MESSAGE) : settings.requireUrl("Slack URL");
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        String username = settings.username() == null ? event.reportingController() : settings.username();
        var payload = SlackPayload.build(delivery.json, event, settings.channel(), username,
                Notifier.isError(event) ? "danger" : "good", true);
        HttpRequest.Builder request = delivery.json("POST", uri, payload);
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        Delivery.Answer answer = delivery.send(request.build());
        if (settings.token() != null || CHAT_POST_MESSAGE.equals(uri.toString())) {
            // chat.postMessage answers 200 with {"ok": false, "error": ...} when it refuses a message
            JsonNode body;
            try {
                body = delivery.json.readTree(answer.body());
            } catch (IOException e) {
                return; // an incoming webhook's plain "ok"
            }
            if (body != null && body.has("ok") && !body.path("ok").asBoolean()) {
                throw new DispatchException("Slack responded with error: " + body.path("error").asText());
            }
        }
    }
}
