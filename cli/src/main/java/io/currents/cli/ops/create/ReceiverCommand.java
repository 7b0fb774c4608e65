package io.currents.cli.ops.create;

import io.currents.api.meta.LocalObjectReference;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.currents.api.notification.v1.ReceiverSpec;
import io.currents.cli.ops.FluxKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code currents create receiver}: a Receiver whose webhook asks for the reconcile of some objects. */
@Command(mixinStandardHelpOptions = true)
final class ReceiverCommand extends CreateCommand {

    @Option(names = "--type", required = true, description = "Receiver type: generic, generic-hmac, github, gitlab, ...")
    String type;
    @Option(names = "--event", split = ",", description = "Events to accept (type-specific).")
    List<String> events = new ArrayList<>();
    @Option(names = "--resource", required = true, split = ",", description = "Objects to reconcile: <kind>/<name>.")
    List<String> resources = new ArrayList<>();
    @Option(names = "--secret-ref", required = true, description = "Secret with the token (key: token).")
    String secretRef;

    ReceiverCommand() {
        super(FluxKind.RECEIVER, FluxKind.RECEIVER.kind(), true);
    }

    @Override
    Receiver object() {
        ReceiverSpec spec = new ReceiverSpec();
        spec.setType(type);
        spec.setEvents(Flags.orNull(List.copyOf(events)));
        spec.setResources(resources.stream().map(r -> ObjectRef.parse(r, null, "--resource").as(ReceiverResource.class)).toList());
        spec.setSecretRef(new LocalObjectReference(secretRef));
        return flux(new Receiver(), spec);
    }
}
