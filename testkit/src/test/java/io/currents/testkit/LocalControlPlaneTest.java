package io.currents.testkit;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class LocalControlPlaneTest {

    private final ControlPlane plane = ControlPlane.shared();
    private final KubernetesClient client = plane.client();

    @Test
    void aZeroReplicaDeploymentBecomesAvailableAndAOneReplicaOneNeverDoes() {
        String ns = plane.createNamespace("cp");
        client.apps().deployments().inNamespace(ns).resource(deployment("zero", 0)).create();
        client.apps().deployments().inNamespace(ns).resource(deployment("one", 1)).create();

        Deployment zero = client.apps().deployments().inNamespace(ns).withName("zero")
                .waitUntilCondition(d -> available(d, "True"), 60, TimeUnit.SECONDS);
        assertThat(zero.getStatus().getObservedGeneration()).isEqualTo(zero.getMetadata().getGeneration());

        Deployment one = client.apps().deployments().inNamespace(ns).withName("one")
                .waitUntilCondition(d -> available(d, "False"), 60, TimeUnit.SECONDS);
        assertThat(one.getStatus().getReadyReplicas()).isNull();
    }

    @Test
    void theGarbageCollectorDeletesDependentsOfADeletedOwner() {
        String ns = plane.createNamespace("gc");
        var owner = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("owner").endMetadata().build()).create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("dependent").withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("v1").withKind("ConfigMap").withName("owner")
                        .withUid(owner.getMetadata().getUid()).build()).endMetadata().build()).create();

        client.configMaps().inNamespace(ns).withName("owner").delete();

        client.configMaps().inNamespace(ns).withName("dependent").waitUntilCondition(cm -> cm == null, 60, TimeUnit.SECONDS);
        assertThat(client.configMaps().inNamespace(ns).withName("dependent").get()).isNull();
    }

    @Test
    void theServerIsKubernetes120WithServerSideApply() {
        assertThat(client.getKubernetesVersion().getGitVersion()).startsWith("v1.20");
        var cm = new ConfigMapBuilder().withNewMetadata().withName("ssa").withNamespace(plane.createNamespace("ssa"))
                .endMetadata().addToData("k", "v").build();
        var applied = client.resource(cm).fieldManager("currents-test").serverSideApply();
        assertThat(applied.getMetadata().getManagedFields())
                .anySatisfy(f -> assertThat(f.getManager()).isEqualTo("currents-test"));
    }

    private static boolean available(Deployment d, String status) {
        return d != null && d.getStatus() != null && d.getStatus().getConditions() != null
                && d.getStatus().getConditions().stream()
                .anyMatch(c -> "Available".equals(c.getType()) && status.equals(c.getStatus()));
    }

    private static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.local/app:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
