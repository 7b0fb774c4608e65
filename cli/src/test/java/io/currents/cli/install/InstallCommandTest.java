package io.currents.cli.install;

import io.currents.cli.CommandResult;
import io.currents.cli.output.ExitCodes;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code currents install}: the exported YAML, and what applying it does to a real API server. */
@Tag("cluster")
class InstallCommandTest {

    static final Path GOLDEN = ControlPlane.projectRoot().resolve("cli/src/test/resources/golden");

    @Test
    void exportPrintsTheDefaultComponentsManifests() throws Exception {
        CommandResult r = CommandResult.run("install", "--export");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        assertMatchesGolden(r.out(), "install-export.yaml");
    }

    @Test
    void exportHonoursNamespaceRegistryPoliciesAndLocalControllers() throws Exception {
        CommandResult r = CommandResult.run("install", "--export", "-n", "gitops", "--components", "source-controller,kustomize-controller",
                "--registry", "registry.example.com/mirror", "--network-policy=false", "--local-controllers");
        assertThat(r.code()).as(r.toString()).isZero();
        assertMatchesGolden(r.out(), "install-export-options.yaml");
    }

    @Test
    void shardsAddDeploymentsPerShardAndKeepTheMainControllersOffShardedObjects() throws Exception {
        CommandResult r = CommandResult.run("install", "--export", "--shards", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertMatchesGolden(r.out(), "install-export-shards.yaml");

        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        java.util.Map<String, String> selectors = new java.util.TreeMap<>();
        try (var documents = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readerFor(java.util.Map.class).<java.util.Map<String, Object>>readValues(r.out())) {
          while (documents.hasNext()) {
            var o = documents.next();
            if (o == null || !"Deployment".equals(o.get("kind"))) {
                continue;
            }
            Deployment d = serialization.convertValue(o, Deployment.class);
            var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            String selector = container.getEnv().stream().filter(e -> e.getName().equals("WATCH_LABEL_SELECTOR"))
                    .map(e -> e.getValue()).findFirst().orElse("(all)");
            selectors.put(d.getMetadata().getName(), selector);
            assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry("app", d.getMetadata().getName());
          }
        }
        assertThat(selectors).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "source-controller", "!sharding.fluxcd.io/key",
                "source-controller-shard1", "sharding.fluxcd.io/key in (shard1)",
                "source-controller-shard2", "sharding.fluxcd.io/key in (shard2)",
                "kustomize-controller", "!sharding.fluxcd.io/key",
                "kustomize-controller-shard1", "sharding.fluxcd.io/key in (shard1)",
                "kustomize-controller-shard2", "sharding.fluxcd.io/key in (shard2)",
                "helm-controller", "!sharding.fluxcd.io/key",
                "helm-controller-shard1", "sharding.fluxcd.io/key in (shard1)",
                "helm-controller-shard2", "sharding.fluxcd.io/key in (shard2)",
                "notification-controller", "(all)"));
        assertThat(r.out()).contains("name: STORAGE_ADV_ADDR\n          value: source-controller-shard2.$(RUNTIME_NAMESPACE).svc.cluster.local.",
                "  name: source-controller-shard2\n  namespace: currents-system\nspec:\n  ports:");
        assertThat(r.out().split("\nkind: ServiceAccount\n", -1)).as("shards share the main ServiceAccounts").hasSize(5);

