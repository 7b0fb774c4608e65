package io.currents.cli.ops.create;

import io.currents.api.notification.v1beta3.Provider;
import io.currents.api.notification.v1beta3.ProviderSpec;
import io.currents.cli.ops.FluxKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code currents create alert-provider}: a Provider (Slack, Teams, a webhook, a Git host's commit status...). */
@Command(mixinStandardHelpOptions = true)
final class AlertProviderCommand extends CreateCommand {

    @Option(names = "--type", required = true, description = "Provider type: slack, msteams, generic, generic-hmac, github, ...")
    String type;
    @Option(names = "--channel", description = "Channel to post to.")
    String channel;
    @Option(names = "--username", description = "Bot username.")
    String username;
    @Option(names = "--address", description = "Webhook or API address.")
    String address;
    @Option(names = "--secret-ref", description = "Secret with the address or token.")
    String secretRef;

    AlertProviderCommand() {
        super(FluxKind.PROVIDER);
    }

    @Override
    Provider object() {
        ProviderSpec spec = new ProviderSpec();
        spec.setType(type);
        spec.setChannel(Flags.orNull(channel));
        spec.setUsername(Flags.orNull(username));
        spec.setAddress(Flags.orNull(address));
        spec.setSecretRef(SourceCommand.ref(secretRef));
        return flux(new Provider(), spec);
    }
}
