package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.install.Component;
import io.currents.cli.install.InstallManifests;
import io.currents.cli.install.Version;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.image.ContainerProcess;
import io.currents.testkit.image.PulledImage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A controller running from its pulled image ({@link ContainerProcess}) with what its Deployment in the install
 * manifests gives its container, plus what a pod has that a process on this machine lacks: a kubeconfig instead of a
 * service account token, and free loopback ports instead of a network namespace of its own.
 */
final class ImageController implements LocalController {

    /** Where the kubeconfig goes inside the container: the Deployments mount an emptyDir at /tmp. */
    static final String KUBECONFIG = "/tmp/kubeconfig";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final ContainerProcess container;
    private final int httpPort;
    private final int managementPort;

    private ImageController(String name, ContainerProcess container, int httpPort, int managementPort) {
        this.name = name;
        this.container = container;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** What a controller's Deployment gives its container: the image, the environment and the emptyDir mount paths. */
    record PodSpec(String image, Map<String, String> env, List<String> volumes) {

        /** The container of {@code controller}'s Deployment as {@code currents install -n namespace --registry registry} makes it. */
        @SuppressWarnings("unchecked")
        static PodSpec of(String controller, String namespace, String registry) {
            var options = new InstallManifests.Options(namespace, Component.resolve(List.of(Component.DEFAULTS.split(",")),
                    List.of("image-automation-controller")), registry, Version.tag(), false, false);
            Map<String, Object> deployment = InstallManifests.build(options).objects().stream()
                    .filter(o -> "Deployment".equals(o.get("kind")) && controller.equals(((Map<String, Object>) o.get("metadata")).get("name")))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no Deployment " + controller + " in the install"));
            Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment.get("spec"))
                    .get("template")).get("spec");
            Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
            Map<String, String> env = new LinkedHashMap<>();
            for (Map<String, Object> var : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
                String value;
                if (var.containsKey("value")) {
                    value = expand(String.valueOf(var.get("value")), env);
                } else if ("metadata.namespace".equals(fieldPath(var))) {
                    value = namespace;
                } else {
                    throw new IllegalStateException("env " + var.get("name") + " of " + controller + " comes from " + var.get("valueFrom")
                            + ", which this runner does not provide");
                }
                env.put(String.valueOf(var.get("name")), value);
            }
            List<String> volumes = new ArrayList<>();
            for (Map<String, Object> mount : (List<Map<String, Object>>) container.getOrDefault("volumeMounts", List.of())) {
                volumes.add(String.valueOf(mount.get("mountPath")));
            }
            return new PodSpec(String.valueOf(container.get("image")), env, volumes);
        }

        @SuppressWarnings("unchecked")
        private static String fieldPath(Map<String, Object> var) {
            Object from = var.get("valueFrom");
            Object ref = from instanceof Map<?, ?> m ? m.get("fieldRef") : null;
            return ref instanceof Map<?, ?> r ? String.valueOf(((Map<String, Object>) r).get("fieldPath")) : null;
        }

        /** Kubernetes' {@code $(VAR)} references to variables defined earlier in the list; others stay as written. */
        static String expand(String value, Map<String, String> defined) {
            Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(defined.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    /**
     * Starts {@code controller} from its image in {@code images}, as the Deployment installed in {@code namespace} would,
     * posting its events to {@code eventsAddress} (null: as the Deployment says) with {@code extraEnv} on top.
     */
    static ImageController start(ControllerImages images, String controller, String namespace, String eventsAddress,
                                 Map<String, String> extraEnv, Path workDir) {
        PodSpec pod = PodSpec.of(controller, namespace, images.registryPath());
        String expected = images.registryPath() + "/" + controller + ":" + ControllerImages.tag();
        if (!pod.image().equals(expected)) {
            throw new IllegalStateException("the Deployment pulls " + pod.image() + ", the build pushed " + expected);
        }
        PulledImage image = images.pull(controller);
        Path root = images.root(controller, image);
        int httpPort = controller.equals("notification-controller") ? freePortWithNext() : ControlPlane.freePort();
        int managementPort = ControlPlane.freePort();
        try {
            Files.createDirectories(workDir);
            Path kubeconfig = workDir.resolve(controller + ".kubeconfig");
            Files.deleteIfExists(kubeconfig);
            Files.createFile(kubeconfig, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(kubeconfig, ControlPlane.shared().selfContainedKubeconfig());
            Map<String, String> env = new LinkedHashMap<>(pod.env());
            env.put("KUBECONFIG", KUBECONFIG);
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
            env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            if (controller.equals("source-controller")) {
                // artifact URLs other controllers on this machine can reach, instead of the Service's name
                env.put("STORAGE_ADV_ADDR", "localhost:" + httpPort);
            }
            if (controller.equals("notification-controller")) {
                env.put("RECEIVERADDR", "127.0.0.1:" + ControllerProcess.receiverPort(httpPort));
            } else if (eventsAddress != null) {
                env.put("EVENTS_ADDR", eventsAddress);
            }
            env.putAll(extraEnv);
            Path log = workDir.resolve(controller + ".log");
            ContainerProcess container = ContainerProcess.start(new ContainerProcess.Spec(image, root, env, pod.volumes(),
                    Map.of(KUBECONFIG, kubeconfig), log));
            return new ImageController(controller, container, httpPort, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    ContainerProcess container() {
        return container;
    }

    @Override
    public boolean isReady() {
        if (!container.isAlive()) {
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

    @Override
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!container.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; its log " + container.log() + " ends with:\n"
                        + ControllerImages.tail(container.log(), 30));
            }
            if (isReady()) {
                return;
            }
            Eventually.sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + "s; its log " + container.log()
                + " ends with:\n" + ControllerImages.tail(container.log(), 30));
    }

    @Override
    public void stop(Duration grace) {
        container.close();
    }

    /** A free port whose successor is free too (notification-controller's events and receiver ports). */
    private static int freePortWithNext() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ControlPlane.freePort();
            try (ServerSocket next = new ServerSocket(port + 1, 0, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IllegalStateException("no two adjacent free ports on 127.0.0.1");
    }
}
