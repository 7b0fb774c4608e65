package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The controller as a multi-tenant platform would run it: {@code no-cross-namespace-refs=true},
 * {@code default-service-account=tenant-deployer}, and {@code events-addr} pointing at a receiver the tests start.
 * It watches only its two tenant namespaces, so it leaves alone the Kustomizations other test classes created.
 */
public class LockdownProfile implements QuarkusTestProfile {

    static final String TENANT = "ks-lockdown-tenant";
    static final String OTHER_TENANT = "ks-lockdown-other";
    static final String DEFAULT_SERVICE_ACCOUNT = "tenant-deployer";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "no-cross-namespace-refs", "true",
                "default-service-account", DEFAULT_SERVICE_ACCOUNT,
                "events-addr", EventReceiver.address(),
                "quarkus.operator-sdk.controllers.kustomization.namespaces", TENANT + "," + OTHER_TENANT);
    }

    /** The default service account in a tenant namespace, allowed to manage ConfigMaps there and nothing else. */
    static void grantDefaultServiceAccount(io.fabric8.kubernetes.client.KubernetesClient client, String namespace) {
        client.resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata()
                .withName(DEFAULT_SERVICE_ACCOUNT).withNamespace(namespace).endMetadata().build()).serverSideApply();
        client.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder().withNewMetadata()
                .withName(DEFAULT_SERVICE_ACCOUNT).withNamespace(namespace).endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps")
                .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").endRule()
                .build()).serverSideApply();
        client.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata()
                .withName(DEFAULT_SERVICE_ACCOUNT).withNamespace(namespace).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(DEFAULT_SERVICE_ACCOUNT).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(DEFAULT_SERVICE_ACCOUNT).withNamespace(namespace).endSubject()
                .build()).serverSideApply();
    }
}
