package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Delivers one event to one kind of service (webhook, chat, incident tool, message bus, Git host). */
interface Notifier {

    void send(FluxEvent event) throws DispatchException, InterruptedException;

    /** Object name as Flux's chat messages show it: {@code kind/name.namespace}, kind in lower case. */
    static String objectName(FluxEvent event) {
        var o = event.involvedObject();
        return o.getKind().toLowerCase(Locale.ROOT) + "/" + o.getName() + "." + o.getNamespace();
    }

    /** The metadata sorted by key (Flux iterates a Go map, in no fixed order; sorted reads the same every time). */
    static Map<String, String> metadata(FluxEvent event) {
        return event.metadata() == null ? new TreeMap<>() : new TreeMap<>(event.metadata());
    }

    static boolean isError(FluxEvent event) {
        return FluxEvent.SEVERITY_ERROR.equals(event.severity());
    }
}
