package io.currents.cli.bootstrap;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code currents bootstrap github}: bootstrap from a GitHub (or GitHub Enterprise Server) repository; token in $GITHUB_TOKEN. */
@Command(name = "github", sortOptions = false,
        description = "Bootstrap from a GitHub repository, created if missing; the token is read from $GITHUB_TOKEN.")
final class BootstrapGitHubCommand extends BootstrapProviderCommand {

    BootstrapGitHubCommand() {
        super("GitHub", "GITHUB_TOKEN", "maintain", (hostname, user, token, ca, progress) -> new GitHubApi(hostname, token, ca, progress));
    }

    @Option(names = "--hostname", defaultValue = GitHubApi.DEFAULT_HOST, paramLabel = "<host>", description = "GitHub host name (default: ${DEFAULT-VALUE}).")
    String hostname;

    @Option(names = "--team", split = ",", paramLabel = "<team[:permission]>",
            description = "Team to give access (pull, triage, push, maintain or admin; default maintain).")
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
