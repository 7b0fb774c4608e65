package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.currents.testkit.ControlPlane;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spec.deletionPolicy on deleting a Kustomization: MirrorPrune follows spec.prune, Delete removes the objects
 * whatever prune says, WaitForTermination also waits until they are gone (at most spec.timeout), Orphan leaves them.
 */
@QuarkusTest
class KustomizationDeletionPolicyTest {

    @Test
    void mirrorPruneDeletesTheObjectsWhenPruneIsOnAndKeepsThemWhenOff() {
        var s = new KustomizationScenario("ks-del-mirror");
        deploy(s, "pruned", "", true);
        deploy(s, "kept", "", false);

        delete(s, "pruned");
        delete(s, "kept");

        awaitGone(s, "pruned-settings");
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("kept-settings").get()).isNotNull();
        assertThat(s.events("pruned")).anyMatch(e -> e.getMessage().contains("ConfigMap/" + s.namespace + "/pruned-settings deleted"));
    }

    @Test
    void deleteRemovesTheObjectsEvenWithPruneOff() {
        var s = new KustomizationScenario("ks-del-delete");
        deploy(s, "app", "deletionPolicy: Delete", false);
        delete(s, "app");
        awaitGone(s, "app-settings");
    }

    @Test
    void orphanLeavesTheObjectsEvenWithPruneOn() {
        var s = new KustomizationScenario("ks-del-orphan");
        deploy(s, "app", "deletionPolicy: Orphan", true);
        delete(s, "app");
        ConfigMap cm = s.client.configMaps().inNamespace(s.namespace).withName("app-settings").get();
        assertThat(cm).isNotNull();
        assertThat(cm.getMetadata().getDeletionTimestamp()).isNull();
    }

    @Test
    void waitForTerminationKeepsTheKustomizationUntilItsObjectsAreGone() throws InterruptedException {
        var s = new KustomizationScenario("ks-del-wait");
        deploy(s, "app", "deletionPolicy: WaitForTermination", false);
        // Something else holds the ConfigMap: it cannot terminate until that finalizer is released.
        s.client.configMaps().inNamespace(s.namespace).withName("app-settings").edit(cm -> {
            cm.getMetadata().setFinalizers(new ArrayList<>(java.util.List.of("example.com/hold")));
            return cm;
        });

        s.client.resources(Kustomization.class).inNamespace(s.namespace).withName("app").delete();
        s.client.configMaps().inNamespace(s.namespace).withName("app-settings")
                .waitUntilCondition(cm -> cm != null && cm.getMetadata().getDeletionTimestamp() != null, 30, TimeUnit.SECONDS);
        // While the object is terminating, the Kustomization keeps its finalizer.
        for (int i = 0; i < 6; i++) {
            Thread.sleep(500);
            assertThat(s.get("app")).as("Kustomization waiting for termination").isNotNull();
        }

        s.client.configMaps().inNamespace(s.namespace).withName("app-settings").edit(cm -> {
            cm.getMetadata().setFinalizers(null);
            return cm;
        });
        awaitGone(s, "app-settings");
        s.client.resources(Kustomization.class).inNamespace(s.namespace).withName("app")
                .waitUntilCondition(k -> k == null, 30, TimeUnit.SECONDS);
    }

    @Test
    void waitForTerminationLetsGoOfTheKustomizationAfterItsTimeout() {
        var s = new KustomizationScenario("ks-del-timeout");
        String revision = s.commit("app", Map.of("cm.yaml", KustomizationScenario.configMap("app-settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "app", "", "deletionPolicy: WaitForTermination")
                .replace("timeout: 30s", "timeout: 3s"));
        s.awaitApplied("app", revision);
        s.client.configMaps().inNamespace(s.namespace).withName("app-settings").edit(cm -> {
            cm.getMetadata().setFinalizers(new ArrayList<>(java.util.List.of("example.com/hold")));
            return cm;
        });

        // As Flux does: after spec.timeout the wait is given up, an error is reported and the finalizer removed.
        delete(s, "app");
        ConfigMap held = s.client.configMaps().inNamespace(s.namespace).withName("app-settings").get();
        assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(s.events("app")).anyMatch(e -> "Warning".equals(e.getType())
                && e.getMessage().contains("timeout waiting for termination of: [ConfigMap/" + s.namespace + "/app-settings]"));

        s.client.configMaps().inNamespace(s.namespace).withName("app-settings").edit(cm -> {
            cm.getMetadata().setFinalizers(null);
            return cm;
        });
        awaitGone(s, "app-settings");
    }

    @Test
    void nothingIsDeletedWhenTheImpersonatedServiceAccountIsGone() {
        var s = new KustomizationScenario("ks-del-nosa");
        s.client.resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata().withName("deployer")
                .withNamespace(s.namespace).endMetadata().build()).create();
        s.client.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata().withName("deployer")
                .withNamespace(s.namespace).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("edit").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("deployer").withNamespace(s.namespace).endSubject()
                .build()).create();
        deploy(s, "app", "serviceAccountName: deployer", true);

        s.client.serviceAccounts().inNamespace(s.namespace).withName("deployer").delete();
        s.client.serviceAccounts().inNamespace(s.namespace).withName("deployer").waitUntilCondition(sa -> sa == null, 30, TimeUnit.SECONDS);
        delete(s, "app");

        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("app-settings").get()).isNotNull();
        assertThat(s.events("app")).anyMatch(e -> "Warning".equals(e.getType())
                && e.getMessage().contains("the service account to impersonate is gone")
                && e.getMessage().contains("ConfigMap/" + s.namespace + "/app-settings"));
    }

    @Test
    void nothingIsDeletedAndTheDeletionGoesAheadWhenTheKubeconfigSecretIsGone() {
        var s = new KustomizationScenario("ks-del-nokubeconfig");
        // A kubeconfig of the same API server stands for a remote cluster (credentials inlined: a tenant's kubeconfig may name no files).
        s.client.secrets().inNamespace(s.namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("remote").endMetadata().addToStringData("value", ControlPlane.shared().selfContainedKubeconfig()).build()).create();
        deploy(s, "app", """
                kubeConfig:
                  secretRef:
                    name: remote""", true);

        s.client.secrets().inNamespace(s.namespace).withName("remote").delete();
        delete(s, "app");

        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("app-settings").get()).isNotNull();
        assertThat(s.events("app")).anyMatch(e -> "Warning".equals(e.getType())
                && e.getMessage().contains("KubeConfig secret '" + s.namespace + "/remote' not found")
                && e.getMessage().contains("ConfigMap/" + s.namespace + "/app-settings"));
    }

    /** Applies a ConfigMap {@code <name>-settings} through the Kustomization {@code name} and waits until it is Ready. */
    private static void deploy(KustomizationScenario s, String name, String extraSpec, boolean prune) {
        String revision = s.commit(name, Map.of("cm.yaml", KustomizationScenario.configMap(name + "-settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization(name, name, "", extraSpec).replace("prune: true", "prune: " + prune));
        s.awaitApplied(name, revision);
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName(name + "-settings").get()).isNotNull();
    }

    private static void delete(KustomizationScenario s, String name) {
        s.client.resources(Kustomization.class).inNamespace(s.namespace).withName(name).delete();
        s.client.resources(Kustomization.class).inNamespace(s.namespace).withName(name)
                .waitUntilCondition(k -> k == null, 60, TimeUnit.SECONDS);
    }

    private static void awaitGone(KustomizationScenario s, String configMap) {
        s.client.configMaps().inNamespace(s.namespace).withName(configMap)
                .waitUntilCondition(cm -> cm == null, 30, TimeUnit.SECONDS);
    }
}
