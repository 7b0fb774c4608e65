package io.currents.cli.ops.create;

import io.currents.api.meta.LocalObjectReference;
import io.currents.api.notification.v1.CrossNamespaceObjectReference;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.AlertSpec;
import io.currents.cli.ops.FluxKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code currents create alert}: an Alert sending the events of some objects to a Provider. */
@Command(mixinStandardHelpOptions = true)
final class AlertCommand extends CreateCommand {

    @Option(names = "--provider-ref", required = true, description = "Name of the alert Provider.")
    String providerRef;
    @Option(names = "--event-source", required = true, split = ",", description = "Sources of events: <kind>/<name>[.<namespace>] (name may be *).")
    List<String> eventSources = new ArrayList<>();
    @Option(names = "--event-severity", description = "info or error (default: all).")
    String eventSeverity;

    AlertCommand() {
        super(FluxKind.ALERT);
    }

    @Override
    Alert object() {
        AlertSpec spec = new AlertSpec();
        spec.setProviderRef(new LocalObjectReference(providerRef));
        spec.setEventSources(eventSources.stream()
                .map(s -> ObjectRef.parse(s, null, "--event-source").as(CrossNamespaceObjectReference.class)).toList());
        spec.setEventSeverity(Flags.oneOf(eventSeverity, List.of("info", "error"), "--event-severity must be info or error"));
        return flux(new Alert(), spec);
    }
}
