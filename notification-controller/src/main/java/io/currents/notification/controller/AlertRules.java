package io.currents.notification.controller;

import io.currents.api.notification.v1.CrossNamespaceObjectReference;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.AlertSpec;
import io.currents.api.regex.GoRegex;
import io.currents.runtime.events.FluxEvent;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides whether an Alert wants an event, as Flux does: an event source matching the involved object (kind, name with
 * {@code *} wildcards, namespace defaulting to the Alert's, match labels when the name is {@code *}), the severity
 * ({@code info} takes everything, {@code error} only errors), the inclusion and exclusion regexes on the message; and
 * adds the Alert's {@code eventMetadata} and {@code summary} to the event without overriding what the emitter sent.
 */
final class AlertRules {

    private static final Logger LOG = Logger.getLogger(AlertRules.class);

    /** Looks up the labels of an involved object (kind, namespace, name), or null when it cannot be read. */
    interface Labels extends Function<FluxEvent, Map<String, String>> {
    }

    private AlertRules() {
    }

    static boolean matches(Alert alert, FluxEvent event, boolean noCrossNamespaceRefs, Labels labels) {
        AlertSpec spec = alert.getSpec();
        if (spec == null || Boolean.TRUE.equals(spec.getSuspend())) {
            return false;
        }
        String severity = spec.getEventSeverity() == null ? Alert.SEVERITY_INFO : spec.getEventSeverity();
        if (Alert.SEVERITY_ERROR.equals(severity) && !FluxEvent.SEVERITY_ERROR.equals(event.severity())) {
            return false;
        }
        if (!matchesAnySource(alert, event, noCrossNamespaceRefs, labels)) {
            return false;
        }
        String message = event.message() == null ? "" : event.message();
        if (spec.getInclusionList() != null && !spec.getInclusionList().isEmpty()
                && spec.getInclusionList().stream().noneMatch(expr -> find(alert, expr, message))) {
            return false;
        }
        return spec.getExclusionList() == null || spec.getExclusionList().stream().noneMatch(expr -> find(alert, expr, message));
    }

    private static boolean matchesAnySource(Alert alert, FluxEvent event, boolean noCrossNamespaceRefs, Labels labels) {
        List<CrossNamespaceObjectReference> sources = alert.getSpec().getEventSources();
        if (sources == null) {
            return false;
        }
        var involved = event.involvedObject();
        for (CrossNamespaceObjectReference source : sources) {
            String namespace = source.getNamespace() == null || source.getNamespace().isEmpty()
                    ? alert.getMetadata().getNamespace() : source.getNamespace();
            if (noCrossNamespaceRefs && !namespace.equals(alert.getMetadata().getNamespace())) {
                continue;
            }
            if (!namespace.equals(involved.getNamespace()) || !source.getKind().equals(involved.getKind())) {
                continue;
            }
            if ("*".equals(source.getName()) && source.getMatchLabels() != null && !source.getMatchLabels().isEmpty()) {
                Map<String, String> actual = labels.apply(event);
                if (actual != null && actual.entrySet().containsAll(source.getMatchLabels().entrySet())) {
                    return true;
                }
                continue;
            }
            if (nameMatches(source.getName(), involved.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Glob match where {@code *} stands for any run of characters. */
    static boolean nameMatches(String pattern, String name) {
        if (pattern == null || name == null) {
            return false;
        }
        if (!pattern.contains("*")) {
            return pattern.equals(name);
        }
        String regex = Arrays.stream(pattern.split("\\*", -1)).map(GoRegex::quote).collect(Collectors.joining(".*"));
        return GoRegex.compileWhole("(?s:" + regex + ")").matches(name);
    }

    private static boolean find(Alert alert, String expression, String message) {
        try {
            // RE2 (Flux's engine): linear time, so one tenant's pattern cannot stall routing for everyone
            return GoRegex.compile(expression).find(message);
        } catch (GoRegex.InvalidRegexException e) {
            LOG.errorf("alert %s/%s: %s", alert.getMetadata().getNamespace(), alert.getMetadata().getName(), e.getMessage());
            return false;
        }
    }

    /**
     * The event's metadata combined as Flux combines it (RFC 0008), from lowest to highest precedence: the keys the
     * object's {@code event.toolkit.fluxcd.io/} annotations gave (prefix removed), the Alert's {@code eventMetadata}, its
     * {@code summary}, and the emitting controller's own keys. Keys set by more than one source are reported to
     * {@code conflicts} (key and the sources, in order).
     */
    static FluxEvent enrich(Alert alert, FluxEvent event, java.util.function.BiConsumer<String, List<String>> conflicts) {
        Map<String, String> metadata = new java.util.TreeMap<>();
        Map<String, List<String>> sources = new java.util.TreeMap<>();
        Map<String, String> raw = event.metadata() == null ? Map.of() : event.metadata();
        raw.forEach((k, v) -> {
            if (k.startsWith(EventMetadata.EVENT_GROUP_PREFIX)) {
                put(metadata, sources, k.substring(EventMetadata.EVENT_GROUP_PREFIX.length()), v, "involved object annotations");
            }
        });
        AlertSpec spec = alert.getSpec();
        if (spec.getEventMetadata() != null) {
            spec.getEventMetadata().forEach((k, v) -> put(metadata, sources, k, v, "Alert object .spec.eventMetadata"));
        }
        if (spec.getSummary() != null && !spec.getSummary().isEmpty()) {
            put(metadata, sources, EventMetadata.SUMMARY, spec.getSummary(), "Alert object .spec.summary");
        }
        raw.forEach((k, v) -> {
            if (!k.startsWith(EventMetadata.EVENT_GROUP_PREFIX)) {
                put(metadata, sources, k, v, "involved object controller metadata");
            }
        });
        sources.forEach((k, from) -> {
            if (from.size() > 1) {
                conflicts.accept(k, from);
            }
        });
        return EventMetadata.withMetadata(event, metadata);
    }

    private static void put(Map<String, String> metadata, Map<String, List<String>> sources, String key, String value, String source) {
        metadata.put(key, value);
        sources.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(source);
    }
}
