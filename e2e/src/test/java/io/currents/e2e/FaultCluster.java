package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.TcpProxy;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
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
 * {@link LocalCluster}'s controllers): the shared control plane, reached by the controllers through a {@link TcpProxy}
 * that a test can cut as if kube-apiserver stopped; a Git server behind another proxy; and the default controllers as
 * processes, started by the same launcher as {@code currents dev up}, each of which a test can SIGKILL and start again.
 *
 * <p>The controllers run with shorter leader election timings than Flux's defaults (35s lease, 30s renew deadline):
 * a lease of 20s, renewed for 15s, retried every 2s, so that a controller started again after a SIGKILL (which leaves
 * its lease held) takes over within seconds instead of half a minute. The API server outage lasts less than the renew
 * deadline, as Flux's 30s would also outlast it.
 */
final class FaultCluster {

    static final String NAMESPACE = LocalCluster.NAMESPACE;
    static final Duration LEASE = Duration.ofSeconds(20);
    static final Map<String, String> LEADER_ELECTION = Map.of(
            "LEADER_ELECTION_LEASE_DURATION", LEASE.toSeconds() + "s",
            "LEADER_ELECTION_RENEW_DEADLINE", "15s",
            "LEADER_ELECTION_RETRY_PERIOD", "2s");
    private static final Pattern SERVER = Pattern.compile("(server:\\s*\"?https://127\\.0\\.0\\.1:)(\\d+)");

    private static FaultCluster shared;

    private final ControlPlane plane;
    private final TcpProxy api;
    private int apiServerPort;
    private final Path kubeconfig;
    private final GitHttpServer git;
    private final TcpProxy gitProxy;
    private final Path gitRoot;
    private final Path workDir;
    private final Map<Controller, ControllerProcess> controllers = new EnumMap<>(Controller.class);
    private ControllerProcess.Settings settings;

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
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static FaultCluster start() {
        ControlPlane plane = ControlPlane.shared();
        Path root = ControlPlane.projectRoot();
        plane.applyCrds(root.resolve("manifests").resolve("crds"));
        plane.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .serverSideApply();
        try {
            Path work = Files.createDirectories(Path.of("target", "faults").toAbsolutePath());
            String admin = plane.kubeconfigYaml();
            Matcher server = SERVER.matcher(admin);
            if (!server.find()) {
                throw new IllegalStateException("the fault suite needs the local control plane (no 127.0.0.1 server in its kubeconfig)");
            }
            int apiServerPort = Integer.parseInt(server.group(2));
            TcpProxy api = TcpProxy.start(apiServerPort);
            Path kubeconfig = Files.createTempFile(work, "kubeconfig-via-proxy", ".yaml");
            Files.writeString(kubeconfig, server.replaceAll("$1" + api.port()));
            Path gitRoot = Files.createTempDirectory(work, "git");
            GitHttpServer git = GitHttpServer.start(gitRoot);
            TcpProxy gitProxy = TcpProxy.start(URI.create(git.baseUrl()).getPort());
            Path workDir = Files.createTempDirectory(work, "controllers");
            FaultCluster cluster = new FaultCluster(plane, api, kubeconfig, git, gitProxy, gitRoot, workDir);
            cluster.apiServerPort = apiServerPort;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "faults-stop"));
            cluster.startControllers();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startControllers() {
        ControllerProcess.Settings base = ControllerProcess.Settings.of(ControlPlane.projectRoot(), kubeconfig, NAMESPACE, workDir)
                .withEnvironment(LEADER_ELECTION);
        ControllerProcess notification = ControllerProcess.start(Controller.NOTIFICATION, base);
        controllers.put(Controller.NOTIFICATION, notification);
        settings = base.withEvents(notification);
        for (Controller c : List.of(Controller.SOURCE, Controller.KUSTOMIZE, Controller.HELM)) {
            controllers.put(c, ControllerProcess.start(c, settings));
        }
        controllers.values().forEach(p -> p.awaitReady(Duration.ofMinutes(3)));
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
    TcpProxy apiServer() {
        return api;
    }

    /**
     * Sends the controllers' API requests through {@code faulty} (or straight to kube-apiserver again with {@code null}):
     * the proxy in front of the API server is retargeted and its connections closed, so every client reconnects.
     */
    void routeApiThrough(FaultyApiServer faulty) {
        api.retarget(faulty == null ? apiServerPort : faulty.port());
        api.cut();
        api.restore();
    }

    /** A proxy in front of kube-apiserver that injects API errors and delays; the caller closes it. */
    FaultyApiServer faultyApiServer() {
        return FaultyApiServer.start(apiServerPort, Path.of(System.getProperty("user.home"), ".kubeapitest"));
    }

    /** The proxy between the controllers and the Git server. */
    TcpProxy gitServer() {
        return gitProxy;
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

    /** Starts the controller again with the same settings and storage (a container restarted in its pod). */
    ControllerProcess restart(Controller c) {
        if (c == Controller.NOTIFICATION) {
            // the others post their events to its port, which a new process would not have
            throw new IllegalArgumentException("notification-controller is not restarted by the fault suite");
        }
        ControllerProcess process = ControllerProcess.start(c, settings);
        controllers.put(c, process);
        process.awaitReady(Duration.ofMinutes(3));
        return process;
    }

    /** Another replica of a controller, with a directory of its own; the caller stops it. */
    ControllerProcess replica(Controller c, String name, Map<String, String> environment) {
        try {
            Path dir = Files.createDirectories(workDir.resolve(name));
            return ControllerProcess.start(c, settings.withWorkDir(dir).withEnvironment(environment));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        ControllerProcess.stopAll(controllers.values(), Duration.ofSeconds(5));
        gitProxy.close();
        git.close();
        api.close();
    }
}
