package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.net.URI;

/**
 * The {@code rocket} provider: Flux's Slack message to a Rocket.Chat incoming webhook, with the spec's channel and
 * username (no default) and Rocket's colours {@code #0076D7} for info, {@code #FF0000} for errors.
 */
final class RocketMessage implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final URI uri;

    RocketMessage(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        this.uri = settings.requireUrl("Rocket hook URL");
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        var payload = SlackPayload.build(delivery.json, event, settings.channel(), settings.username(),
                Notifier.isError(event) ? "#FF0000" : "#0076D7", false);
        delivery.send(delivery.json("POST", uri, payload).build());
    }
}
