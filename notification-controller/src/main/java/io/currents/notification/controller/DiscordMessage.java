package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The {@code discord} provider: Flux's Slack message to Discord's Slack-compatible endpoint, {@code /slack} appended to
 * the webhook URL; no channel (the webhook decides it), the username defaulting to the reporting controller.
 */
final class DiscordMessage implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final URI uri;

    DiscordMessage(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        this.uri = slackEndpoint(settings.requireUrl("Discord hook URL"));
    }

    static URI slackEndpoint(URI u) throws DispatchException {
        String path = u.getPath() == null ? "" : u.getPath();
        if (!u.toString().endsWith("/slack")) {
            path = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/slack";
        }
        try {
            return new URI(u.getScheme(), u.getUserInfo(), u.getHost(), u.getPort(), path, u.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new DispatchException("invalid Discord hook URL");
        }
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        String username = settings.username() == null ? event.reportingController() : settings.username();
        var payload = SlackPayload.build(delivery.json, event, null, username, Notifier.isError(event) ? "danger" : "good", false);
        delivery.send(delivery.json("POST", uri, payload).build());
    }
}
