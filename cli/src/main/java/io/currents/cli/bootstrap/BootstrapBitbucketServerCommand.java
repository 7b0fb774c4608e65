package io.currents.cli.bootstrap;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code currents bootstrap bitbucket-server}: bootstrap from a Bitbucket Server repository; token in $BITBUCKET_TOKEN. */
@Command(name = "bitbucket-server", sortOptions = false,
        description = "Bootstrap from a Bitbucket Server repository, created if missing; the token is read from $BITBUCKET_TOKEN.")
final class BootstrapBitbucketServerCommand extends BootstrapProviderCommand {

    BootstrapBitbucketServerCommand() {
        super("Bitbucket", "BITBUCKET_TOKEN", "push", BitbucketServerApi::new);
    }

    @Option(names = "--hostname", paramLabel = "<host>", description = "Bitbucket Server host name (required).")
    String hostname;

    @Option(names = {"-u", "--username"}, defaultValue = "git", paramLabel = "<user>", description = "User the token belongs to (default: ${DEFAULT-VALUE}).")
    String username;

    @Option(names = "--group", split = ",", paramLabel = "<group[:permission]>",
            description = "Group to give access (pull, push or admin; default push).")
    List<String> groups = List.of();

    @Override
    String hostname() {
        return hostname;
    }

    @Override
    List<String> teams() {
        return groups;
    }

    /** flux: the owner for a personal repository, else --username. */
    @Override
    String pushUser() {
        return personal ? owner : username;
    }

    @Override
    String syncUser() {
        return pushUser();
    }
}
