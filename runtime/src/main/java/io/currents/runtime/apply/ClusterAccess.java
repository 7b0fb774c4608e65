package io.currents.runtime.apply;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Builds the clients a Kustomization applies with: the controller's own identity, an impersonated service
 * account ({@code spec.serviceAccountName}) so RBAC limits what a tenant can change, or a remote cluster
 * from a kubeconfig Secret ({@code spec.kubeConfig.secretRef}), sanitised first (see {@link TenantKubeconfig}).
 */
public final class ClusterAccess {

    /** The Secret keys Flux reads a kubeconfig from when the reference names none. */
    public static final String KUBECONFIG_KEY = "value";
    public static final String KUBECONFIG_YAML_KEY = "value.yaml";

    private ClusterAccess() {
    }

    /** The Kubernetes user name of a service account, {@code system:serviceaccount:<namespace>:<name>}. */
    public static String serviceAccountUser(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /**
     * A copy of {@code base} that impersonates the service account. Only the user is named, as Flux does: the API
     * server gives an impersonated service account the groups its token would carry (system:serviceaccounts,
     * system:serviceaccounts:&lt;namespace&gt;, system:authenticated) by itself, and naming them would need the right to
     * impersonate any group, which the controller's own ClusterRole does not grant (and is as good as cluster-admin).
     */
    public static Config impersonating(Config base, String namespace, String serviceAccount) {
        Config config = new ConfigBuilder(base).build();
        config.setImpersonateUsername(serviceAccountUser(namespace, serviceAccount));
        config.setImpersonateGroups();
        return config;
    }

    /** A client that impersonates the service account; close it when done. */
    public static KubernetesClient impersonatingClient(Config base, String namespace, String serviceAccount) {
        return new KubernetesClientBuilder().withConfig(impersonating(base, namespace, serviceAccount)).build();
    }

    /**
     * The kubeconfig in a Secret: the given key, or {@code value} then {@code value.yaml} when the key is
     * empty. The error names the Secret and key, never the content.
     */
    public static String kubeconfig(Secret secret, String key) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String ref = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        String chosen = key;
        if (chosen == null || chosen.isEmpty()) {
            chosen = data.containsKey(KUBECONFIG_KEY) ? KUBECONFIG_KEY : KUBECONFIG_YAML_KEY;
        }
        String encoded = data.get(chosen);
        if (encoded == null && secret.getStringData() != null) {
            String plain = secret.getStringData().get(chosen);
            if (plain != null) {
                return plain;
            }
        }
        if (encoded == null) {
            throw new IllegalArgumentException(key == null || key.isEmpty()
                    ? "KubeConfig secret '" + ref + "' does not contain a '" + KUBECONFIG_KEY + "' nor '" + KUBECONFIG_YAML_KEY + "' key"
                    : "KubeConfig secret '" + ref + "' does not contain a '" + key + "' key");
        }
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    /**
     * The client configuration of a tenant's kubeconfig document (its current context), reduced to what the policy
     * allows; an IllegalArgumentException (naming no credential) when it is refused.
     */
    public static Config fromKubeconfig(String kubeconfig, KubeconfigPolicy policy) {
        return TenantKubeconfig.parse(kubeconfig, policy);
    }

    /** A client for the cluster of a kubeconfig Secret, impersonating the service account when one is given. */
    public static KubernetesClient remoteClient(Secret secret, String key, String namespace, String serviceAccount,
                                                KubeconfigPolicy policy) {
        Config config = fromKubeconfig(kubeconfig(secret, key), policy);
        if (serviceAccount != null && !serviceAccount.isEmpty()) {
            config = impersonating(config, namespace, serviceAccount);
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
