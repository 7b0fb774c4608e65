package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The {@code alertmanager} provider: one firing alert posted to Alertmanager's API ({@code POST /api/v2/alerts}): the
 * metadata plus {@code alertname} ({@code Flux<Kind><Reason>} with the reason title-cased as Flux does), {@code severity},
 * {@code reason}, {@code kind}, {@code name}, {@code namespace} and {@code reportingcontroller} as labels; the message
 * (and the {@code summary} metadata, moved out of the labels) as annotations; the event time as {@code startsAt}. A token
 * is sent as {@code Authorization: Bearer}, a username and password as basic authentication.
 */
final class AlertmanagerAlert implements Notifier {

    /** Flux's Go struct sends the zero time for an unset end. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final URI uri;

    AlertmanagerAlert(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        this.uri = settings.requireUrl("Alertmanager URL");
    }

    /** Go's {@code cases.Title}: the first letter of each word upper case, the rest lower case. */
    static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '\'') {
                b.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
                start = false;
            } else {
                b.append(c);
                start = true;
            }
        }
        return b.toString();
    }

    static String rfc3339(String timestamp) {
        try {
            return OffsetDateTime.parse(timestamp).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException | NullPointerException e) {
            return ZERO_TIME;
        }
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        Map<String, String> labels = Notifier.metadata(event);
        ObjectNode alert = delivery.json.createObjectNode();
        alert.put("status", "firing");
        ObjectNode annotations = delivery.json.createObjectNode();
        annotations.put("message", event.message() == null ? "" : event.message());
        String summary = labels.remove("summary");
        if (summary != null) {
            annotations.put("summary", summary);
        }
        var o = event.involvedObject();
        labels.put("alertname", "Flux" + o.getKind() + title(event.reason() == null ? "" : event.reason()));
        labels.put("severity", event.severity());
        labels.put("reason", event.reason() == null ? "" : event.reason());
        labels.put("kind", o.getKind());
        labels.put("name", o.getName());
        labels.put("namespace", o.getNamespace());
        labels.put("reportingcontroller", event.reportingController() == null ? "" : event.reportingController());
        ObjectNode labelNode = alert.putObject("labels");
        labels.forEach(labelNode::put);
        alert.set("annotations", annotations);
        alert.put("startsAt", rfc3339(event.timestamp()));
        alert.put("endsAt", ZERO_TIME);
        ArrayNode payload = delivery.json.createArrayNode().add(alert);
        var request = delivery.json("POST", uri, payload);
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        if (settings.username() != null && settings.password() != null) {
            request.setHeader("Authorization", Delivery.basic(settings.username(), settings.password()));
        }
        delivery.send(request.build());
    }
}
