package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** serviceAccountName: the apply runs as that account, so RBAC decides what a tenant may change. */
@QuarkusTest
class KustomizationImpersonationTest {

    @Test
    void impersonationDeniesObjectsOutsideTheServiceAccountsRbac() {
        var s = new KustomizationScenario("ks-tenant");
        s.client.resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata().withName("deployer")
                .withNamespace(s.namespace).endMetadata().build()).create();
        s.client.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder().withNewMetadata().withName("configmaps")
                .withNamespace(s.namespace).endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list", "watch", "create", "update", "patch", "delete").endRule()
                .build()).create();
        s.client.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata().withName("deployer")
                .withNamespace(s.namespace).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("configmaps").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("deployer").withNamespace(s.namespace).endSubject()
                .build()).create();

        String allowed = s.commit("allowed", Map.of("cm.yaml", KustomizationScenario.configMap("allowed", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("allowed", "allowed", "", "serviceAccountName: deployer"));
        s.awaitApplied("allowed", allowed);
        assertThat(s.object("v1", "ConfigMap", "allowed")).isNotNull();

        s.commit("denied", Map.of("sa.yaml", """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: intruder
                  namespace: %s
                """.formatted(s.namespace)));
        s.apply(KustomizationScenario.kustomization("denied", "denied", "", "serviceAccountName: deployer"));
        var k = s.awaitNotReady("denied", "ReconciliationFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("ServiceAccount/" + s.namespace + "/intruder")
                .contains("forbidden");
        assertThat(s.object("v1", "ServiceAccount", "intruder")).isNull();
    }
}
