package io.currents.cli.install;

import io.currents.cli.CommandResult;
import io.currents.cli.output.ExitCodes;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code currents uninstall}: controllers, RBAC and CRDs go; what the controllers applied stays. */
@Tag("cluster")
class UninstallCommandTest {

    static final String NS = "uninstall-me";

    @Test
    void uninstallRemovesTheControllersAndCrdsAndKeepsTheWorkloads() {
        KubernetesClient client = ControlPlane.shared().client();
        CommandResult install = CommandResult.onCluster("install", "-n", NS, "--local-controllers", "--timeout", "90s");
        assertThat(install.code()).as(install.toString()).isZero();

        // a workload a Kustomization applied, and that Kustomization with Flux's finalizer
        String app = ControlPlane.shared().createNamespace("app");
        client.configMaps().inNamespace(app).resource(new ConfigMapBuilder().withNewMetadata().withName("workload")
                .addToLabels("kustomize.toolkit.fluxcd.io/name", "app").addToLabels("kustomize.toolkit.fluxcd.io/namespace", app)
                .endMetadata().addToData("k", "v").build()).create();
        GenericKubernetesResource kustomization = Serialization.unmarshal("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: app
                  namespace: %s
                  finalizers: ["finalizers.fluxcd.io"]
                spec:
                  interval: 10m
                  path: ./
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: app
                """.formatted(app), GenericKubernetesResource.class);
        client.resource(kustomization).create();

        // without --silent it asks, and "no" leaves everything in place
        CommandResult declined = withStdin("n\n", () -> CommandResult.onCluster("uninstall", "-n", NS));
        assertThat(declined.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(declined.err()).isEqualTo("Are you sure you want to delete Currents and its custom resource definitions? [y/N] ✗ aborting\n");
        assertThat(client.apps().deployments().inNamespace(NS).withName("source-controller").get()).isNotNull();

        CommandResult r = CommandResult.onCluster("uninstall", "-n", NS, "--silent");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("✔ Deployment/" + NS + "/source-controller deleted",
                "✔ ClusterRoleBinding/currents-cluster-reconciler deleted",
                "✔ Kustomization/" + app + "/app finalizers deleted",
                "✔ CustomResourceDefinition/kustomizations.kustomize.toolkit.fluxcd.io deleted",
                "✔ Namespace/" + NS + " deleted").endsWith("✔ uninstall finished\n");

        assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
        assertThat(client.rbac().clusterRoles().withName("currents-kustomize-controller").get()).isNull();
        client.apiextensions().v1().customResourceDefinitions().withName("kustomizations.kustomize.toolkit.fluxcd.io")
                .waitUntilCondition(crd -> crd == null, 60, TimeUnit.SECONDS);
        client.namespaces().withName(NS).waitUntilCondition(n -> n == null, 60, TimeUnit.SECONDS);
        assertThat(client.configMaps().inNamespace(app).withName("workload").get().getData()).containsEntry("k", "v");
    }

    @Test
    void keepNamespaceLeavesTheNamespaceAndItsOtherObjects() {
        KubernetesClient client = ControlPlane.shared().client();
        String ns = "uninstall-keep";
        CommandResult install = CommandResult.onCluster("install", "-n", ns, "--local-controllers", "--timeout", "90s");
        assertThat(install.code()).as(install.toString()).isZero();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("mine").endMetadata().build()).create();

        CommandResult dryRun = CommandResult.onCluster("uninstall", "-n", ns, "--dry-run");
        assertThat(dryRun.code()).as(dryRun.toString()).isZero();
        assertThat(dryRun.err()).contains("✔ Deployment/" + ns + "/source-controller deleted (dry run)");
        assertThat(client.apps().deployments().inNamespace(ns).withName("source-controller").get()).isNotNull();

        CommandResult r = CommandResult.onCluster("uninstall", "-n", ns, "--silent", "--keep-namespace");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).doesNotContain("Namespace/");
        assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.serviceAccounts().inNamespace(ns).withName("source-controller").get()).isNull();
        assertThat(client.namespaces().withName(ns).get().getStatus().getPhase()).isEqualTo("Active");
        assertThat(client.configMaps().inNamespace(ns).withName("mine").get()).isNotNull();
    }

    @Test
    void deleteWorkloadsDeletesWhatEachKustomizationAppliedAsTheControllerWould() {
        KubernetesClient client = ControlPlane.shared().client();
        String ns = "uninstall-workloads";
        CommandResult install = CommandResult.onCluster("install", "-n", ns, "--local-controllers", "--timeout", "90s");
        assertThat(install.code()).as(install.toString()).isZero();
        String app = ControlPlane.shared().createNamespace("apps");
        for (String name : List.of("workload", "kept", "adopted")) {
            var cm = new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build();
            if (!name.equals("adopted")) {
                cm.getMetadata().setLabels(Map.of("kustomize.toolkit.fluxcd.io/name", "apps", "kustomize.toolkit.fluxcd.io/namespace", app));
            }
            if (name.equals("kept")) {
                cm.getMetadata().setAnnotations(Map.of("kustomize.toolkit.fluxcd.io/prune", "disabled"));
            }
            client.configMaps().inNamespace(app).resource(cm).create();
        }
        var kustomizations = client.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization").inNamespace(app);
        GenericKubernetesResource k = kustomizations.resource(Serialization.unmarshal("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: apps
                  namespace: %s
                spec:
                  interval: 10m
                  path: ./
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: apps
                """.formatted(app), GenericKubernetesResource.class)).create();
        k.setAdditionalProperty("status", Map.of("inventory", Map.of("entries", List.of(
                Map.of("id", app + "_workload__ConfigMap", "v", "v1"),
                Map.of("id", app + "_kept__ConfigMap", "v", "v1"),
                Map.of("id", app + "_adopted__ConfigMap", "v", "v1")))));
        kustomizations.resource(k).updateStatus();

        CommandResult r = CommandResult.onCluster("uninstall", "-n", ns, "--silent", "--delete-workloads");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("► deleting the workloads of every Kustomization", "✔ ConfigMap/" + app + "/workload deleted",
                "✔ ConfigMap/" + app + "/kept skipped", "✔ ConfigMap/" + app + "/adopted skipped");
        client.configMaps().inNamespace(app).withName("workload").waitUntilCondition(c -> c == null, 30, TimeUnit.SECONDS);
        assertThat(client.configMaps().inNamespace(app).withName("kept").get()).isNotNull();
        assertThat(client.configMaps().inNamespace(app).withName("adopted").get()).isNotNull();
    }

    /** Other test classes of this JVM need the toolkit CRDs: put them back once the deleted ones are gone. */
    @AfterAll
    static void restoreCrds() {
        awaitNoTerminatingCrds();
        ControlPlane.shared().applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
    }

    /** A CRD being deleted cannot be applied again: each test starts once an earlier uninstall has finished. */
    @org.junit.jupiter.api.BeforeEach
    void awaitEarlierUninstall() {
        awaitNoTerminatingCrds();
    }

    static void awaitNoTerminatingCrds() {
        KubernetesClient client = ControlPlane.shared().client();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .anyMatch(crd -> crd.getMetadata().getName().endsWith(".toolkit.fluxcd.io") && crd.getMetadata().getDeletionTimestamp() != null)) {
            sleep();
        }
    }

    private static CommandResult withStdin(String input, java.util.function.Supplier<CommandResult> run) {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(old);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
