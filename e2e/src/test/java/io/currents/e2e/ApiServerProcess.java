package io.currents.e2e;

import io.currents.testkit.LoopbackPorts;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A kube-apiserver process of the fault suite's own, a second API server on the shared control plane's etcd (as in a
 * highly available control plane): it serves the same data, with the same certificates, so the admin kubeconfig works
 * against it, and a test can stop the process and start it again on the same port while etcd keeps every object.
 *
 * <p>Its command line is the shared API server's own (read from the running process, which kube-api-test started as a
 * child of this JVM) with another {@code --secure-port}.
 */
final class ApiServerProcess implements AutoCloseable {

    private final List<String> command;
    private final int port;
    private final Path log;
    private final KubernetesClient probe;
    private Process process;
    /** How long after answering ready a start still counts as one (the authorizer's caches syncing). */
    static final Duration WARM_UP = Duration.ofSeconds(10);
    private final List<Instant[]> starts = new ArrayList<>();

    private ApiServerProcess(List<String> command, int port, Path log, String kubeconfig) {
        this.command = command;
        this.port = port;
        this.log = log;
        this.probe = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    /**
     * Starts a second API server beside the one listening on {@code sharedPort}; returns once it is ready.
     * {@code kubeconfig} turns a port into the admin kubeconfig for that port (to ask {@code /readyz}). It writes an
     * audit log ({@link #auditLog()}, metadata of every request, with the user it impersonated) next to {@code log}.
     */
    static ApiServerProcess beside(int sharedPort, java.util.function.IntFunction<String> kubeconfig, Path log) {
        ProcessHandle shared = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("kube-apiserver")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(String.valueOf(sharedPort))
                        || List.of(a).contains("--secure-port=" + sharedPort)).orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no kube-apiserver on port " + sharedPort + " among this JVM's processes"));
        List<String> command = new ArrayList<>();
        command.add(shared.info().command().orElseThrow());
        int port = LoopbackPorts.free();
        String[] args = shared.info().arguments().orElseThrow();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--secure-port") && i + 1 < args.length) {
                command.add(args[i]);
                command.add(String.valueOf(port));
                i++;
            } else if (args[i].startsWith("--secure-port=")) {
                command.add("--secure-port=" + port);
            } else {
                command.add(args[i]);
            }
        }
        Path policy = log.resolveSibling("audit-policy.yaml");
        try {
            java.nio.file.Files.writeString(policy, """
                    apiVersion: audit.k8s.io/v1
                    kind: Policy
                    omitStages: ["RequestReceived"]
                    rules:
                      - level: Metadata
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // this JVM's requests only: a log left by an earlier run would be read as this one's
            java.nio.file.Files.deleteIfExists(log.resolveSibling("audit.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        command.addAll(List.of("--audit-policy-file=" + policy, "--audit-log-path=" + log.resolveSibling("audit.log"),
                "--audit-log-maxsize=200", "--audit-log-maxbackup=1"));
        ApiServerProcess server = new ApiServerProcess(List.copyOf(command), port, log, kubeconfig.apply(port));
        server.start(Duration.ofMinutes(2));
        return server;
    }

    int port() {
        return port;
    }

    /** The audit log: one JSON event per line (the newest 200 MB). */
    Path auditLog() {
        return log.resolveSibling("audit.log");
    }

    /** An admin client of this API server (not through any proxy). */
    KubernetesClient client() {
        return probe;
    }

    long pid() {
        return process.pid();
    }

    /** Starts the process (again, on the same port) and waits until its {@code /readyz} answers ok. */
    synchronized void start(Duration timeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("kube-apiserver is running");
        }
        Instant begun = Instant.now();
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kube-apiserver exited with " + process.exitValue() + ", see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kube-apiserver on " + port + " not ready within " + timeout + ", see " + log);
            }
            Eventually.sleep(Duration.ofMillis(100));
        }
        starts.add(new Instant[] {begun, Instant.now().plus(WARM_UP)});
    }

    /**
     * Whether {@code at} falls in a start of this process: from the start until {@link #WARM_UP} after it answered
     * ready. A kube-apiserver serves as soon as it listens, and its RBAC authorizer forbids requests until its caches
     * have synced: a client that reconnects at once (every controller after an outage) meets a few 403s that no
     * permission would have prevented, as it would with a real control plane restarted.
     */
    synchronized boolean starting(Instant at) {
        return starts.stream().anyMatch(w -> !at.isBefore(w[0]) && !at.isAfter(w[1]));
    }

    /** Stops the process as its service manager would (SIGTERM, SIGKILL after 20s); returns when it is gone. */
    synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean ready() {
        try {
            return "ok".equals(probe.raw("/readyz"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
        probe.close();
    }
}
