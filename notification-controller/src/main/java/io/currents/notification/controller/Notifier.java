package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

/** Delivers one event to one kind of service (webhook, chat, Git commit status). */
interface Notifier {

    void send(FluxEvent event) throws DispatchException, InterruptedException;

    /** Object name as Flux's chat messages show it: {@code kind/name.namespace}, kind in lower case. */
    static String objectName(FluxEvent event) {
        var o = event.involvedObject();
        return o.getKind().toLowerCase(java.util.Locale.ROOT) + "/" + o.getName() + "." + o.getNamespace();
    }
}
