package io.currents.notification.controller;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The {@code otel} provider: each event becomes one span exported to an OpenTelemetry collector over OTLP/HTTP
 * ({@code POST} to {@code spec.address}, e.g. {@code http://collector:4318/v1/traces}), in OTLP's JSON encoding. As in
 * Flux: the service is the Alert ({@code <namespace>/<name>}, its namespace and UID as service namespace and instance);
 * the trace ID is the first 16 bytes of SHA-256 of {@code <Alert UID>:<revision>} (revision: {@code app-version@oci-digest}
 * when both are set, else {@code revision}, else {@code unknown}), so the events of one revision share a trace; the span
 * is named {@code Kind: namespace/name}, starts at the event time, carries the object and the metadata as attributes,
 * and has status error (with the message) for error events, ok otherwise; HelmRepository events are not sent. The
 * Secret's {@code headers} are sent, and an {@code Authorization} built from {@code username}/{@code password} (basic)
 * or the token (bearer) unless the headers set one.
 */
final class OtelTrace implements Notifier {

    static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.34.0";
    private static final Set<String> SOURCES = Set.of("GitRepository", "HelmChart", "OCIRepository", "Bucket", "ExternalArtifact");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final URI uri;
    private final Alert alert;

    OtelTrace(ProviderSettings settings, Delivery delivery, Alert alert) throws DispatchException {
        this.settings = settings;
        this.delivery = delivery;
        this.uri = settings.requireUrl("OTLP endpoint URL");
        if (alert == null) {
            throw new DispatchException("alert metadata not found");
        }
        this.alert = alert;
    }

    static String revision(Map<String, String> metadata) {
        String digest = metadata.get("oci-digest");
        String appVersion = metadata.get("app-version");
        if (digest != null && appVersion != null) {
            return appVersion + "@" + digest;
        }
        return metadata.getOrDefault("revision", "unknown");
    }

    static String traceId(String alertUid, String revision) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((alertUid + ":" + revision).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isSource(String kind) {
        return SOURCES.contains(kind);
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        var o = event.involvedObject();
        if ("HelmRepository".equals(o.getKind())) {
            return;
        }
        Map<String, String> metadata = Notifier.metadata(event);
        String alertUid = alert.getMetadata().getUid() == null ? "" : alert.getMetadata().getUid();
        byte[] spanId = new byte[8];
        RANDOM.nextBytes(spanId);
        long start = nanos(event.timestamp());
        long end = Math.max(start, Instant.now().getEpochSecond() * 1_000_000_000L + Instant.now().getNano());

        ObjectNode body = delivery.json.createObjectNode();
        ObjectNode resourceSpans = body.putArray("resourceSpans").addObject();
        ArrayNode resource = resourceSpans.putObject("resource").putArray("attributes");
        attribute(resource, "service.name", alert.getMetadata().getNamespace() + "/" + alert.getMetadata().getName());
        attribute(resource, "service.namespace", alert.getMetadata().getNamespace());
        attribute(resource, "service.instance.id", alertUid);
        ObjectNode scopeSpans = resourceSpans.putArray("scopeSpans").addObject();
        scopeSpans.putObject("scope").put("name", "flux:notification-controller");
        ObjectNode span = scopeSpans.putArray("spans").addObject();
        span.put("traceId", traceId(alertUid, revision(metadata)));
        span.put("spanId", HexFormat.of().formatHex(spanId));
        span.put("name", o.getKind() + ": " + o.getNamespace() + "/" + o.getName());
        span.put("kind", 1);
        span.put("startTimeUnixNano", Long.toString(start));
        span.put("endTimeUnixNano", Long.toString(end));
        ArrayNode attributes = span.putArray("attributes");
        attribute(attributes, "object.uid", o.getUid() == null ? "" : o.getUid());
        attribute(attributes, "object.kind", o.getKind());
        attribute(attributes, "object.name", o.getName());
        attribute(attributes, "object.namespace", o.getNamespace());
        metadata.forEach((k, v) -> attribute(attributes, k, v));
        ObjectNode status = span.putObject("status");
        if (Notifier.isError(event)) {
            status.put("code", 2);
            status.put("message", event.message() == null ? "" : event.message());
        } else {
            status.put("code", 1);
        }
        resourceSpans.put("schemaUrl", SCHEMA_URL);

        var request = delivery.json("POST", uri, body);
        Delivery.withHeaders(request, settings.headers());
        boolean hasAuthorization = settings.headers().keySet().stream().anyMatch("Authorization"::equalsIgnoreCase);
        if (!hasAuthorization) {
            String secret = settings.tokenOrPassword();
            if (settings.username() != null && settings.password() != null) {
                request.setHeader("Authorization", Delivery.basic(settings.username(), settings.password()));
            } else if (secret != null) {
                request.setHeader("Authorization", "Bearer " + secret);
            }
        }
        delivery.send(request.build());
    }

    private static void attribute(ArrayNode attributes, String key, String value) {
        ObjectNode a = attributes.addObject();
        a.put("key", key);
        a.putObject("value").put("stringValue", value);
    }

    private static long nanos(String timestamp) {
        try {
            Instant at = OffsetDateTime.parse(timestamp).toInstant();
            return at.getEpochSecond() * 1_000_000_000L + at.getNano();
        } catch (DateTimeParseException | NullPointerException e) {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    }
}
