package io.currents.cli.dev;

import io.currents.testkit.LoopbackPorts;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A controller running as its own JVM process from its packaged Quarkus application
 * ({@code <module>/target/quarkus-app/quarkus-run.jar}), configured through environment variables as its
 * Deployment would configure it in a cluster: used by {@code currents dev up} and by the e2e tests.
 */
public final class ControllerProcess {

    /** The controllers that can run as local processes. */
    public enum Controller {
        SOURCE("source-controller"),
        KUSTOMIZE("kustomize-controller"),
        HELM("helm-controller"),
        NOTIFICATION("notification-controller"),
        IMAGE_AUTOMATION("image-automation-controller"),
        /** The web UI: not a controller, but started, found again and stopped the same way ({@code dev up}, the UI's tests). */
        UI("ui");

        /** The controllers {@code install} deploys by default (flux's defaults), which {@code dev up} runs. */
        public static final List<Controller> DEFAULTS = List.of(SOURCE, KUSTOMIZE, HELM, NOTIFICATION);

        private final String module;

        Controller(String module) {
            this.module = module;
        }

        /** The controller's name, which is also its Maven module and its Deployment's name. */
        public String controllerName() {
            return module;
        }

        /** The packaged application inside a checkout of the project. */
        public Path jar(Path projectRoot) {
            return projectRoot.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
        }
    }

    /** How to start a controller: where the project and the cluster are, and where its files go. */
    public record Settings(Path projectRoot, Path kubeconfig, String runtimeNamespace, Path workDir,
                           List<String> jvmOptions, boolean detached, String eventsAddress, Map<String, String> environment,
                           List<String> extraJvmOptions) {

        /** For a controller without a jvm.options: small heap, serial GC and C1 only (several JVMs share a developer's machine). */
        public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
                "-Xms32m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

        public Settings {
            projectRoot = projectRoot.toAbsolutePath();
            kubeconfig = kubeconfig.toAbsolutePath();
            workDir = workDir.toAbsolutePath();
            jvmOptions = List.copyOf(jvmOptions);
            environment = Map.copyOf(environment);
            extraJvmOptions = List.copyOf(extraJvmOptions);
        }

        /**
         * The options the controller's Deployment and image run with ({@code <module>/jvm.options}) when it has them,
         * so a local controller behaves as in a cluster; otherwise these settings' options. Options that size the heap
         * as a share of the container's memory limit ({@code -XX:MaxRAMPercentage}, no {@code -Xmx}) would take that
         * share of the whole machine here, so these settings' heap bounds follow them (the last {@code -Xmx} wins).
         * The {@linkplain #extraJvmOptions extra options} come last (e.g. {@code -XX:MaxRAM} and
         * {@code -XX:ActiveProcessorCount} standing for a pod's limits, or diagnostics), whatever the file says.
         */
        public List<String> jvmOptions(Controller controller) {
            Path file = projectRoot.resolve(controller.controllerName()).resolve("jvm.options");
            List<String> options = new ArrayList<>();
            if (!Files.isRegularFile(file)) {
                options.addAll(jvmOptions);
            } else {
                options.addAll(readJvmOptions(file));
                if (options.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
                    jvmOptions.stream().filter(o -> o.startsWith("-Xms") || o.startsWith("-Xmx")).forEach(options::add);
                }
            }
            options.addAll(extraJvmOptions);
            return options;
        }

        /** Settings with the default JVM options, in the foreground (the processes die with their parent's tests). */
        public static Settings of(Path projectRoot, Path kubeconfig, String runtimeNamespace, Path workDir) {
            return new Settings(projectRoot, kubeconfig, runtimeNamespace, workDir, DEFAULT_JVM_OPTIONS, false, null, Map.of(), List.of());
        }

        /** The same settings, with the processes in their own session so that they outlive the command that started them. */
        public Settings detach() {
            return new Settings(projectRoot, kubeconfig, runtimeNamespace, workDir, jvmOptions, true, eventsAddress, environment,
                    extraJvmOptions);
        }

        /**
         * The same settings without the default heap bounds and with these options after the controller's own: a
         * controller run as in its pod, the options standing for the pod's limits (see {@link #jvmOptions(Controller)}).
         */
        public Settings asInPod(List<String> podOptions) {
            return new Settings(projectRoot, kubeconfig, runtimeNamespace, workDir, List.of(), detached, eventsAddress, environment,
                    podOptions);
        }

        /** The same settings, with the controllers posting their events to this notification-controller ({@code events-addr}). */
        public Settings withEvents(ControllerProcess notificationController) {
            return new Settings(projectRoot, kubeconfig, runtimeNamespace, workDir, jvmOptions, detached,
                    "http://127.0.0.1:" + notificationController.httpPort() + "/", environment, extraJvmOptions);
        }

        /**
         * The same settings with more environment variables (flags such as {@code LEADER_ELECTION_LEASE_DURATION}),
         * set after the ones these settings derive, which they may override.
         */
        public Settings withEnvironment(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(environment);
            all.putAll(more);
            return new Settings(projectRoot, kubeconfig, runtimeNamespace, workDir, jvmOptions, detached, eventsAddress, all,
                    extraJvmOptions);
        }

        /** The same settings with another directory for the logs and storage (a second replica of a controller). */
        public Settings withWorkDir(Path other) {
            return new Settings(projectRoot, kubeconfig, runtimeNamespace, other, jvmOptions, detached, eventsAddress, environment,
                    extraJvmOptions);
        }
    }

