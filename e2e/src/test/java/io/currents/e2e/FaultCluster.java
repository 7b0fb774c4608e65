package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.TcpProxy;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fault suite breaks, started once per test JVM (the {@code faults} tag runs in a JVM of its own, without
 * {@link LocalCluster}'s controllers): a kube-apiserver process of its own on the shared control plane's etcd
 * ({@link ApiServerProcess}), which a test can stop and start again, reached by the controllers through a
 * {@link TcpProxy} that a test can also cut or point at a {@link FaultyApiServer}; a Git server behind another proxy; and
 * the default controllers as processes, started by the same launcher as {@code currents dev up}, each of which a test
 * can SIGKILL and start again. The tests' own client talks to the shared API server, which stays up.
 *
 * <p>Each controller runs as its own ServiceAccount with the RBAC shipped in {@code manifests/bases} ({@link ShippedRbac}),
 * as {@link LocalCluster}'s do: a permission the manifests lack fails the scenario that needs it.
 *
 * <p>The controllers run with Flux's leader election timings (35s lease, 30s renew deadline, 5s retry), set
 * explicitly: a controller started again after a SIGKILL takes its lease back at once (its identity is stable), and the
 * kube-apiserver restart, which takes 15 to 45 seconds on a busy 2-core machine, must fit within the renew deadline.
 */
final class FaultCluster {

    static final String NAMESPACE = LocalCluster.NAMESPACE;
    static final Duration LEASE = Duration.ofSeconds(35);
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(30);
    /** The largest tree source-controller checks out (its {@code git-max-size} flag; Flux has no such limit). */
    static final String GIT_MAX_SIZE = "16Mi";
    /**
     * How long source-controller keeps an artifact no status names any more (its {@code artifact-retention-ttl}; Flux's
     * default is 60s): short, so that a scenario sees older artifacts collected while it runs.
     */
    static final Duration RETENTION_TTL = Duration.ofSeconds(10);
    /** The size of the file system of source-controller's artifact storage, when this machine lets the suite mount one. */
    static final String STORAGE_SIZE = "256m";
    static final Map<String, String> LEADER_ELECTION = Map.of(
            "LEADER_ELECTION_LEASE_DURATION", LEASE.toSeconds() + "s",
            "LEADER_ELECTION_RENEW_DEADLINE", RENEW_DEADLINE.toSeconds() + "s",
            "LEADER_ELECTION_RETRY_PERIOD", "5s");
    private static final Pattern SERVER = Pattern.compile("(server:\\s*\"?https://127\\.0\\.0\\.1:)(\\d+)");

    private static FaultCluster shared;
    private static RuntimeException failedStart;

    private final ControlPlane plane;
    private final TcpProxy api;
    private ApiServerProcess apiServer;
    private final Path kubeconfig;
    private String adminKubeconfig;
    private final GitHttpServer git;
    private final TcpProxy gitProxy;
    private final Path gitRoot;
    private final Path workDir;
    private final Map<Controller, ControllerProcess> controllers = new EnumMap<>(Controller.class);
    private ControllerProcess.Settings settings;
    private Path storage;

    private FaultCluster(ControlPlane plane, TcpProxy api, Path kubeconfig, GitHttpServer git, TcpProxy gitProxy, Path gitRoot,
                         Path workDir) {
        this.plane = plane;
        this.api = api;
        this.kubeconfig = kubeconfig;
        this.git = git;
        this.gitProxy = gitProxy;
        this.gitRoot = gitRoot;
        this.workDir = workDir;
    }

    static synchronized FaultCluster shared() {
        if (failedStart != null) {
            // a second start beside the first one's processes would make two sets of controllers compete for leases
            throw new IllegalStateException("the fault cluster failed to start for an earlier test class", failedStart);
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                failedStart = e;
                throw e;
            }
        }
        return shared;
    }

    private static FaultCluster start() {
        ControlPlane plane = ControlPlane.shared();
        Path root = ControlPlane.projectRoot();
        plane.applyCrds(root.resolve("manifests").resolve("crds"));
        try {
            Path work = Files.createDirectories(Path.of("target", "faults").toAbsolutePath());
            String admin = plane.kubeconfigYaml();
            Matcher server = SERVER.matcher(admin);
            if (!server.find()) {
                throw new IllegalStateException("the fault suite needs the local control plane (no 127.0.0.1 server in its kubeconfig)");
            }
            int sharedPort = Integer.parseInt(server.group(2));
            ApiServerProcess own = ApiServerProcess.beside(sharedPort, port -> server.replaceAll("$1" + port),
                    work.resolve("kube-apiserver.log"));
            TcpProxy api = TcpProxy.start(own.port());
            Path kubeconfig = Files.createTempFile(work, "kubeconfig-via-proxy", ".yaml");
            Files.writeString(kubeconfig, server.replaceAll("$1" + api.port()));
            Path gitRoot = Files.createTempDirectory(work, "git");
            GitHttpServer git = GitHttpServer.start(gitRoot);
            TcpProxy gitProxy = TcpProxy.start(URI.create(git.baseUrl()).getPort());
            Path workDir = Files.createTempDirectory(work, "controllers");
            FaultCluster cluster = new FaultCluster(plane, api, kubeconfig, git, gitProxy, gitRoot, workDir);
            cluster.apiServer = own;
            cluster.adminKubeconfig = admin;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "faults-stop"));
            cluster.startControllers();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The settings of one controller: it impersonates its own ServiceAccount (the admin credentials of the kubeconfig
     * only carry the impersonation), so a permission its shipped RBAC lacks fails the scenario that needs it.
     */
    private ControllerProcess.Settings settingsOf(Controller c) {
        return settings.withEnvironment(ShippedRbac.actingAs(c, NAMESPACE));
    }

    private void startControllers() {
        ShippedRbac.apply(plane.client(), NAMESPACE);
        ShippedRbac.awaitAuthorized(apiServer.client(), NAMESPACE);
        mountStorage(workDir.resolve("source-controller-storage"));
        ControllerProcess.Settings base = ControllerProcess.Settings.of(ControlPlane.projectRoot(), kubeconfig, NAMESPACE, workDir)
                .withEnvironment(LEADER_ELECTION)
                .withEnvironment(Map.of("GIT_MAX_SIZE", GIT_MAX_SIZE, "ARTIFACT_RETENTION_TTL", RETENTION_TTL.toSeconds() + "s"));
        settings = base;
        ControllerProcess notification = ControllerProcess.start(Controller.NOTIFICATION, settingsOf(Controller.NOTIFICATION));
        controllers.put(Controller.NOTIFICATION, notification);
        settings = base.withEvents(notification);
        for (Controller c : List.of(Controller.SOURCE, Controller.KUSTOMIZE, Controller.HELM)) {
            controllers.put(c, ControllerProcess.start(c, settingsOf(c)));
        }
        controllers.values().forEach(p -> p.awaitReady(Duration.ofMinutes(3)));
    }

    /**
     * A file system of {@value #STORAGE_SIZE} (tmpfs) for source-controller's storage, so that a test can fill it: only
     * root may mount one, and a container may forbid it even to root; then the storage stays on the disk.
     */
    private void mountStorage(Path dir) {
        try {
            Files.createDirectories(dir);
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + STORAGE_SIZE, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            String output = new String(mount.getInputStream().readAllBytes());
            if (mount.waitFor() == 0) {
                storage = dir;
            } else {
                System.out.println("[faults] no file system of its own for the artifact storage: " + output.strip());
            }
        } catch (IOException e) {
            System.out.println("[faults] no file system of its own for the artifact storage: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** source-controller's artifact storage directory when it is a file system of its own that a test may fill, else null. */
    Path storageFileSystem() {
        return storage;
    }

    /**
     * Writes {@code file} until the file system it is on is full (the artifact storage of {@link #storageFileSystem()},
     * for the scenarios that fill it); returns how many bytes it took. An existing file grows, so that calling it again
     * takes back the room something else freed. Deleting the file makes the room again.
     */
    static long fill(Path file) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).toLowerCase().contains("no space left")) {
                throw full;
            }
        }
        // a last few bytes: the file system may still hold less than a chunk
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < chunk.length; i++) {
                out.write(0);
                written++;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).toLowerCase().contains("no space left")) {
                throw full;
            }
        }
        return written;
    }

    /** An admin client straight to the API server (not through the proxy the controllers use). */
    KubernetesClient client() {
        return plane.client();
    }

    /** A fresh namespace for one scenario. */
    String namespace(String prefix) {
        return plane.createNamespace(prefix);
    }

    /** The proxy between the controllers and kube-apiserver. */
    TcpProxy apiServerProxy() {
        return api;
    }

    /** The kube-apiserver process the controllers talk to (through the proxy). */
    ApiServerProcess apiServer() {
        return apiServer;
    }

    /**
     * Sends the controllers' API requests through {@code faulty} (or straight to kube-apiserver again with {@code null}):
     * the proxy in front of the API server is retargeted and its connections closed, so every client reconnects.
     */
    void routeApiThrough(FaultyApiServer faulty) {
        api.retarget(faulty == null ? apiServer.port() : faulty.port());
        api.cut();
        api.restore();
    }

    /** A kubeconfig file of the controllers' credentials for the API server at {@code https://127.0.0.1:<port>}. */
    Path kubeconfigFor(int port) {
        try {
            Path file = Files.createTempFile(workDir, "kubeconfig-" + port + "-", ".yaml");
            Files.writeString(file, SERVER.matcher(adminKubeconfig).replaceAll("$1" + port));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A proxy in front of kube-apiserver that injects API errors and delays; the caller closes it. */
    FaultyApiServer faultyApiServer() {
        return FaultyApiServer.start(apiServer.port(), Path.of(System.getProperty("user.home"), ".kubeapitest"));
    }

    /** The proxy between the controllers and the Git server. */
    TcpProxy gitServer() {
        return gitProxy;
    }

    /** Every request the Git server received, as {@code "METHOD /path?query"} (the server's own record). */
    List<String> gitRequests() {
        return git.requests();
    }

    /** image-automation-controller, started on first use (the other fault scenarios do not need it). */
    synchronized ControllerProcess imageAutomation() {
        return controllers.computeIfAbsent(Controller.IMAGE_AUTOMATION, c -> {
            ControllerProcess process = ControllerProcess.start(c, settingsOf(c));
            process.awaitReady(Duration.ofMinutes(3));
            return process;
        });
    }

    TestRepo repo(String name) {
        return TestRepo.create(gitRoot, name);
    }

    /** The repository's URL through the Git server's proxy. */
    String url(TestRepo repo) {
        return git.url(repo).replace(":" + URI.create(git.baseUrl()).getPort() + "/", ":" + gitProxy.port() + "/");
    }

    ControllerProcess controller(Controller c) {
        return controllers.get(c);
    }

    /** SIGKILL, as the OOM killer or a lost node ends a pod; returns when the process is gone. */
    void kill(Controller c) {
        controllers.get(c).kill();
    }

    /**
     * Starts the controller again with the same settings and storage (a container restarted in its pod).
     * notification-controller keeps its events and receiver ports, which the other controllers post to (its Service).
     */
    ControllerProcess restart(Controller c) {
        ControllerProcess process;
        if (c == Controller.NOTIFICATION) {
            int events = controllers.get(c).httpPort();
            ControllerProcess started = ControllerProcess.start(c, settingsOf(c).withEnvironment(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(events),
                    "RECEIVERADDR", "127.0.0.1:" + ControllerProcess.receiverPort(events))));
            process = ControllerProcess.attach(c, started.pid(), events, started.managementPort(), started.log());
        } else {
            process = ControllerProcess.start(c, settingsOf(c));
        }
        controllers.put(c, process);
        process.awaitReady(Duration.ofMinutes(3));
        return process;
    }

    /** Another replica of a controller, with a directory of its own; the caller stops it. */
    ControllerProcess replica(Controller c, String name, Map<String, String> environment) {
        try {
            Path dir = Files.createDirectories(workDir.resolve(name));
            return ControllerProcess.start(c, settingsOf(c).withWorkDir(dir).withEnvironment(environment));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        ControllerProcess.stopAll(controllers.values(), Duration.ofSeconds(5));
        gitProxy.close();
        git.close();
        api.close();
        apiServer.close();
        if (storage != null) {
            try {
                new ProcessBuilder("umount", "-l", storage.toString()).inheritIO().start().waitFor();
            } catch (IOException e) {
                System.out.println("[faults] cannot unmount " + storage + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
