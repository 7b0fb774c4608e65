package io.currents.cli.dev;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code currents dev status}: whether the processes of {@code dev up} run, and the sources and Kustomizations. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the processes started by `dev up` and the state of the sources and "
        + "Kustomizations. Exits 1 when the environment is not running.")
final class DevStatus implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = DevState.directory(ProjectRoot.find());
        Optional<DevState> loaded = DevState.load(dir);
        if (loaded.isEmpty()) {
            out.println("no dev environment is running; start one with `bin/currents dev up`");
            return 1;
        }
        DevState state = loaded.get();
        boolean environment = EnvironmentProcess.attach(state.pid("environment")).isPresent();
        boolean all = environment;
        out.printf("%-24s %s%n", "control plane + Git", environment
                ? "running (pid " + state.pid("environment") + "), Git at " + state.get("repository-url") : "stopped");
        for (ControllerProcess.Controller c : ControllerProcess.Controller.values()) {
            if (state.pid(c.controllerName()) < 0) {
                continue; // not started by this dev up
            }
            ControllerProcess process = state.controller(c);
            boolean ready = process.isReady();
            all &= ready;
            out.printf("%-24s %s%n", c.controllerName(), process.isAlive()
                    ? (ready ? "ready" : "running, not ready") + " (pid " + process.pid() + ", health on :"
                    + process.managementPort() + (c == ControllerProcess.Controller.NOTIFICATION
                    ? ", events on :" + process.httpPort() + ", webhooks on :" + ControllerProcess.receiverPort(process.httpPort()) : "")
                    + ", log " + process.log() + ")"
                    : "stopped (log " + process.log() + ")");
        }
        out.println("KUBECONFIG=" + state.kubeconfig());
        if (state.get("ui.url") != null) {
            out.println("UI: " + state.get("ui.url") + " (login token in " + DevUi.tokenFile(state.dir()) + ")");
        }
        if (environment) {
            out.println();
            try (KubernetesClient client = DevUp.client(state.kubeconfig())) {
                out.print(SyncStatus.read(client).table());
            }
        }
        out.flush();
        return all ? 0 : 1;
    }
}
