package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.util.Map;

/**
 * Flux's Markdown rendering of an event, used by Zulip and the pull/merge request comments: a "Flux Status" heading,
 * a severity emoji with {@code Kind/namespace/name}, the message, and the metadata as a list (without
 * {@code change_request}).
 */
final class MarkdownPost {

    static final String CHANGE_REQUEST = "change_request";

    private MarkdownPost() {
    }

    static String format(FluxEvent event) {
        var o = event.involvedObject();
        StringBuilder metadata = new StringBuilder();
        for (Map.Entry<String, String> e : Notifier.metadata(event).entrySet()) {
            if (!e.getKey().equals(CHANGE_REQUEST)) {
                metadata.append("* `").append(e.getKey()).append("`: ").append(e.getValue()).append('\n');
            }
        }
        return "## Flux Status\n\n" + (Notifier.isError(event) ? "⚠️" : "ℹ️") + " " + o.getKind() + "/" + o.getNamespace() + "/"
                + o.getName() + "\n\n" + (event.message() == null ? "" : event.message()) + "\n\nMetadata:\n" + metadata;
    }
}
