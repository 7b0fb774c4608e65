package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.util.Map;
import java.util.TreeMap;

/**
 * Normalises the metadata of an incoming event as Flux does: keys prefixed with the involved object's API group
 * ({@code kustomize.toolkit.fluxcd.io/revision}) lose the prefix, keys of Flux's event group
 * ({@code event.toolkit.fluxcd.io/...}, from the object's annotations) are kept for the Alerts to combine, other domains'
 * keys and the {@code checksum} and {@code digest} keys are dropped. Keys without any prefix ({@code revision}), which Currents' own EventRecorder sends,
 * are kept as they are.
 */
final class EventMetadata {

    static final String REVISION = "revision";
    static final String COMMIT_STATUS = "commit_status";
    static final String COMMIT_STATUS_UPDATE = "update";
    static final String SUMMARY = "summary";
    /** Keys users set through {@code event.toolkit.fluxcd.io/} annotations on their objects (Flux's event API group). */
    static final String EVENT_GROUP_PREFIX = "event.toolkit.fluxcd.io/";
    static final String COMMIT = EVENT_GROUP_PREFIX + "commit";
    static final String CHANGE_REQUEST = EVENT_GROUP_PREFIX + "change_request";

    private EventMetadata() {
    }

    static FluxEvent normalise(FluxEvent event) {
        String apiVersion = event.involvedObject().getApiVersion();
        String group = apiVersion == null || !apiVersion.contains("/") ? "" : apiVersion.substring(0, apiVersion.indexOf('/'));
        Map<String, String> clean = new TreeMap<>();
        if (event.metadata() != null) {
            event.metadata().forEach((key, value) -> {
                String name;
                if (key.startsWith(EVENT_GROUP_PREFIX)) {
                    // kept with its prefix until an Alert combines the metadata (AlertRules.enrich)
                    if (value != null) {
                        clean.put(key, value);
                    }
                    return;
                }
                if (!group.isEmpty() && key.startsWith(group + "/")) {
                    name = key.substring(group.length() + 1);
                } else if (!key.contains("/")) {
                    name = key;
                } else {
                    return;
                }
                if (!name.equals("checksum") && !name.equals("digest") && value != null) {
                    clean.put(name, value);
                }
            });
        }
        return withMetadata(event, clean);
    }

    static FluxEvent withMetadata(FluxEvent e, Map<String, String> metadata) {
        return new FluxEvent(e.involvedObject(), e.severity(), e.timestamp(), e.message(), e.reason(), metadata,
                e.reportingController(), e.reportingInstance());
    }
}
