package io.currents.testkit;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The Kubernetes control plane the tests run against: by default etcd + kube-apiserver +
 * kube-controller-manager started once per JVM, or an existing cluster from {@code KUBECONFIG}
 * when {@code CURRENTS_TEST_CLUSTER=existing} (or {@code -Dcurrents.test.cluster=existing}).
 */
public final class ControlPlane {

    public static final String K8S_VERSION = "1.20.2";

    private static volatile ControlPlane shared;
    private static final AtomicInteger NAMESPACE_COUNTER = new AtomicInteger();

    private final Path kubeconfig;
    private final KubernetesClient client;
    private final KubeAPIServer apiServer;
    private final Process controllerManager;

    private ControlPlane(Path kubeconfig, KubeAPIServer apiServer, Process controllerManager) {
        this.kubeconfig = kubeconfig;
        this.apiServer = apiServer;
        this.controllerManager = controllerManager;
        this.client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(null, read(kubeconfig), kubeconfig.toString()))
                .build();
    }

    /** The control plane shared by every test in this JVM, started on first use. */
    public static ControlPlane shared() {
        // the property, not UnitTests.active(): loading UnitTests needs the JUnit launcher, which `currents dev up`
        // (this class outside a test run) does not have; both names are compile-time constants, inlined here
        if ("unit".equals(System.getProperty(UnitTests.PROPERTY))) {
            throw new IllegalStateException("this test needs the control plane, which the unit test loop (-Punit) does not start:"
                    + " annotate its class @Tag(\"" + UnitTests.CLUSTER_TAG + "\")");
        }
        if (shared == null) {
            synchronized (ControlPlane.class) {
                if (shared == null) {
                    shared = useExistingCluster() ? existing() : startLocal();
                    Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "control-plane-stop"));
                }
            }
        }
        return shared;
    }

    static boolean useExistingCluster() {
        String mode = System.getProperty("currents.test.cluster", System.getenv("CURRENTS_TEST_CLUSTER"));
        return mode != null && mode.toLowerCase(Locale.ROOT).equals("existing");
    }

    private static ControlPlane existing() {
        String env = System.getenv("KUBECONFIG");
        Path path = env != null && !env.isBlank()
                ? Paths.get(env.split(java.io.File.pathSeparator)[0])
                : Paths.get(System.getProperty("user.home"), ".kube", "config");
        return new ControlPlane(path, null, null);
    }

    private static ControlPlane startLocal() {
        Path home = Paths.get(System.getProperty("user.home"), ".kubeapitest");
        Path binaries = home.resolve("k8s").resolve(K8S_VERSION + "-linux-amd64");
        if (!Files.isExecutable(binaries.resolve("kube-apiserver"))) {
            throw new IllegalStateException("No kube-apiserver in " + binaries
                    + ": run hack/install-test-deps.sh once to build and link the control plane binaries");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("currents-control-plane");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // tokens of fake clouds (EKS, GKE, AKS) are accepted through the webhook the tests' fake clouds answer
        TokenWebhook webhook = TokenWebhook.start(dir);
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(home.toString())
                .withApiServerVersion(K8S_VERSION)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .withApiServerFlag("--authentication-token-webhook-config-file", webhook.config().toString())
                .withApiServerFlag("--authentication-token-webhook-cache-ttl", "1s")
                .build());
        server.start();
        try {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, server.getKubeConfigYaml());
            Process kcm = startControllerManager(binaries, home, kubeconfig, dir);
            ControlPlane plane = new ControlPlane(kubeconfig, server, kcm);
            plane.awaitControllerManager();
            return plane;
        } catch (IOException e) {
            server.stop();
            throw new UncheckedIOException(e);
        }
    }

    private static Process startControllerManager(Path binaries, Path home, Path kubeconfig, Path dir) throws IOException {
        Path kcm = binaries.resolve("kube-controller-manager");
        if (!Files.isExecutable(kcm)) {
            throw new IllegalStateException("No kube-controller-manager in " + binaries
                    + ": run hack/install-test-deps.sh");
        }
        Path signingKey;
        try (Stream<Path> files = Files.walk(home, 3)) {
            signingKey = files.filter(p -> p.getFileName().toString().equals("apiserver.key"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("apiserver.key not found under " + home));
        }
        List<String> cmd = new ArrayList<>(List.of(kcm.toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--service-account-private-key-file=" + signingKey,
                "--use-service-account-credentials=false",
                "--leader-elect=false",
                "--port=0",
                "--secure-port=" + freePort(),
                "--bind-address=127.0.0.1",
                "--controllers=*,-serviceaccount-token,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-route,-service",
                "-v=1"));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("kube-controller-manager.log").toFile())
                .start();
    }

    private void awaitControllerManager() {
        // The namespace controller creates no object we can poll cheaply; a ReplicaSet created for a
        // Deployment proves the deployment controller is running.
        String ns = "kcm-probe";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .serverSideApply();
        var deploy = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("probe").withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(0)
                .withNewSelector().addToMatchLabels("app", "probe").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "probe").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .endTemplate().endSpec().build();
        client.apps().deployments().resource(deploy).serverSideApply();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!controllerManager.isAlive()) {
                throw new IllegalStateException("kube-controller-manager exited with " + controllerManager.exitValue());
            }
            var d = client.apps().deployments().inNamespace(ns).withName("probe").get();
            if (d != null && d.getStatus() != null && d.getStatus().getConditions() != null
                    && d.getStatus().getConditions().stream().anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()))) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("kube-controller-manager did not make a Deployment available within 60s");
    }

    /** Path of a kubeconfig file with cluster-admin rights on this control plane. */
    public Path kubeconfigPath() {
        return kubeconfig;
    }

    /** The kubeconfig as YAML text. */
    public String kubeconfigYaml() {
        return read(kubeconfig);
    }

    /**
     * The kubeconfig with its certificate and key files inlined ({@code *-data}): for a process that cannot read this
     * machine's files, such as a controller running from its image in a root of its own.
     */
    @SuppressWarnings("unchecked")
    public String selfContainedKubeconfig() {
        var settings = org.snakeyaml.engine.v2.api.LoadSettings.builder().build();
        Map<String, Object> config = (Map<String, Object>) new org.snakeyaml.engine.v2.api.Load(settings).loadFromString(kubeconfigYaml());
        for (Object cluster : (List<Object>) config.getOrDefault("clusters", List.of())) {
            inline((Map<String, Object>) ((Map<String, Object>) cluster).get("cluster"), "certificate-authority");
        }
        for (Object user : (List<Object>) config.getOrDefault("users", List.of())) {
            Map<String, Object> u = (Map<String, Object>) ((Map<String, Object>) user).get("user");
            inline(u, "client-certificate");
            inline(u, "client-key");
        }
        return new org.snakeyaml.engine.v2.api.Dump(org.snakeyaml.engine.v2.api.DumpSettings.builder().build()).dumpToString(config);
    }

    private static void inline(Map<String, Object> section, String key) {
        Object file = section == null ? null : section.remove(key);
        if (file != null) {
            try {
                section.put(key + "-data", Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file.toString()))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A cluster-admin client; do not close it. */
    public KubernetesClient client() {
        return client;
    }

    /** Creates a fresh namespace with the given prefix and returns its name. */
    public String createNamespace(String prefix) {
        String name = (prefix + "-" + NAMESPACE_COUNTER.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36))
                .toLowerCase(Locale.ROOT);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    /**
     * Applies every CRD YAML file of a directory (server-side) and waits until each is established. On a
     * server older than 1.25 the CEL rules ({@code x-kubernetes-validations}) are left out, as the CLI's
     * install does (runtime's {@code CrdCompatibility}, which this module cannot depend on): such a server
     * refuses them.
     */
    public void applyCrds(Path dir) {
        boolean rules = supportsValidationRules();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (HasMetadata obj : client.load(in).items()) {
                        if (!rules && obj instanceof CustomResourceDefinition crd) {
                            withoutValidationRules(crd);
                        }
                        client.resource(obj).forceConflicts().serverSideApply();
                        client.apiextensions().v1().customResourceDefinitions().withName(obj.getMetadata().getName())
                                .waitUntilCondition(crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                                        && crd.getStatus().getConditions().stream()
                                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())), 30, TimeUnit.SECONDS);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the API server enforces CRD CEL rules: Kubernetes 1.25 and later. */
    public boolean supportsValidationRules() {
        VersionInfo version = client.getKubernetesVersion();
        int major = Integer.parseInt(version.getMajor().replaceAll("\\D.*", ""));
        int minor = Integer.parseInt(version.getMinor().replaceAll("\\D.*", ""));
        return major > 1 || minor >= 25;
    }

    private static void withoutValidationRules(CustomResourceDefinition crd) {
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            if (version.getSchema() != null) {
                withoutValidationRules(version.getSchema().getOpenAPIV3Schema());
            }
        }
    }

    private static void withoutValidationRules(JSONSchemaProps schema) {
        if (schema == null) {
            return;
        }
        schema.setXKubernetesValidations(null);
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(ControlPlane::withoutValidationRules);
        }
        if (schema.getItems() != null) {
            withoutValidationRules(schema.getItems().getSchema());
        }
        if (schema.getAdditionalProperties() != null) {
            withoutValidationRules(schema.getAdditionalProperties().getSchema());
        }
    }

    /** Root of the project checkout (for manifests/ and examples/), found by walking up from the working directory. */
    public static Path projectRoot() {
        String prop = System.getProperty("currents.project.root");
        if (prop != null && Files.isDirectory(Paths.get(prop, "manifests"))) {
            return Paths.get(prop);
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("manifests")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("project root (with manifests/) not found above " + Paths.get("").toAbsolutePath());
    }

    void stop() {
        if (controllerManager != null) {
            controllerManager.destroy();
            try {
                if (!controllerManager.waitFor(10, TimeUnit.SECONDS)) {
                    controllerManager.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (apiServer != null) {
            apiServer.stop();
        }
    }

    /** A free TCP port on the loopback interface ({@link LoopbackPorts#free()}). */
    public static int freePort() {
        return LoopbackPorts.free();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
