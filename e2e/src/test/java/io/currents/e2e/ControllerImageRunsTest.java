package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.artifact.ArtifactServer;
import io.currents.testkit.artifact.PublishedArtifact;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.artifact.TestSources;
import io.currents.testkit.image.ContainerProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A controller's image, pulled back from the registry and unpacked layer by layer, starts with its configured
 * entrypoint and the environment its Deployment gives it, as the image's non-root user on a read-only root with
 * emptyDir-like volumes, reports ready against the local control plane, and does its job. helm-controller is the one
 * run: the largest image, and the one whose native library (Helm, unpacked to /tmp on the first release) needs the
 * base's shared libraries.
 */
@Tag("cluster")
class ControllerImageRunsTest {

    static final String CONTROLLER = "helm-controller";

    @Test
    void helmControllersImageRunsFromItsLayersAsNobodyOnAReadOnlyRootUntilReady() throws Exception {
        assumeTrue(ContainerProcess.supported(), "running an image from its layers needs root (mount and PID namespaces), as CI has");
        // the other tests' controllers watch every namespace: with them running, their source-controller would
        // reconcile this test's HelmChart and their helm-controller this HelmRelease
        Exception[] failure = new Exception[1];
        LocalCluster.withSharedControllersStopped(() -> {
            try {
                runsTheImage();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private void runsTheImage() throws Exception {
        ControllerImages images = ControllerImages.shared();
        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        String namespace = plane.createNamespace("image-run");
        Path work = Files.createDirectories(Path.of("target", "images", "run").toAbsolutePath());

        // confined to its own namespace, so that it leaves the other tests' HelmReleases to their controller
        ImageController controller = ImageController.start(images, CONTROLLER, namespace, null,
                Map.of("QUARKUS_OPERATOR_SDK_NAMESPACES", namespace), work);
        try {
            controller.awaitReady(Duration.ofMinutes(3));
            ContainerProcess container = controller.container();
            long pid = container.entrypointProcess().orElseThrow().pid();

            assertThat(container.status("Uid")).as("real, effective, saved and file-system uid").hasValue("65534\t65534\t65534\t65534");
            assertThat(container.status("Gid")).hasValue("65534\t65534\t65534\t65534");
            assertThat(container.status("Groups")).as("no supplementary group of root's").hasValue("");
            assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"))
                    .containsExactly("java", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "quarkus-run.jar");
            assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).toString()).endsWith("/" + CONTROLLER + "/app");

            // mount point and options of each mount the process sees, from inside its root
            List<String[]> mounts = Files.readAllLines(Path.of("/proc", Long.toString(pid), "mounts")).stream()
                    .map(line -> line.split(" ")).toList();
            assertThat(mounts.stream().filter(m -> m[1].equals("/")).map(m -> Arrays.asList(m[3].split(","))).toList())
                    .as("the root is read-only").isNotEmpty().allSatisfy(options -> assertThat(options).contains("ro"));
            assertThat(mounts.stream().filter(m -> m[1].equals("/tmp")).map(m -> Arrays.asList(m[3].split(","))).toList())
                    .as("/tmp is a writable volume, as the Deployment's emptyDir").singleElement()
                    .satisfies(options -> assertThat(options).contains("rw"));

            String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
            String jvmOptions = String.join(" ", ControllerProcess.readJvmOptions(ControlPlane.projectRoot().resolve(CONTROLLER + "/jvm.options")));
            assertThat(Arrays.asList(environ.split("\0"))).contains("JAVA_TOOL_OPTIONS=" + jvmOptions, "RUNTIME_NAMESPACE=" + namespace);
            assertThat(Files.readString(container.log())).contains("Picked up JAVA_TOOL_OPTIONS: " + jvmOptions);

            // a release: Helm (a Go library in helm-java) unpacks into /tmp, loads with the base's libraries and installs
            installsAChart(plane, namespace);
        } finally {
            controller.stop(Duration.ofSeconds(10));
        }
        assertThat(controller.container().isAlive()).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static boolean ready(io.fabric8.kubernetes.api.model.GenericKubernetesResource release) {
        Object status = release.getAdditionalProperties().get("status");
        Object found = status instanceof Map<?, ?> m ? m.get("conditions") : null;
        List<Map<String, Object>> conditions = found instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
        return conditions.stream().anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    }

    private static void installsAChart(ControlPlane plane, String namespace) {
        try (ArtifactServer artifacts = ArtifactServer.start()) {
            PublishedArtifact chart = artifacts.publishBytes("helmchart/" + namespace + "/hello/chart.tgz",
                    "0.1.0", Tarball.of(Map.of(
                            "hello/Chart.yaml", "apiVersion: v2\nname: hello\nversion: 0.1.0\n",
                            "hello/values.yaml", "greeting: hello from the image\n",
                            "hello/templates/configmap.yaml", """
                                    apiVersion: v1
                                    kind: ConfigMap
                                    metadata:
                                      name: {{ .Release.Name }}-config
                                    data:
                                      greeting: {{ .Values.greeting | quote }}
                                    """)));
            // a HelmChart, as source-controller would publish it (helm-controller trusts no OCIRepository status yet)
            new TestSources(plane.client()).helmChart(namespace, "hello", chart);
            plane.client().resource("""
                    apiVersion: helm.toolkit.fluxcd.io/v2
                    kind: HelmRelease
                    metadata:
                      name: hello
                      namespace: %s
                    spec:
                      interval: 10m
                      chartRef:
                        kind: HelmChart
                        name: hello
                    """.formatted(namespace)).create();
            var releases = plane.client().genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease").inNamespace(namespace);
            Eventually.await("HelmRelease hello Ready", Duration.ofMinutes(2),
                    () -> ready(releases.withName("hello").get()),
                    () -> String.valueOf((Object) releases.withName("hello").get().get("status")));
            assertThat(plane.client().configMaps().inNamespace(namespace).withName("hello-config").get().getData())
                    .containsEntry("greeting", "hello from the image");
        }
    }
}
