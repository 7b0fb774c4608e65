package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverStatus;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.Provider;
import io.currents.runtime.events.FluxEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The types this controller binds with Jackson (its Flux kinds and the events it receives), with every type their
 * fields reach, registered for reflection in a native image (docs/images.md, "Native images"). Nothing in JVM mode.
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        Alert.class, Provider.class, Receiver.class, ReceiverStatus.class, FluxEvent.class})
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
