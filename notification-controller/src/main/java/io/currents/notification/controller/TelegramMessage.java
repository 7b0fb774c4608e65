package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.util.Map;

/**
 * The {@code telegram} provider: the Bot API's {@code sendMessage} at {@code <api>/bot<token>/sendMessage} (Flux
 * ignores {@code spec.address}; the API is {@code https://api.telegram.org}, {@code telegram-api-url} in Currents), in
 * MarkdownV2 with Telegram's reserved characters escaped; {@code spec.channel} is the chat id or {@code @username}, and
 * {@code <chat>:<topic>} posts into a forum topic ({@code message_thread_id}).
 */
final class TelegramMessage implements Notifier {

    private static final String RESERVED = "\\.-_[]()~>`#+=|{}!*";

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final String apiBase;

    TelegramMessage(ProviderSettings settings, Delivery delivery, String apiBase) throws DispatchException {
        if (settings.channel() == null) {
            throw new DispatchException("empty Telegram channel");
        }
        if (settings.token() == null) {
            throw new DispatchException("empty Telegram token");
        }
        this.settings = settings;
        this.delivery = delivery;
        this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (RESERVED.indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    static String text(FluxEvent event) {
        var o = event.involvedObject();
        String heading = (Notifier.isError(event) ? "🚨" : "💫") + " " + o.getKind().toLowerCase(java.util.Locale.ROOT)
                + "/" + o.getName() + "/" + o.getNamespace();
        StringBuilder metadata = new StringBuilder();
        for (Map.Entry<String, String> e : Notifier.metadata(event).entrySet()) {
            metadata.append("\\- *").append(escape(e.getKey())).append("*: ").append(escape(e.getValue())).append('\n');
        }
        return "*" + escape(heading) + "*\n" + escape(event.message() == null ? "" : event.message()) + "\n" + metadata;
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        String channel = settings.channel();
        int colon = channel.indexOf(':');
        var payload = delivery.json.createObjectNode();
        payload.put("chat_id", colon < 0 ? channel : channel.substring(0, colon));
        if (colon >= 0) {
            payload.put("message_thread_id", channel.substring(colon + 1));
        }
        payload.put("text", text(event));
        payload.put("parse_mode", "MarkdownV2");
        URI uri;
        try {
            uri = URI.create(apiBase + "/bot" + settings.token() + "/sendMessage");
        } catch (IllegalArgumentException e) {
            throw new DispatchException("failed to construct the Telegram API URL (is the token well-formed?)");
        }
        delivery.send(delivery.json("POST", uri, payload).build());
    }
}
