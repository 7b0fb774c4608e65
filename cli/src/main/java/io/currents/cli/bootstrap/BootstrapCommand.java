package io.currents.cli.bootstrap;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code currents bootstrap <provider>}: set up a cluster to manage itself from a Git repository. */
@Command(name = "bootstrap", description = "Deploy Currents on a cluster the GitOps way: manifests in Git, the cluster syncs from them.",
        subcommands = {BootstrapGitCommand.class, BootstrapGitHubCommand.class, BootstrapGitLabCommand.class,
                BootstrapGiteaCommand.class, BootstrapBitbucketServerCommand.class})
public final class BootstrapCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
