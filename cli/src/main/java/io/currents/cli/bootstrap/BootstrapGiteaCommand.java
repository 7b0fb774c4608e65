package io.currents.cli.bootstrap;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code currents bootstrap gitea}: bootstrap from a Gitea repository; token in $GITEA_TOKEN. */
@Command(name = "gitea", sortOptions = false,
        description = "Bootstrap from a Gitea repository, created if missing; the token is read from $GITEA_TOKEN.")
final class BootstrapGiteaCommand extends BootstrapProviderCommand {

    BootstrapGiteaCommand() {
        super("Gitea", "GITEA_TOKEN", "maintain", (hostname, user, token, ca, progress) -> new GiteaApi(hostname, token, ca, progress));
    }

    @Option(names = "--hostname", defaultValue = GiteaApi.DEFAULT_HOST, paramLabel = "<host>", description = "Gitea host name (default: ${DEFAULT-VALUE}).")
    String hostname;

    @Option(names = "--team", split = ",", paramLabel = "<team[:permission]>",
            description = "Team to give access (Gitea applies the team's own permission).")
    List<String> teams = List.of();

    @Override
    String hostname() {
        return hostname;
    }

    @Override
    List<String> teams() {
        return teams;
    }
}
