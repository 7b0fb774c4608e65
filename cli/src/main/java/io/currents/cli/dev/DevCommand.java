package io.currents.cli.dev;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code currents dev}: Currents on this machine, without a cluster. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run Currents on this machine without a cluster: the local control plane the tests use, the "
                + "controllers as processes, and a Git repository made from examples/ that the cluster follows."},
        subcommands = {DevUp.class, DevStatus.class, DevDown.class})
public final class DevCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
