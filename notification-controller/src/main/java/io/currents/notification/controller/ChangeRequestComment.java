package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

/**
 * What Flux's pull/merge request comment providers share: the change request number from the event's
 * {@code change_request} metadata, and a hidden marker {@code <!-- <prefix>:<provider UID>/<Kind>/<namespace>/<name> -->}
 * at the top of the comment, by which the one comment per object and provider is found again and updated.
 */
final class ChangeRequestComment {

    private final String prefix;
    private final String providerUid;

    ChangeRequestComment(String prefix, String providerUid) throws DispatchException {
        if (providerUid == null || providerUid.isEmpty()) {
            throw new DispatchException("provider UID cannot be empty");
        }
        this.prefix = prefix;
        this.providerUid = providerUid;
    }

    String marker(FluxEvent event) {
        var o = event.involvedObject();
        return "<!-- " + prefix + ":" + providerUid + "/" + o.getKind() + "/" + o.getNamespace() + "/" + o.getName() + " -->";
    }

    String body(FluxEvent event) {
        return marker(event) + "\n\n" + MarkdownPost.format(event);
    }

    static long number(FluxEvent event) throws DispatchException {
        String value = event.metadata() == null ? null : event.metadata().get(MarkdownPost.CHANGE_REQUEST);
        if (value == null) {
            throw new DispatchException("missing \"change_request\" metadata key");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new DispatchException("invalid \"change_request\" metadata value \"" + value + "\"");
        }
    }
}
