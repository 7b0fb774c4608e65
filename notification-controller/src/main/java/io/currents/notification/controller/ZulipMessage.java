package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code zulip} provider: Zulip's send-message API ({@code POST <server>/api/v1/messages}, form-encoded
 * {@code type=stream}, {@code to}, {@code topic}, {@code content}) with the bot's email and API key as basic
 * authentication; {@code spec.channel} is {@code <channel>/<topic>} and the content is Flux's Markdown post.
 */
final class ZulipMessage implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final URI uri;
    private final String channel;
    private final String topic;

    ZulipMessage(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        URI base = settings.requireUrl("Zulip endpoint URL");
        try {
            this.uri = new URI(base.getScheme(), base.getRawUserInfo(), base.getHost(), base.getPort(), "/api/v1/messages", null, null);
        } catch (URISyntaxException e) {
            throw new DispatchException("invalid Zulip endpoint URL");
        }
        String c = settings.channel() == null ? "" : settings.channel();
        int slash = c.indexOf('/');
        if (slash <= 0 || slash == c.length() - 1) {
            throw new DispatchException("invalid Zulip channel format, expected <channel>/<topic>, got '" + c + "'");
        }
        this.channel = c.substring(0, slash);
        this.topic = c.substring(slash + 1);
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        String form = "content=" + enc(MarkdownPost.format(event)) + "&to=" + enc(channel) + "&topic=" + enc(topic) + "&type=stream";
        var request = delivery.request("POST", uri, form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        if (settings.username() != null || settings.password() != null) {
            request.header("Authorization", Delivery.basic(settings.username() == null ? "" : settings.username(),
                    settings.password() == null ? "" : settings.password()));
        }
        delivery.send(request.build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