    /** The options of a jvm.options file: one or more per line, {@code #} starts a comment. */
    public static List<String> readJvmOptions(Path file) {
        try {
            List<String> options = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String content = line.replaceFirst("#.*", "").strip();
                if (!content.isEmpty()) {
                    options.addAll(List.of(content.split("\\s+")));
                }
            }
            return options;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Controller controller;
    private final ProcessHandle handle;
    private final int httpPort;
    private final int managementPort;
    private final Path log;

    private ControllerProcess(Controller controller, ProcessHandle handle, int httpPort, int managementPort, Path log) {
        this.controller = controller;
        this.handle = handle;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts the controller on free loopback ports with its log in {@code <workDir>/<controller>.log}; returns at
     * once, see {@link #awaitReady(Duration)}.
     */
    public static ControllerProcess start(Controller controller, Settings settings) {
        Path jar = controller.jar(settings.projectRoot());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; build it with `./mvnw -B -q install -DskipTests -pl "
                    + controller.controllerName() + " -am`");
        }
        int httpPort = controller == Controller.NOTIFICATION ? LoopbackPorts.freeWithNext() : LoopbackPorts.free();
        int managementPort = LoopbackPorts.free();
        try {
            Files.createDirectories(settings.workDir());
            Path log = settings.workDir().resolve(controller.controllerName() + ".log");
            List<String> command = new ArrayList<>();
            if (settings.detached() && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                // a session of its own: no terminal hang-up or Ctrl-C reaches it once `dev up` has returned
                command.add("/usr/bin/setsid");
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(settings.jvmOptions(controller));
            command.add("-Dcurrents.local.controller=" + controller.controllerName());
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(settings.workDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment(controller, settings, httpPort, managementPort));
            Process process = builder.start();
            return new ControllerProcess(controller, process.toHandle(), httpPort, managementPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + controller.controllerName(), e);
        }
    }

    /** A controller started earlier (e.g. by {@code dev up}), found again by its process id. */
    public static ControllerProcess attach(Controller controller, long pid, int httpPort, int managementPort, Path log) {
        ProcessHandle handle = ProcessHandle.of(pid)
                .filter(h -> isController(h, controller))
                .orElse(null);
        return new ControllerProcess(controller, handle, httpPort, managementPort, log);
    }

    /** The environment of the controller's Deployment, for a process on this machine. */
    static Map<String, String> environment(Controller controller, Settings settings, int httpPort, int managementPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBECONFIG", settings.kubeconfig().toString());
        env.put("RUNTIME_NAMESPACE", settings.runtimeNamespace());
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        if (controller == Controller.SOURCE) {
            env.put("STORAGE_PATH", settings.workDir().resolve("source-controller-storage").toString());
            env.put("STORAGE_ADV_ADDR", "localhost:" + httpPort);
        }
        if (controller == Controller.NOTIFICATION) {
            // the webhook receiver's port (Flux: --receiverAddr); the events endpoint is the HTTP port
            env.put("RECEIVERADDR", "127.0.0.1:" + receiverPort(httpPort));
            // the Deployment's emptyDir: accepted events survive a restart of the process
            env.put("EVENTS_SPOOL_DIR", settings.workDir().resolve("notification-controller-events").toString());
        } else if (settings.eventsAddress() != null && controller != Controller.UI) {
            env.put("EVENTS_ADDR", settings.eventsAddress());
        }
        if (controller == Controller.IMAGE_AUTOMATION) {
            env.put("STORAGE_PATH", settings.workDir().resolve("image-automation-controller-data").toString());
        }
        // what the Deployment and the image set besides the flags (helm-controller: the Go runtime's memory limit)
        Path containerEnv = settings.projectRoot().resolve(controller.controllerName()).resolve("container.env");
        if (Files.isRegularFile(containerEnv)) {
            env.putAll(readContainerEnv(containerEnv));
        }
        env.putAll(settings.environment());
        return env;
    }

    /**
     * The variables of a {@code <module>/container.env}: {@code NAME=value} a line, {@code #} starts a comment. The
     * controller's Deployment sets the same (ManifestsBuildTest) and its image has them as defaults (the image profile).
     */
    public static Map<String, String> readContainerEnv(Path file) {
        try {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                String content = line.replaceFirst("#.*", "").strip();
                if (content.isEmpty()) {
                    continue;
                }
                int eq = content.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(file + ": not NAME=value: " + content);
                }
                env.put(content.substring(0, eq).strip(), content.substring(eq + 1).strip());
            }
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public Controller controller() {
        return controller;
    }

    /** The process id, or -1 when the process is gone. */
    public long pid() {
        return handle == null ? -1 : handle.pid();
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    /**
     * notification-controller's webhook receiver port, taken next to its HTTP port: recorded nowhere else, so that a
     * controller found again by {@link #attach} knows it too.
     */
    public static int receiverPort(int httpPort) {
        return httpPort + 1;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return handle != null && handle.isAlive();
    }

    /** Whether {@code /q/health/ready} on the management port answers 200. */
    public boolean isReady() {
        if (!isAlive()) {
            return false;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the controller reports ready; fails with the end of its log when it exits or takes too long. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(controller.controllerName() + " exited during start-up; its log "
                        + log + " ends with:\n" + tail(log, 30));
            }
            if (isReady()) {
                return;
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(controller.controllerName() + " was not ready within " + timeout.toSeconds()
                + "s; its log " + log + " ends with:\n" + tail(log, 30));
    }

    /**
     * Stops the controller: SIGTERM, then SIGKILL once {@code grace} has passed (a JVM busy in a reconcile, or one
     * whose shutdown hooks wait on the API server, may not stop on SIGTERM alone).
     */
    public void stop(Duration grace) {
        if (handle != null) {
            ProcessTree.stop(handle, grace);
        }
    }

    /** SIGKILL at once, as the kernel's OOM killer or a lost node ends a pod: no shutdown hook runs. Waits for the exit. */
    public void kill() {
        if (handle != null) {
            handle.destroyForcibly();
            handle.onExit().join();
        }
    }

    /** Stops several controllers at once, sharing one grace period (see {@link #stop(Duration)}). */
    public static void stopAll(java.util.Collection<ControllerProcess> processes, Duration grace) {
        ProcessTree.stop(processes.stream().filter(p -> p.handle != null).map(p -> p.handle).toList(), grace);
    }

    /** The last lines of a log file, for error messages. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static boolean isController(ProcessHandle handle, Controller controller) {
        return handle.info().commandLine()
                .map(cmd -> cmd.contains("-Dcurrents.local.controller=" + controller.controllerName()))
                .orElse(false);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
