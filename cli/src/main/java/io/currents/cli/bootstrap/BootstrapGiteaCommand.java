package io.currents.cli.bootstrap;

import io.currents.cli.output.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code currents bootstrap gitea}: bootstrap from a Gitea repository; token in $GITEA_TOKEN. */
@Command(name = "gitea", sortOptions = false,
        description = "Bootstrap from a Gitea repository, created if missing; the token is read from $GITEA_TOKEN.")
final class BootstrapGiteaCommand extends BootstrapProviderCommand {

    @Option(names = "--hostname", defaultValue = GiteaApi.DEFAULT_HOST, paramLabel = "<host>", description = "Gitea host name (default: ${DEFAULT-VALUE}).")
    String hostname;

    @Option(names = "--team", split = ",", paramLabel = "<team[:permission]>",
            description = "Team to give access (Gitea applies the team's own permission).")
    List<String> teams = List.of();

    @Override
    String tokenEnv() {
        return "GITEA_TOKEN";
    }

    @Override
    String providerName() {
        return "Gitea";
    }

    @Override
    String hostname() {
        return hostname;
    }

    @Override
    List<String> teams() {
        return teams;
    }

    @Override
    String defaultPermission() {
        return "maintain";
    }

    @Override
    ProviderApi api(String hostname, String token, String ca, Progress progress) {
        return new GiteaApi(hostname, token, ca, progress);
    }
}
