package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.git.GitHttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every end-to-end test runs against, started once per test JVM: the shared control plane with the CRDs, a
 * Git server over HTTP, and the default controllers (source, kustomize, helm, notification) as processes started by
 * the same launcher as {@code currents dev up}, configured as their Deployments would configure them (the others post
 * their events to notification-controller).
 */
final class LocalCluster {

    static final String NAMESPACE = "currents-system";

    private static LocalCluster shared;

    private final ControlPlane plane;
    private final GitHttpServer git;
    private final Path gitRoot;
    private final List<ControllerProcess> controllers;

    private LocalCluster(ControlPlane plane, GitHttpServer git, Path gitRoot, List<ControllerProcess> controllers) {
        this.plane = plane;
        this.git = git;
        this.gitRoot = gitRoot;
        this.controllers = controllers;
    }

    static synchronized LocalCluster shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static LocalCluster start() {
        ControlPlane plane = ControlPlane.shared();
        Path root = ControlPlane.projectRoot();
        // the controllers watch their kinds from the start, so the kinds must exist before them (bootstrap applies
        // the same CRDs again, as part of the components)
        plane.applyCrds(root.resolve("manifests").resolve("crds"));
        try {
            Path work = Files.createDirectories(Path.of("target", "e2e").toAbsolutePath());
            Path gitRoot = Files.createTempDirectory(work, "git");
            GitHttpServer git = GitHttpServer.start(gitRoot);
            ControllerProcess.Settings settings = ControllerProcess.Settings.of(root, plane.kubeconfigPath(), NAMESPACE,
                    Files.createTempDirectory(work, "controllers"));
            List<ControllerProcess> controllers = new ArrayList<>();
            ControllerProcess notification = ControllerProcess.start(ControllerProcess.Controller.NOTIFICATION, settings);
            controllers.add(notification);
            for (ControllerProcess.Controller c : ControllerProcess.Controller.DEFAULTS) {
                if (c != ControllerProcess.Controller.NOTIFICATION) {
                    controllers.add(ControllerProcess.start(c, settings.withEvents(notification)));
                }
            }
            LocalCluster cluster = new LocalCluster(plane, git, gitRoot, controllers);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "e2e-stop"));
            for (ControllerProcess process : controllers) {
                process.awaitReady(Duration.ofMinutes(2));
            }
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KubernetesClient client() {
        return plane.client();
    }

    Path kubeconfig() {
        return plane.kubeconfigPath();
    }

    GitHttpServer git() {
        return git;
    }

    Path gitRoot() {
        return gitRoot;
    }

    /**
     * Stops the controller processes. In a cluster, deleting the controllers' Deployments stops them; here they run
     * outside the cluster, so a test that removes the Deployments stops the processes itself.
     */
    void stopControllers() {
        ControllerProcess.stopAll(controllers, Duration.ofSeconds(10));
    }

    boolean controllersRunning() {
        return controllers.stream().allMatch(ControllerProcess::isReady);
    }

    private void stop() {
        stopControllers();
        git.close();
    }
}
