package io.currents.cli.install;

import io.currents.kustomize.Kustomizer;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kustomization under manifests/ and the one the CLI generates build with our kustomize engine to exactly
 * what {@code kubectl kustomize} prints, and the API server accepts the result.
 */
@Tag("cluster")
class ManifestsBuildTest {

    static final Path MANIFESTS = ControlPlane.projectRoot().resolve("manifests");

    @ParameterizedTest
    @ValueSource(strings = {"bases/source-controller", "bases/kustomize-controller", "bases/helm-controller",
            "bases/notification-controller", "bases/image-automation-controller", "bases/source-watcher", "bases/ui", "policies", "crds", "install",
            "lockdown"})
    void everyKustomizationBuildsLikeKubectl(String dir) throws Exception {
        String ours = Kustomizer.create().build(MANIFESTS.resolve(dir)).toYaml();
        assertThat(ours).contains("kind: ");
        assertThat(ours).isEqualTo(kubectlKustomize(MANIFESTS.resolve(dir)));
    }

    @Test
    void theGeneratedInstallBuildsLikeKubectlForEveryOption(@TempDir Path tmp) throws Exception {
        var plain = new InstallManifests.Options("currents-system", Component.resolve(List.of("source-controller", "kustomize-controller"), null),
                InstallManifests.DEFAULT_REGISTRY, "v1.2.3", true, false);
        var defaults = new InstallManifests.Options("currents-system", Component.resolve(List.of(Component.DEFAULTS.split(",")),
                List.of("image-automation-controller")), InstallManifests.DEFAULT_REGISTRY, "v1.2.3", true, false);
        var everything = new InstallManifests.Options("other-ns", Component.resolve(List.of("source-controller", "notification-controller"),
                List.of("kustomize-controller")), "registry.example.com:5000/mirror/", "v1.2.3", false, true);
        var watcher = new InstallManifests.Options("currents-system", Component.resolve(List.of(Component.DEFAULTS.split(",")),
                List.of("source-watcher")), InstallManifests.DEFAULT_REGISTRY, "v1.2.3", true, false);
        var sharded = new InstallManifests.Options("sharded-ns", Component.resolve(List.of(Component.DEFAULTS.split(",")),
                List.of("source-watcher")), InstallManifests.DEFAULT_REGISTRY, "v1.2.3", true, false, 2);
        var ui = new InstallManifests.Options("currents-system", Component.resolve(List.of(Component.DEFAULTS.split(",")),
                List.of("ui")), InstallManifests.DEFAULT_REGISTRY, "v1.2.3", true, true);
        var tuned = new InstallManifests.Options("tuned-ns", Component.resolve(List.of(Component.DEFAULTS.split(",")),
                List.of("source-watcher", "ui")), InstallManifests.DEFAULT_REGISTRY, "v1.2.3", true, false, 1,
                new InstallManifests.PodSettings("k8s.example", false, "debug", "regcred", List.of("a.example/dedicated", "b"), null));
        for (var options : List.of(plain, defaults, everything, watcher, sharded, ui, tuned)) {
            Path dir = Files.createDirectories(tmp.resolve(options.namespace()));
            InstallManifests.writeTo(dir, options);
            String ours = InstallManifests.build(options).toYaml();
            assertThat(ours).isEqualTo(kubectlKustomize(dir));
        }
        String local = InstallManifests.build(everything).toYaml();
        assertThat(local).contains("replicas: 0").doesNotContain("replicas: 1").doesNotContain("NetworkPolicy")
                .contains("image: registry.example.com:5000/mirror/source-controller:v1.2.3")
                .contains("namespace: other-ns");
        assertThat(eventsAddresses(local)).as("source and kustomize post events to notification-controller, which does not")
                .containsExactly("http://notification-controller.other-ns.svc.cluster.local./",
                        "http://notification-controller.other-ns.svc.cluster.local./");
        assertThat(eventsAddresses(InstallManifests.build(plain).toYaml())).as("no notification-controller, no events-addr").isEmpty();
        String withWatcher = InstallManifests.build(watcher).toYaml();
        assertThat(withWatcher).contains("name: artifactgenerators.source.extensions.fluxcd.io").contains("name: source-watcher")
                .contains("image: ghcr.io/currents-dev/source-watcher:v1.2.3");
        assertThat(env(withWatcher, "FEATURE_GATES")).as("kustomize- and helm-controller accept ExternalArtifacts")
                .containsExactly("ExternalArtifact=true", "ExternalArtifact=true");
        assertThat(env(InstallManifests.build(defaults).toYaml(), "FEATURE_GATES")).as("as flux: off without source-watcher").isEmpty();
    }

