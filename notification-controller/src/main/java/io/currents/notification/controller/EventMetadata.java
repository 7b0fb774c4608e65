package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.util.Map;
import java.util.TreeMap;

/**
 * Normalises the metadata of an incoming event as Flux does: keys prefixed with the involved object's API group
 * ({@code kustomize.toolkit.fluxcd.io/revision}) lose the prefix, other domains' keys and the {@code checksum} and
 * {@code digest} keys are dropped. Keys without any prefix ({@code revision}), which Currents' own EventRecorder sends,
 * are kept as they are.
 */
final class EventMetadata {

    static final String REVISION = "revision";
    static final String COMMIT_STATUS = "commit_status";
    static final String COMMIT_STATUS_UPDATE = "update";
    static final String SUMMARY = "summary";

    private EventMetadata() {
    }

    static FluxEvent normalise(FluxEvent event) {
        String apiVersion = event.involvedObject().getApiVersion();
        String group = apiVersion == null || !apiVersion.contains("/") ? "" : apiVersion.substring(0, apiVersion.indexOf('/'));
        Map<String, String> clean = new TreeMap<>();
        if (event.metadata() != null) {
            event.metadata().forEach((key, value) -> {
                String name;
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
