package io.currents.notification.controller;

import io.currents.api.notification.v1beta3.Alert;
import io.currents.runtime.events.FluxEvent;

/** One notification to deliver: an event (with the Alert's metadata added) for the Provider of one Alert. */
public record Dispatch(Alert alert, FluxEvent event) {
}