    private static List<String> env(String yaml, String name) {
        return ControlPlane.shared().client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items().stream()
                .filter(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
                .flatMap(o -> ((io.fabric8.kubernetes.api.model.apps.Deployment) o).getSpec().getTemplate().getSpec().getContainers().stream())
                .flatMap(c -> c.getEnv().stream())
                .filter(e -> name.equals(e.getName()))
                .map(io.fabric8.kubernetes.api.model.EnvVar::getValue)
                .toList();
    }

    private static List<String> eventsAddresses(String yaml) {
        return ControlPlane.shared().client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items().stream()
                .filter(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
                .flatMap(o -> ((io.fabric8.kubernetes.api.model.apps.Deployment) o).getSpec().getTemplate().getSpec().getContainers().stream())
                .flatMap(c -> c.getEnv().stream())
                .filter(e -> "EVENTS_ADDR".equals(e.getName()))
                .map(io.fabric8.kubernetes.api.model.EnvVar::getValue)
                .toList();
    }

    @Test
    void theApiServerAcceptsTheInstallKustomization() throws Exception {
        KubernetesClient client = ControlPlane.shared().client();
        // a server-side dry run needs the namespace to exist; everything else is only validated, not stored
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("currents-system").endMetadata().build())
                .serverSideApply();
        String yaml = Kustomizer.create().build(MANIFESTS.resolve("install")).toYaml();
        List<HasMetadata> objects = client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        assertThat(objects).hasSizeGreaterThan(20);
        var server = client.getKubernetesVersion();
        for (HasMetadata loaded : objects) {
            // as the CLI's installer does: CRDs lose their CEL rules on a server older than 1.25
            var object = io.currents.runtime.apply.Unstructured.copy(loaded);
            io.currents.runtime.apply.CrdCompatibility.adapt(object, server);
            HasMetadata accepted = client.resource(object).dryRun().fieldManager("test").forceConflicts().serverSideApply();
            assertThat(accepted.getMetadata().getName()).isEqualTo(object.getMetadata().getName());
        }
    }

    @Test
    void fromOtherNamespacesOnlyTheReceiverUiAndMetricsPortsAreOpen() throws Exception {
        // the events endpoint (9090) has no authentication: a pod elsewhere must not reach it to forge events;
        // the UI's pages (9080) authenticate every request and act only as the signed-in user
        List<HasMetadata> objects = ControlPlane.shared().client().load(new ByteArrayInputStream(
                Kustomizer.create().build(MANIFESTS.resolve("policies")).toYaml().getBytes(StandardCharsets.UTF_8))).items();
        java.util.Map<String, List<Integer>> openToAll = new java.util.TreeMap<>();
        for (HasMetadata o : objects) {
            var policy = (io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy) o;
            for (var rule : policy.getSpec().getIngress()) {
                boolean fromOtherNamespaces = rule.getFrom().stream().anyMatch(peer -> peer.getNamespaceSelector() != null);
                if (fromOtherNamespaces) {
                    assertThat(rule.getPorts()).as(policy.getMetadata().getName() + " opens every port to other namespaces").isNotEmpty();
                    openToAll.put(policy.getMetadata().getName(), rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList());
                }
            }
        }
        assertThat(openToAll).containsExactlyEntriesOf(new java.util.TreeMap<>(java.util.Map.of(
                "allow-scraping", List.of(8080), "allow-webhooks", List.of(9292), "allow-ui", List.of(9080))));
    }

    @Test
    void theLockdownOverlayIsAcceptedAndSetsFluxsLockdownFlagsOnTheControllersThatReadThem() throws Exception {
        KubernetesClient client = ControlPlane.shared().client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("currents-system").endMetadata().build())
                .serverSideApply();
        String yaml = Kustomizer.create().build(MANIFESTS.resolve("lockdown")).toYaml();
        List<HasMetadata> objects = client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        java.util.Map<String, java.util.Map<String, String>> flags = new java.util.TreeMap<>();
        var server = client.getKubernetesVersion();
        for (HasMetadata object : objects) {
            // as the CLI's installer does: CRDs lose their CEL rules on a server older than 1.25
            var applied = io.currents.runtime.apply.Unstructured.copy(object);
            io.currents.runtime.apply.CrdCompatibility.adapt(applied, server);
            client.resource(applied).dryRun().fieldManager("test").forceConflicts().serverSideApply();
            if (object instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
                java.util.Map<String, String> set = new java.util.TreeMap<>();
                for (var env : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
                    if (List.of("NO_CROSS_NAMESPACE_REFS", "NO_REMOTE_BASES", "DEFAULT_SERVICE_ACCOUNT").contains(env.getName())) {
                        set.put(env.getName(), env.getValue());
                        // the variable must name a property the controller actually reads (Quarkus: FOO_BAR -> foo-bar)
                        String property = env.getName().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                        assertThat(Files.readString(ControlPlane.projectRoot().resolve(d.getMetadata().getName()
                                + "/src/main/resources/application.properties"))).contains("\n" + property + "=");
                    }
                }
                flags.put(d.getMetadata().getName(), set);
            }
        }
        assertThat(flags).containsExactlyEntriesOf(new java.util.TreeMap<>(java.util.Map.of(
                "source-controller", java.util.Map.of(),
                "kustomize-controller", java.util.Map.of("NO_CROSS_NAMESPACE_REFS", "true", "NO_REMOTE_BASES", "true",
                        "DEFAULT_SERVICE_ACCOUNT", "default"),
                "helm-controller", java.util.Map.of("NO_CROSS_NAMESPACE_REFS", "true", "DEFAULT_SERVICE_ACCOUNT", "default"),
                "notification-controller", java.util.Map.of("NO_CROSS_NAMESPACE_REFS", "true"))));
        // the controllers keep the binding that lets them impersonate tenants' accounts with their groups
        assertThat(objects).anyMatch(o -> "ClusterRoleBinding".equals(o.getKind()) && yaml.contains("name: cluster-admin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"source-controller", "kustomize-controller", "helm-controller", "notification-controller",
            "image-automation-controller", "source-watcher", "ui"})
    void everyEmptyDirOfAControllerHasASizeLimit(String controller) throws Exception {
        // a tenant's repository, chart or artifact must not be able to fill the node's disk through a scratch volume
        List<HasMetadata> objects = ControlPlane.shared().client().load(new ByteArrayInputStream(
                Kustomizer.create().build(MANIFESTS.resolve("bases/" + controller)).toYaml().getBytes(StandardCharsets.UTF_8))).items();
        var deployment = (io.fabric8.kubernetes.api.model.apps.Deployment) objects.stream()
                .filter(o -> "Deployment".equals(o.getKind())).findFirst().orElseThrow();
        var volumes = deployment.getSpec().getTemplate().getSpec().getVolumes();
        assertThat(volumes).filteredOn(v -> v.getEmptyDir() != null).isNotEmpty()
                .allSatisfy(v -> assertThat(v.getEmptyDir().getSizeLimit()).as(v.getName() + " sizeLimit").isNotNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {"source-controller", "kustomize-controller", "helm-controller", "notification-controller",
            "image-automation-controller", "source-watcher", "ui"})
    void aControllerRunsWithTheJvmOptionsOfItsModule(String controller) throws Exception {
        // the same options are the default JAVA_TOOL_OPTIONS of the controller's image (ControllerImagesTest)
        String jvmOptions = String.join(" ", io.currents.cli.dev.ControllerProcess.readJvmOptions(
                ControlPlane.projectRoot().resolve(controller + "/jvm.options")));
        assertThat(jvmOptions).containsAnyOf("-Xmx", "-XX:MaxRAMPercentage");
        List<HasMetadata> objects = ControlPlane.shared().client().load(new ByteArrayInputStream(
                Kustomizer.create().build(MANIFESTS.resolve("bases/" + controller)).toYaml().getBytes(StandardCharsets.UTF_8))).items();
        var deployment = (io.fabric8.kubernetes.api.model.apps.Deployment) objects.stream()
                .filter(o -> "Deployment".equals(o.getKind())).findFirst().orElseThrow();
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnv()).filteredOn(e -> "JAVA_TOOL_OPTIONS".equals(e.getName()))
                .singleElement().extracting(io.fabric8.kubernetes.api.model.EnvVar::getValue).isEqualTo(jvmOptions);
        if (controller.equals("kustomize-controller")) {
            // the limit bench/kustomize-controller measured against
            assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"source-controller", "kustomize-controller", "helm-controller", "notification-controller",
            "image-automation-controller", "source-watcher", "ui"})
    void aControllerRunsWithTheContainerEnvironmentOfItsModule(String controller) throws Exception {
        // <module>/container.env: what `dev up` (ControllerProcess) and the image set, and the Deployment must set too
        Path file = ControlPlane.projectRoot().resolve(controller + "/container.env");
        java.util.Map<String, String> expected = java.nio.file.Files.isRegularFile(file)
                ? io.currents.cli.dev.ControllerProcess.readContainerEnv(file) : java.util.Map.of();
        List<HasMetadata> objects = ControlPlane.shared().client().load(new ByteArrayInputStream(
                Kustomizer.create().build(MANIFESTS.resolve("bases/" + controller)).toYaml().getBytes(StandardCharsets.UTF_8))).items();
        var deployment = (io.fabric8.kubernetes.api.model.apps.Deployment) objects.stream()
                .filter(o -> "Deployment".equals(o.getKind())).findFirst().orElseThrow();
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        java.util.Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        assertThat(env).containsAllEntriesOf(expected);
        if (controller.equals("helm-controller")) {
            // Helm's Go heap shares the container with the JVM: its limit is a fixed share of the container's
            assertThat(expected).containsKey("GOMEMLIMIT");
            assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("768Mi");
        } else {
            assertThat(env).doesNotContainKey("GOMEMLIMIT");
        }
    }

    /** {@code kubectl kustomize dir}; skips the comparison where kubectl is not installed, fails on CI (TestTools). */
    static String kubectlKustomize(Path dir) throws IOException, InterruptedException {
        String kubectl = io.currents.testkit.TestTools.require(io.currents.testkit.TestTools.Tool.KUBECTL).toString();
        Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
