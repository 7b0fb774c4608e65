package io.currents.cli.ops;

import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every everyday command (get, create, export, reconcile, suspend, events, tree, trace, build, diff) has: its
 * picocli spec for the output streams, and the kubeconfig/context/namespace flags.
 */
public abstract class ClusterCommand implements Callable<Integer> {

    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    @Mixin
    protected KubeOptions kube = new KubeOptions();

    /** Standard output, where results go. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Progress lines, on standard error. */
    protected Progress newProgress() {
        return Progress.to(spec.commandLine().getErr());
    }

    /** Prints a result to standard output. */
    protected void print(String text) {
        out().print(text);
        out().flush();
    }
}
