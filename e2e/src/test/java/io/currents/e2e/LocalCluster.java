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
 * Git server over HTTP, and the default controllers (source, kustomize, helm, notification) configured as their
 * Deployments would configure them (the others post their events to notification-controller): as processes started by
 * the same launcher as {@code currents dev up}, or, with {@code CURRENTS_E2E_RUNTIME=image}, from their container images
 * built by the README's command, pulled from a registry and run from their unpacked layers ({@link ImageController}).
 * Each controller runs as its own ServiceAccount with the RBAC shipped in {@code manifests/bases} ({@link ShippedRbac}):
 * a permission the manifests lack fails the test that needs it. The tests and the CLI use the admin kubeconfig.
 */
final class LocalCluster {

    static final String NAMESPACE = "currents-system";
    /** {@code process} (the default) or {@code image}. */
    static final String RUNTIME = System.getenv().getOrDefault("CURRENTS_E2E_RUNTIME", "process");

    private static LocalCluster shared;

    private final ControlPlane plane;
    private final GitHttpServer git;
    private final Path gitRoot;
    private final List<LocalController> controllers;
    private Path workDir;

    private LocalCluster(ControlPlane plane, GitHttpServer git, Path gitRoot, List<LocalController> controllers) {
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
        ShippedRbac.apply(plane.client(), NAMESPACE);
        ShippedRbac.awaitAuthorized(plane.client(), NAMESPACE);
        try {
            Path work = Files.createDirectories(Path.of("target", "e2e").toAbsolutePath());
            Path gitRoot = Files.createTempDirectory(work, "git");
            GitHttpServer git = GitHttpServer.start(gitRoot);
            Path workDir = Files.createTempDirectory(work, "controllers");
            List<LocalController> controllers = RUNTIME.equals("image") ? fromImages(workDir) : processes(root, plane, workDir);
            LocalCluster cluster = new LocalCluster(plane, git, gitRoot, new ArrayList<>(controllers));
            cluster.workDir = workDir;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "e2e-stop"));
            for (LocalController controller : controllers) {
                controller.awaitReady(Duration.ofMinutes(2));
            }
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<LocalController> processes(Path root, ControlPlane plane, Path workDir) {
        ControllerProcess.Settings settings = ControllerProcess.Settings.of(root, plane.kubeconfigPath(), NAMESPACE, workDir);
        List<LocalController> controllers = new ArrayList<>();
        ControllerProcess notification = ControllerProcess.start(ControllerProcess.Controller.NOTIFICATION,
                settings.withEnvironment(ShippedRbac.actingAs(ControllerProcess.Controller.NOTIFICATION, NAMESPACE)));
        controllers.add(new ProcessController(notification));
        for (ControllerProcess.Controller c : ControllerProcess.Controller.DEFAULTS) {
            if (c != ControllerProcess.Controller.NOTIFICATION) {
                controllers.add(new ProcessController(ControllerProcess.start(c,
                        settings.withEvents(notification).withEnvironment(ShippedRbac.actingAs(c, NAMESPACE)))));
            }
        }
        return controllers;
    }

    private static List<LocalController> fromImages(Path workDir) {
        if (!io.currents.testkit.image.ContainerProcess.supported()) {
            throw new IllegalStateException("CURRENTS_E2E_RUNTIME=image runs the images in namespaces of their own, which needs root");
        }
        ControllerImages images = ControllerImages.shared();
        List<LocalController> controllers = new ArrayList<>();
        ImageController notification = ImageController.start(images, "notification-controller", NAMESPACE, null,
                ShippedRbac.actingAs(ControllerProcess.Controller.NOTIFICATION, NAMESPACE), workDir);
        controllers.add(notification);
        String events = "http://127.0.0.1:" + notification.httpPort() + "/";
        for (ControllerProcess.Controller c : ControllerProcess.Controller.DEFAULTS) {
            if (c != ControllerProcess.Controller.NOTIFICATION) {
                controllers.add(ImageController.start(images, c.controllerName(), NAMESPACE, events, ShippedRbac.actingAs(c, NAMESPACE),
                        workDir));
            }
        }
        return controllers;
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
        Duration grace = Duration.ofSeconds(10);
        List<ControllerProcess> processes = controllers.stream().filter(ProcessController.class::isInstance)
                .map(c -> ((ProcessController) c).process()).toList();
        // all at once, sharing one grace period, as pods of a deleted namespace go
        List<Thread> stopping = controllers.stream().filter(c -> !(c instanceof ProcessController))
                .map(c -> Thread.ofPlatform().start(() -> c.stop(grace))).toList();
        ControllerProcess.stopAll(processes, grace);
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs {@code work} with the shared controllers stopped, when they run: they watch every namespace, and a test that
     * runs a controller of its own (an image) must not have them reconcile its objects too (two helm-controllers
     * installing one release). They start again afterwards, with the same storage.
     */
    static void withSharedControllersStopped(Runnable work) {
        try (SharedControllers.Stopped stopped = stopSharedControllers()) {
            work.run();
        }
    }

    /** Stops the shared controllers, when they run, until the handle is closed; closing starts them again. */
    static SharedControllers.Stopped stopSharedControllers() {
        LocalCluster cluster;
        synchronized (LocalCluster.class) {
            cluster = shared;
        }
        if (cluster == null || cluster.controllers.isEmpty() || !cluster.controllersRunning()) {
            return () -> { };
        }
        cluster.stopControllers();
        return () -> {
            List<LocalController> restarted = RUNTIME.equals("image") ? fromImages(cluster.workDir)
                    : processes(ControlPlane.projectRoot(), cluster.plane, cluster.workDir);
            cluster.controllers.clear();
            cluster.controllers.addAll(restarted);
            for (LocalController controller : restarted) {
                controller.awaitReady(Duration.ofMinutes(2));
            }
        };
    }

    boolean controllersRunning() {
        return controllers.stream().allMatch(LocalController::isReady);
    }

    private void stop() {
        stopControllers();
        git.close();
    }
}
