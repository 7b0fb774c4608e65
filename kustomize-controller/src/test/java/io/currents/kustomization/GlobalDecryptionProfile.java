package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The controller with Flux's controller-wide SOPS settings: a global age Secret and a Vault ConfigMap in its runtime
 * namespace, its own ServiceAccount named, and the ObjectLevelWorkloadIdentity gate on.
 */
public class GlobalDecryptionProfile implements QuarkusTestProfile {

    static final String RUNTIME_NAMESPACE = "currents-sops-global";
    static final String CONTROLLER_ACCOUNT = "kustomize-controller";
    static final String AGE_SECRET = "sops-age-global";
    static final String VAULT_CONFIGMAP = "sops-vault-config";

    /** The controller's runtime namespace with its ServiceAccount and the global age Secret holding this key file. */
    static void runtimeNamespace(String ageKeyFile) {
        var client = io.currents.testkit.ControlPlane.shared().client();
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(RUNTIME_NAMESPACE)
                .endMetadata().build()).serverSideApply();
        client.serviceAccounts().inNamespace(RUNTIME_NAMESPACE).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName(CONTROLLER_ACCOUNT).endMetadata().build()).serverSideApply();
        client.secrets().inNamespace(RUNTIME_NAMESPACE).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName(AGE_SECRET).endMetadata().addToStringData("global.agekey", ageKeyFile).build()).serverSideApply();
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "runtime-namespace", RUNTIME_NAMESPACE,
                "controller-service-account", RUNTIME_NAMESPACE + "/" + CONTROLLER_ACCOUNT,
                "sops-age-secret", AGE_SECRET,
                "sops-vault-configmap", VAULT_CONFIGMAP,
                "feature-gates", "ObjectLevelWorkloadIdentity=true");
    }
}
