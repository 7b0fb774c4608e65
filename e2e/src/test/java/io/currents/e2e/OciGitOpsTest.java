package io.currents.e2e;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.meta.Artifact;
import io.currents.api.source.v1.OCIRepository;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciReference;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.git.TestRepo;
import io.currents.testkit.registry.OciRegistry;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.currents.e2e.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A repository laid out like fluxcd/flux2-kustomize-helm-example, with its charts and app manifests in an OCI registry:
 * an infrastructure Kustomization holds OCIRepositories and a HelmRelease with {@code chartRef}, an apps Kustomization
 * depends on it and applies an artifact pushed with {@code currents push artifact}. Everything reconciles to Ready on
 * the local control plane with the controllers as processes; a chart version pushed later upgrades the release; a
 * registry that goes down leaves the release and the last artifact in place, and it recovers when the registry returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("cluster")
@Order(1)
class OciGitOpsTest {

    static final String NS = "oci-e2e";
    static final Duration CONVERGE = Duration.ofSeconds(90);

    LocalCluster cluster;
    KubernetesClient kube;
    Cli cli;
    OciRegistry registry;
    OciClient pusher;
    TestRepo repo;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.shared();
        kube = cluster.client();
        cli = new Cli(cluster.kubeconfig());
        registry = OciRegistry.start();
        pusher = OciClient.builder().plainHttp(true).build();
        // the controllers' leader election Leases live in their namespace, which bootstrap would create
        for (String ns : List.of(LocalCluster.NAMESPACE, NS)) {
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).createOr(r -> r.update());
        }

        pushChart("1.0.0", "one");
        Path apps = Files.createTempDirectory(Path.of("target"), "oci-apps");
        Files.writeString(apps.resolve("configmap.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: podinfo-settings
                  namespace: %s
                data:
                  color: blue
                """.formatted(NS));
        // the artifact commands talk to the registry only: no --kubeconfig, as Cli#run would add
        java.io.StringWriter err = new java.io.StringWriter();
        int pushed = io.currents.cli.Currents.commandLine().setErr(new java.io.PrintWriter(err, true))
                .execute("push", "artifact", "oci://" + registry.host() + "/apps:latest", "--path=" + apps,
                        "--source=https://github.com/example/fleet", "--revision=main@sha1:0123456789", "--insecure-registry");
        assertThat(pushed).as(err.toString()).isZero();

        repo = TestRepo.create(cluster.gitRoot(), "oci-fleet");
        String host = registry.host();
        repo.change("main")
                .file("clusters/e2e/infrastructure.yaml", """
                        apiVersion: kustomize.toolkit.fluxcd.io/v1
                        kind: Kustomization
                        metadata:
                          name: infra-controllers
                          namespace: %1$s
                        spec:
                          interval: 10s
                          sourceRef:
                            kind: GitRepository
                            name: fleet
                          path: ./infrastructure/controllers
                          prune: true
                        """.formatted(NS))
                .file("clusters/e2e/apps.yaml", """
                        apiVersion: kustomize.toolkit.fluxcd.io/v1
                        kind: Kustomization
                        metadata:
                          name: apps
                          namespace: %1$s
                        spec:
                          interval: 10s
                          dependsOn:
                            - name: infra-controllers
                          sourceRef:
                            kind: OCIRepository
                            name: apps
                          path: ./
                          prune: true
                        """.formatted(NS))
                .file("infrastructure/controllers/demo.yaml", """
                        apiVersion: source.toolkit.fluxcd.io/v1
                        kind: OCIRepository
                        metadata:
                          name: demo-chart
                          namespace: %1$s
                        spec:
                          interval: 10s
                          timeout: 5s
                          insecure: true
                          url: oci://%2$s/charts/demo
                          ref:
                            semver: ">=1.0.0"
                          layerSelector:
                            mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
                            operation: copy
                        ---
                        apiVersion: helm.toolkit.fluxcd.io/v2
                        kind: HelmRelease
                        metadata:
                          name: demo
                          namespace: %1$s
                        spec:
                          interval: 10s
                          chartRef:
                            kind: OCIRepository
                            name: demo-chart
                        ---
                        apiVersion: source.toolkit.fluxcd.io/v1
                        kind: OCIRepository
                        metadata:
                          name: apps
                          namespace: %1$s
                        spec:
                          interval: 10s
                          timeout: 5s
                          insecure: true
                          url: oci://%2$s/apps
                          ref:
                            tag: latest
                        """.formatted(NS, host))
                .commit("Infrastructure and apps from OCI");
        kube.resource(kube.getKubernetesSerialization().unmarshal("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: fleet
                  namespace: %s
                spec:
                  interval: 10s
                  url: %s
                  ref:
                    branch: main
                """.formatted(NS, cluster.git().url(repo)), io.currents.api.source.v1.GitRepository.class)).createOr(r -> r.update());
        kube.resource(kube.getKubernetesSerialization().unmarshal("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: cluster
                  namespace: %s
                spec:
                  interval: 10s
                  sourceRef:
                    kind: GitRepository
                    name: fleet
                  path: ./clusters/e2e
                  prune: true
                """.formatted(NS), Kustomization.class)).createOr(r -> r.update());
    }

    @AfterAll
    void stop() {
        // removed while the controllers run, so that their finalizers go (the lifecycle story uninstalls later)
        for (Class<? extends HasMetadata> type : List.of(Kustomization.class, HelmRelease.class, OCIRepository.class,
                io.currents.api.source.v1.GitRepository.class)) {
            kube.resources(type).inNamespace(NS).delete();
        }
        await("the test's Flux objects are gone", CONVERGE, () -> List.of(Kustomization.class, HelmRelease.class, OCIRepository.class,
                        io.currents.api.source.v1.GitRepository.class).stream()
                        .allMatch(t -> kube.resources(t).inNamespace(NS).list().getItems().isEmpty()),
                () -> "still there");
        registry.close();
        if (repo != null) {
            repo.close();
        }
    }

    private void pushChart(String version, String release) throws Exception {
        byte[] chart = Tarball.of(Map.of(
                "demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: " + version + "\n",
                "demo/templates/configmap.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: demo-release
                        data:
                          release: %s
                        """.formatted(release)));
        FluxArtifacts.pushHelmChart(pusher, OciReference.parse("oci://" + registry.host() + "/charts/demo"), "demo", version, chart);
    }

    @Test
    @Order(1)
    void theInfrastructureAndTheAppsFromOciBecomeReady() {
        for (String ks : List.of("cluster", "infra-controllers", "apps")) {
            awaitReady(Kustomization.class, ks);
        }
        awaitReady(OCIRepository.class, "demo-chart");
        HelmRelease release = awaitReady(HelmRelease.class, "demo");
        assertThat(release.getStatus().getLastAttemptedRevision()).startsWith("1.0.0+");
        assertThat(configMap("demo-release").getData()).containsEntry("release", "one");
        assertThat(configMap("podinfo-settings").getData()).containsEntry("color", "blue");
        assertThat(get(Kustomization.class, "apps").getStatus().getLastAppliedRevision()).startsWith("latest@sha256:");
    }

    @Test
    @Order(2)
    void aChartVersionPushedToTheRegistryUpgradesTheRelease() throws Exception {
        pushChart("1.1.0", "two");
        await("HelmRelease demo upgraded to 1.1.0", CONVERGE,
                () -> {
                    HelmRelease hr = get(HelmRelease.class, "demo");
                    return hr.getStatus() != null && hr.getStatus().getLastAttemptedRevision() != null
                            && hr.getStatus().getLastAttemptedRevision().startsWith("1.1.0+") && isReady(hr)
                            && "two".equals(configMap("demo-release").getData().get("release"));
                },
                () -> yaml(get(HelmRelease.class, "demo")));
    }

    @Test
    @Order(3)
    void aRegistryThatGoesDownLeavesTheReleaseAndTheArtifactAndRecovers() {
        Artifact before = get(OCIRepository.class, "demo-chart").getStatus().getArtifact();
        registry.stop();
        try {
            await("OCIRepository demo-chart reports the pull failure", CONVERGE,
                    () -> condition(get(OCIRepository.class, "demo-chart"), "Ready")
                            .map(c -> "False".equals(c.getStatus()) && "OCIArtifactPullFailed".equals(c.getReason())).orElse(false),
                    () -> yaml(get(OCIRepository.class, "demo-chart")));
            OCIRepository down = get(OCIRepository.class, "demo-chart");
            assertThat(down.getStatus().getArtifact().getRevision()).isEqualTo(before.getRevision());
            HelmRelease release = get(HelmRelease.class, "demo");
            assertThat(isReady(release)).as("the release stays Ready").isTrue();
            assertThat(release.getStatus().getLastAttemptedRevision()).startsWith("1.1.0+");
            assertThat(configMap("demo-release").getData()).containsEntry("release", "two");
            assertThat(configMap("podinfo-settings")).isNotNull();
        } finally {
            registry.restart();
        }
        awaitReady(OCIRepository.class, "demo-chart");
        awaitReady(OCIRepository.class, "apps");
        assertThat(get(OCIRepository.class, "demo-chart").getStatus().getArtifact().getRevision()).isEqualTo(before.getRevision());
    }

    private <T extends HasMetadata> T get(Class<T> type, String name) {
        return kube.resources(type).inNamespace(NS).withName(name).get();
    }

    private ConfigMap configMap(String name) {
        ConfigMap cm = kube.configMaps().inNamespace(NS).withName(name).get();
        return cm == null ? new ConfigMap() : cm;
    }

    private <T extends HasMetadata> T awaitReady(Class<T> type, String name) {
        await(type.getSimpleName() + " " + name + " Ready", CONVERGE, () -> isReady(get(type, name)), () -> yaml(get(type, name)));
        return get(type, name);
    }

    private String yaml(Object o) {
        return o == null ? "(absent)" : kube.getKubernetesSerialization().asYaml(o);
    }

    private static boolean isReady(HasMetadata r) {
        return condition(r, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    @SuppressWarnings("unchecked")
    private static Optional<Condition> condition(HasMetadata r, String type) {
        if (r == null || ((CustomResource<?, ?>) r).getStatus() == null) {
            return Optional.empty();
        }
        try {
            Object status = ((CustomResource<?, ?>) r).getStatus();
            List<Condition> conditions = (List<Condition>) status.getClass().getMethod("getConditions").invoke(status);
            return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
