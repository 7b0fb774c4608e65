package io.currents.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Locale;
import java.util.Optional;

/**
 * One JSON log line of a controller, read from either layout: flux's ({@code ts}, {@code level}, {@code msg},
 * {@code error}, {@code reconciler kind} or {@code controllerKind}, {@code name}, {@code namespace}) or the Currents
 * controllers' ({@code LOG_JSON=true}: Quarkus's {@code timestamp}, {@code level}, {@code message}, {@code exception},
 * and the reconciled object in the operator SDK's {@code mdc} keys {@code resource.kind}, {@code resource.name},
 * {@code resource.namespace}).
 */
record ControllerLogLine(String timestamp, String level, String message, String error, String kind, String name, String namespace) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The line read, or empty when it is not a JSON object (flux skips such lines too). */
    static Optional<ControllerLogLine> parse(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            return Optional.empty();
        }
        JsonNode mdc = n.path("mdc");
        String kind = first(n.path("reconciler kind"), n.path("controllerKind"), mdc.path("resource.kind"));
        String error = first(n.path("error"), n.path("exception").path("message"));
        return Optional.of(new ControllerLogLine(first(n.path("ts"), n.path("timestamp")), level(first(n.path("level"))),
                first(n.path("msg"), n.path("message")), error, kind, first(n.path("name"), mdc.path("resource.name")),
                first(n.path("namespace"), mdc.path("resource.namespace"))));
    }

    /** Java's level names as flux's: INFO → info, SEVERE/ERROR → error, FINE/DEBUG → debug, WARN(ING) → warn. */
    static String level(String level) {
        return switch (level.toUpperCase(Locale.ROOT)) {
            case "SEVERE", "ERROR", "FATAL" -> "error";
            case "WARN", "WARNING" -> "warn";
            case "FINE", "FINER", "FINEST", "DEBUG", "TRACE", "CONFIG" -> "debug";
            default -> level.toLowerCase(Locale.ROOT);
        };
    }

    private static String first(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (!node.isMissingNode() && !node.isNull() && !node.asText().isEmpty()) {
                return node.asText();
            }
        }
        return "";
    }

    /** flux's filter: level, kind (case-insensitive), name, and the namespace unless all namespaces are asked for. */
    boolean matches(String wantedLevel, String wantedKind, String wantedName, String wantedNamespace) {
        return (wantedLevel == null || wantedLevel.equalsIgnoreCase(level))
                && (wantedKind == null || wantedKind.equalsIgnoreCase(kind))
                && (wantedName == null || wantedName.equalsIgnoreCase(name))
                && (wantedNamespace == null || wantedNamespace.equalsIgnoreCase(namespace));
    }

    /** When the line was written: an RFC 3339 time (with or without offset) or flux's seconds since the epoch. */
    Optional<java.time.Instant> time() {
        try {
            if (timestamp.matches("\\d+(\\.\\d+)?")) {
                return Optional.of(java.time.Instant.ofEpochMilli(Math.round(Double.parseDouble(timestamp) * 1000)));
            }
            return Optional.of(java.time.OffsetDateTime.parse(timestamp).toInstant());
        } catch (RuntimeException e) {
            try {
                return Optional.of(java.time.LocalDateTime.parse(timestamp).atZone(java.time.ZoneId.systemDefault()).toInstant());
            } catch (RuntimeException notATime) {
                return Optional.empty();
            }
        }
    }

    /** flux's layout: {@code <ts> <level> <Kind>/<name>.<namespace> - <message> <error>}. */
    String format() {
        return timestamp + " " + level + " " + kind + (name.isEmpty() ? "" : "/" + name + "." + namespace) + " - " + message + " " + error;
    }
}
