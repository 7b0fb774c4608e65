package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * The {@code sentry} provider: events sent to the DSN's project through Sentry's envelope endpoint
 * ({@code POST <host>/api/<project>/envelope/}, {@code X-Sentry-Auth} with the DSN's public key), as Flux's Sentry
 * client sends them: an error event becomes a Sentry error event (level {@code error}, the reporting controller as
 * server name, {@code Kind: namespace/name} as transaction, the metadata as the {@code metadata} context); an info event
 * becomes a transaction with one span tagged with the object, controller, reason and metadata. {@code spec.channel} is
 * the environment.
 */
final class SentryEvent implements Notifier {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final String dsn;
    private final URI envelope;
    private final String auth;

    SentryEvent(ProviderSettings settings, Delivery delivery) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        if (settings.address() == null) {
            throw new DispatchException("DSN cannot be empty");
        }
        this.dsn = settings.address();
        URI uri;
        try {
            uri = new URI(dsn);
        } catch (URISyntaxException e) {
            throw new DispatchException("invalid Sentry DSN: not a URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new DispatchException("invalid Sentry DSN: expected <scheme>://<public key>@<host>/<project>");
        }
        String path = uri.getPath();
        int slash = path.lastIndexOf('/');
        String project = path.substring(slash + 1);
        String prefix = path.substring(0, slash);
        String[] keys = uri.getRawUserInfo().split(":", 2);
        this.envelope = URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + prefix + "/api/" + project + "/envelope/");
        this.auth = "Sentry sentry_version=7, sentry_client=currents-notification-controller/1.0, sentry_key=" + keys[0]
                + (keys.length > 1 && !keys[1].isEmpty() ? ", sentry_secret=" + keys[1] : "");
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        ObjectNode item;
        String type;
        if (FluxEvent.SEVERITY_INFO.equals(event.severity())) {
            item = transaction(event);
            type = "transaction";
        } else if (Notifier.isError(event)) {
            item = error(event);
            type = "event";
        } else {
            return;
        }
        String eventId = item.path("event_id").asText();
        if (settings.channel() != null) {
            item.put("environment", settings.channel());
        }
        item.put("platform", "other");
        item.putObject("sdk").put("name", "currents.notification-controller").put("version", "1.0");
        try {
            byte[] payload = delivery.json.writeValueAsBytes(item);
            ObjectNode header = delivery.json.createObjectNode().put("event_id", eventId).put("dsn", dsn)
                    .put("sent_at", Instant.now().toString());
            ObjectNode itemHeader = delivery.json.createObjectNode().put("type", type).put("length", payload.length);
            byte[] body = (delivery.json.writeValueAsString(header) + "\n" + delivery.json.writeValueAsString(itemHeader) + "\n"
                    + new String(payload, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
            delivery.send(delivery.request("POST", envelope, body, "application/x-sentry-envelope")
                    .header("X-Sentry-Auth", auth).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DispatchException("could not encode the Sentry event: " + e.getOriginalMessage());
        }
    }

    private static String summary(FluxEvent event) {
        var o = event.involvedObject();
        return o.getKind() + ": " + o.getNamespace() + "/" + o.getName();
    }

    private ObjectNode error(FluxEvent event) {
        ObjectNode e = delivery.json.createObjectNode();
        e.put("event_id", randomHex(16));
        e.put("timestamp", seconds(event.timestamp()));
        e.put("level", "error");
        e.put("server_name", event.reportingController() == null ? "" : event.reportingController());
        e.put("transaction", summary(event));
        ObjectNode metadata = e.putObject("contexts").putObject("metadata");
        Notifier.metadata(event).forEach(metadata::put);
        e.put("message", event.message() == null ? "" : event.message());
        return e;
    }

    private ObjectNode transaction(FluxEvent event) {
        var o = event.involvedObject();
        String traceId = randomHex(16);
        String spanId = randomHex(8);
        double at = seconds(event.timestamp());
        ObjectNode tags = delivery.json.createObjectNode();
        tags.put("flux_involved_object_kind", o.getKind());
        tags.put("flux_involved_object_namespace", o.getNamespace());
        tags.put("flux_involved_object_name", o.getName());
        tags.put("flux_reporting_controller", event.reportingController() == null ? "" : event.reportingController());
        tags.put("flux_reporting_instance", event.reportingInstance() == null ? "" : event.reportingInstance());
        tags.put("flux_reason", event.reason() == null ? "" : event.reason());
        Notifier.metadata(event).forEach(tags::put);
        ObjectNode t = delivery.json.createObjectNode();
        t.put("event_id", randomHex(16));
        t.put("type", "transaction");
        t.put("transaction", summary(event));
        t.put("message", event.message() == null ? "" : event.message());
        t.putObject("contexts").putObject("trace").put("trace_id", traceId).put("span_id", spanId).put("op", "event");
        t.set("tags", tags);
        t.put("start_timestamp", at);
        t.put("timestamp", at);
        ObjectNode span = t.putArray("spans").addObject();
        span.put("trace_id", traceId).put("span_id", spanId).put("op", "event");
        span.set("tags", tags.deepCopy());
        span.put("start_timestamp", at).put("timestamp", at);
        return t;
    }

    private static double seconds(String timestamp) {
        try {
            return OffsetDateTime.parse(timestamp).toEpochSecond();
        } catch (DateTimeParseException | NullPointerException e) {
            return Instant.now().getEpochSecond();
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
