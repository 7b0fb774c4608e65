package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("cluster")
class ImpersonationDeniesWhatTheServiceAccountMayNotDoTest {

    @Test
    void aTenantServiceAccountMayApplyConfigMapsInItsNamespaceOnly() throws Exception {
        ControlPlane plane = ControlPlane.shared();
        String tenant = plane.createNamespace("tenant");
        String other = plane.createNamespace("other");
        KubernetesClient admin = plane.client();
        admin.serviceAccounts().inNamespace(tenant).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("deployer").endMetadata().build()).create();
        admin.rbac().roles().inNamespace(tenant).resource(new RoleBuilder()
                .withNewMetadata().withName("configmaps").endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list", "create", "patch", "update").endRule()
                .build()).create();
        admin.rbac().roleBindings().inNamespace(tenant).resource(new RoleBindingBuilder()
                .withNewMetadata().withName("deployer").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("configmaps").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("deployer").withNamespace(tenant).endSubject()
                .build()).create();

        Config base = admin.getConfiguration();
        try (KubernetesClient asTenant = ClusterAccess.impersonatingClient(base, tenant, "deployer")) {
            var applier = new ServerSideApplier(asTenant, "kustomize-controller");
            var options = ApplyOptions.kustomizeController("kustomize-controller");

            assertThat(applier.applyAll(Manifests.list(Manifests.configMap(tenant, "allowed", "k", "v")), options))
                    .hasToString("ConfigMap/" + tenant + "/allowed created");
            assertThatThrownBy(() -> applier.applyAll(Manifests.list(Manifests.configMap(other, "denied", "k", "v")), options))
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("ConfigMap/" + other + "/denied")
                    .hasMessageContaining("system:serviceaccount:" + tenant + ":deployer");
        }
        assertThat(admin.configMaps().inNamespace(other).withName("denied").get()).isNull();
    }
}
