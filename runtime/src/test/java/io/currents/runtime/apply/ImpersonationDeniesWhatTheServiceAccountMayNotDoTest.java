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

    @Test
    void aControllerAllowedOnlyToImpersonateServiceAccountsAppliesAsOneWithItsGroupBoundRights() throws Exception {
        // the controller's own ClusterRole (no cluster-admin binding): impersonate serviceaccounts, nothing on groups
        ControlPlane plane = ControlPlane.shared();
        String system = plane.createNamespace("narrow-system");
        String tenant = plane.createNamespace("narrow-tenant");
        KubernetesClient admin = plane.client();
        admin.serviceAccounts().inNamespace(system).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("controller").endMetadata().build()).create();
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata().withName(system + "-impersonator").endMetadata()
                .addNewRule().withApiGroups("").withResources("serviceaccounts").withVerbs("impersonate").endRule().build()).create();
        admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata().withName(system + "-impersonator").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(system + "-impersonator").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("controller").withNamespace(system).endSubject().build()).create();
        // the tenant's rights are bound to its namespace's service-account group, not to the account by name
        admin.serviceAccounts().inNamespace(tenant).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("default-deployer").endMetadata().build()).create();
        admin.rbac().roles().inNamespace(tenant).resource(new RoleBuilder()
                .withNewMetadata().withName("configmaps").endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list", "create", "patch", "update").endRule()
                .build()).create();
        admin.rbac().roleBindings().inNamespace(tenant).resource(new RoleBindingBuilder()
                .withNewMetadata().withName("group").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("configmaps").endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName("system:serviceaccounts:" + tenant).endSubject()
                .build()).create();
        String token = admin.serviceAccounts().inNamespace(system).withName("controller")
                .tokenRequest(new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                        .withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        Config adminConfig = admin.getConfiguration();
        Config controller = new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty()).withMasterUrl(adminConfig.getMasterUrl())
                .withCaCertFile(adminConfig.getCaCertFile()).withCaCertData(adminConfig.getCaCertData()).withOauthToken(token).build();

        try (KubernetesClient asTenant = ClusterAccess.impersonatingClient(controller, tenant, "default-deployer")) {
            assertThat(new ServerSideApplier(asTenant, "kustomize-controller").applyAll(
                    Manifests.list(Manifests.configMap(tenant, "via-group", "k", "v")), ApplyOptions.kustomizeController("kustomize-controller")))
                    .hasToString("ConfigMap/" + tenant + "/via-group created");
        }
    }
}