        CommandResult negative = CommandResult.run("install", "--export", "--shards", "-1");
        assertThat(negative.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anUnknownComponentIsRefusedWithTheAvailableOnes() {
        CommandResult r = CommandResult.run("install", "--export", "--components", "sourcecontroller");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("✗ component 'sourcecontroller' is unknown; choose from: source-controller, "
                + "kustomize-controller, helm-controller, notification-controller, image-automation-controller, source-watcher, ui\n");
    }

    @Test
    void theExtraComponentAddsImageAutomationToTheDefaults() {
        CommandResult r = CommandResult.run("install", "--export", "--components-extra", "image-automation-controller");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("---\n# Currents version: ")
                .contains("# Components: source-controller,kustomize-controller,helm-controller,notification-controller,"
                        + "image-automation-controller\n")
                .contains("name: image-automation-controller", "name: imagepolicies.image.toolkit.fluxcd.io",
                        "name: helm-controller", "name: webhook-receiver");
    }

    @Test
    void theUiComponentAddsItsDeploymentServiceAndRoleButNoCrds() throws Exception {
        CommandResult r = CommandResult.run("install", "--export", "--components-extra", "ui", "--local-controllers");
        assertThat(r.code()).as(r.toString()).isZero();
        assertMatchesGolden(r.out(), "install-export-ui.yaml");
        // no controller: no events address, and scaled to zero like the controllers when it runs as a local process
        String ui = r.out().substring(r.out().indexOf("kind: Deployment\nmetadata:\n  labels:\n    app.kubernetes.io/component: ui"));
        ui = ui.substring(0, ui.indexOf("\n---"));
        assertThat(ui).contains("image: ghcr.io/currents-dev/ui:", "replicas: 0", "serviceAccountName: ui").doesNotContain("EVENTS_ADDR");
        assertThat(r.out().split("\nkind: CustomResourceDefinition\n", -1).length)
                .isEqualTo(CommandResult.run("install", "--export").out().split("\nkind: CustomResourceDefinition\n", -1).length);
    }

    @Test
    void installWithLocalControllersAppliesEverythingAndTheZeroReplicaDeploymentsBecomeAvailable() {
        String ns = "install-local";
        CommandResult r = CommandResult.onCluster("install", "-n", ns, "--local-controllers", "--timeout", "90s");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Namespace/" + ns + " created",
                "CustomResourceDefinition/gitrepositories.source.toolkit.fluxcd.io ",
                "Deployment/" + ns + "/source-controller created", "Deployment/" + ns + "/kustomize-controller created",
                "Service/" + ns + "/source-controller created", "ClusterRoleBinding/currents-cluster-reconciler ");
        assertThat(r.err()).contains("► installing components in " + ns + " namespace",
                "✔ source-controller: deployment ready", "✔ kustomize-controller: deployment ready", "✔ install finished");

        KubernetesClient client = ControlPlane.shared().client();
        Deployment source = client.apps().deployments().inNamespace(ns).withName("source-controller").get();
        assertThat(source.getSpec().getReplicas()).isZero();
        assertThat(source.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Available") && c.getStatus().equals("True"));
        assertThat(source.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/currents-dev/source-controller:" + Version.tag());
        assertThat(client.rbac().clusterRoleBindings().withName("currents-source-controller").get().getSubjects().get(0).getNamespace())
                .isEqualTo(ns);
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("kustomizations.kustomize.toolkit.fluxcd.io").get())
                .isNotNull();

        CommandResult again = CommandResult.onCluster("install", "-n", ns, "--local-controllers", "--timeout", "90s");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("Deployment/" + ns + "/source-controller unchanged").doesNotContain(" created", " configured");
    }

    @Test
    void installWaitsForTheControllersAndFailsWithATimeoutWhenTheyDoNotStart() {
        // no kubelet on the test control plane: pods never run, so one replica never becomes available
        String ns = "install-no-pods";
        CommandResult r = CommandResult.onCluster("install", "-n", ns, "--components", "source-controller", "--timeout", "3s");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(r.err()).contains("✗ source-controller: deployment not ready")
                .endsWith("✗ the controllers did not become ready within 3s; look at their pods with 'kubectl -n " + ns
                        + " get pods' (images must be pullable from the --registry)\n");
        Deployment source = ControlPlane.shared().client().apps().deployments().inNamespace(ns).withName("source-controller").get();
        assertThat(source.getSpec().getReplicas()).isEqualTo(1);
    }

    /**
     * Compares with a golden file that holds {@code ${VERSION}} in place of the build's version. After a deliberate
     * change, rewrite the files with {@code -Dcurrents.golden.write=true} and review the diff.
     */
    static void assertMatchesGolden(String actual, String name) throws Exception {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("currents.golden.write")) {
            Files.writeString(file, actual.replace(Version.tag(), "${VERSION}"));
        }
        assertThat(actual).isEqualTo(Files.readString(file).replace("${VERSION}", Version.tag()));
    }
}
