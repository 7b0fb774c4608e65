package io.currents.cli.dev;

import io.currents.cli.output.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code currents dev down}: stops what {@code dev up} started and removes its state. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the controllers, the local control plane and the Git server started by "
        + "`dev up`, and delete .currents/dev (the work clone included).")
final class DevDown implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = DevState.directory(ProjectRoot.find());
        Optional<DevState> state = DevState.load(dir);
        if (state.isEmpty()) {
            DevState.deleteTree(dir);
            out.println("no dev environment was started from this checkout; nothing to stop");
            return 0;
        }
        Progress progress = Progress.to(spec.commandLine().getErr());
        stopAll(state.get(), progress);
        DevState.deleteTree(dir);
        progress.success("stopped; removed " + dir);
        return 0;
    }

    /** Stops the recorded processes, controllers first, then the control plane with the Git server. */
    static void stopAll(DevState state, Progress progress) {
        List<ControllerProcess> controllers = new ArrayList<>();
        for (ControllerProcess.Controller c : ControllerProcess.Controller.values()) {
            ControllerProcess process = state.controller(c);
            if (process.isAlive()) {
                progress.action("stopping " + c.controllerName() + " (pid " + process.pid() + ")");
                controllers.add(process);
            }
        }
        // together: a controller that does not stop on SIGTERM costs one grace period, not one each
        ControllerProcess.stopAll(controllers, Duration.ofSeconds(10));
        Optional<ProcessHandle> environment = EnvironmentProcess.attach(state.pid("environment"));
        List<ProcessHandle> plane = new ArrayList<>(EnvironmentProcess.controlPlane(state.get("environment.control-plane")));
        environment.ifPresent(plane::add);
        if (!plane.isEmpty()) {
            progress.action("stopping the local control plane and Git server" + environment.map(e -> " (pid " + e.pid() + ")").orElse(""));
            // etcd and kube-apiserver are found even when their JVM was killed and they were left behind
            ProcessTree.stop(plane, Duration.ofSeconds(30));
        }
    }
}
