package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Alert;
import io.currents.runtime.events.FluxEvent;

/**
 * One notification to deliver: an event for the Provider of one Alert; {@code accepted} is told when this delivery is
 * finished, so that the event leaves the spool once all of its deliveries are.
 */
public record Dispatch(Alert alert, FluxEvent event, AcceptedEvent accepted) {
}
