package io.currents.cli.dev;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The local control plane (etcd, kube-apiserver, kube-controller-manager, the same the tests use) and the Git HTTP
 * server, run by testkit's {@code DevEnvironment} in a JVM of its own that outlives {@code dev up}.
 */
final class EnvironmentProcess {

    static final String MAIN_CLASS = "io.currents.testkit.DevEnvironment";

    private EnvironmentProcess() {
    }

    /**
     * Starts the environment with its files in {@code dir} (kubeconfig, git-url, git/, environment.log) and waits
     * until it has written {@code dir/ready}; returns the process, or fails with the end of its log.
     */
    static ProcessHandle start(Path projectRoot, Path dir, Duration timeout) {
        Path log = dir.resolve("environment.log");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dcurrents.project.root=" + projectRoot,
                "-cp", System.getProperty("java.class.path"), MAIN_CLASS, dir.toString()));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local control plane", e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(dir.resolve("ready"))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the local control plane exited during start-up; " + log + " ends with:\n"
                        + ControllerProcess.tail(log, 30));
            }
            if (System.nanoTime() > deadline) {
                ProcessTree.stop(process.toHandle(), Duration.ofSeconds(10));
                throw new IllegalStateException("the local control plane did not start within " + timeout.toSeconds()
                        + "s; see " + log);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ProcessTree.stop(process.toHandle(), Duration.ofSeconds(10));
                throw new IllegalStateException("interrupted", e);
            }
        }
        return process.toHandle();
    }

    /** The pids of etcd, kube-apiserver and kube-controller-manager under the environment, as a state value. */
    static String controlPlanePids(ProcessHandle environment) {
        return String.join(",", environment.descendants().filter(EnvironmentProcess::isControlPlane)
                .map(h -> Long.toString(h.pid())).toList());
    }

    /** The recorded control plane processes that still run (also after their JVM was killed). */
    static List<ProcessHandle> controlPlane(String pids) {
        if (pids == null || pids.isBlank()) {
            return List.of();
        }
        List<ProcessHandle> handles = new ArrayList<>();
        for (String pid : pids.split(",")) {
            ProcessHandle.of(Long.parseLong(pid.trim())).filter(EnvironmentProcess::isControlPlane).ifPresent(handles::add);
        }
        return handles;
    }

    private static boolean isControlPlane(ProcessHandle handle) {
        // the command is the resolved executable (etcd is Debian's /usr/bin/etcd behind kube-api-test's link)
        return handle.info().commandLine()
                .map(c -> c.contains("/.kubeapitest/") || (c.startsWith("/usr/bin/etcd ") && c.contains("-data-dir")))
                .orElse(false);
    }

    /** The environment started earlier, if that process still runs. */
    static java.util.Optional<ProcessHandle> attach(long pid) {
        return ProcessHandle.of(pid).filter(h -> h.info().commandLine().map(c -> c.contains(MAIN_CLASS)).orElse(false));
    }
}
