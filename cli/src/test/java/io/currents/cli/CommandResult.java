package io.currents.cli;

import io.currents.testkit.ControlPlane;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;

/** One in-process run of the {@code currents} command line: exit code, standard output and standard error. */
public record CommandResult(int code, String out, String err) {

    /** Runs {@code currents <args>} with its output captured. */
    public static CommandResult run(String... args) {
        CommandLine cl = Currents.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CommandResult(code, out.toString(), err.toString());
    }

    /** Runs {@code currents <args> --kubeconfig <the shared control plane's kubeconfig>}. */
    public static CommandResult onCluster(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kubeconfig");
        all.add(ControlPlane.shared().kubeconfigPath().toString());
        return run(all.toArray(String[]::new));
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
