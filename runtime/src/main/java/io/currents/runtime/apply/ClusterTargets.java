package io.currents.runtime.apply;

import io.currents.api.meta.KubeConfigReference;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where and as whom a controller changes the cluster for an object (a Kustomization, a HelmRelease): the controller's
 * own identity, an impersonated service account ({@code spec.serviceAccountName}, or the controller's
 * {@code default-service-account} lockdown), or a remote cluster from a kubeconfig Secret
 * ({@code spec.kubeConfig.secretRef}, sanitised by {@link TenantKubeconfig}) or a ConfigMap naming a cluster and a local
 * ServiceAccount whose token is used there ({@code spec.kubeConfig.configMapRef}, {@link KubeconfigConfigMap}),
 * impersonating there too when an account is named. Impersonating clients are
 * kept per account, so each tenant's client and its caches are made once; remote clients live for one use.
 */
public final class ClusterTargets implements AutoCloseable {

    /** A cluster and identity to work with: its client and configuration. Closing it releases a remote client only. */
    public record Target(KubernetesClient client, Config config, boolean remote, String identity) implements AutoCloseable {
        @Override
        public void close() {
            if (remote) {
                client.close();
            }
        }
    }

    private final KubernetesClient controllerClient;
    private final String defaultServiceAccount;
    private final String failureReason;
    private final KubeconfigPolicy kubeconfigPolicy;
    private final Target own;
    private final Map<String, Target> impersonating = new ConcurrentHashMap<>();
    private volatile boolean objectLevelWorkloadIdentity;

    /**
     * @param defaultServiceAccount Flux's {@code --default-service-account}: the account of objects that name none
     * @param failureReason         the Ready reason of a kubeconfig that cannot be used (the kind's own words)
     * @param ownIdentity           how the controller's own identity is named in messages
     * @param kubeconfigPolicy      what a tenant's kubeconfig may hold (Flux's {@code --insecure-kubeconfig-*} flags)
     */
    public ClusterTargets(KubernetesClient controllerClient, String defaultServiceAccount, String failureReason, String ownIdentity,
                          KubeconfigPolicy kubeconfigPolicy) {
        this.controllerClient = controllerClient;
        this.defaultServiceAccount = defaultServiceAccount == null ? "" : defaultServiceAccount.trim();
        this.failureReason = failureReason;
        this.kubeconfigPolicy = kubeconfigPolicy;
        this.own = new Target(controllerClient, controllerClient.getConfiguration(), false, ownIdentity);
    }

    /** Lets a kubeconfig ConfigMap of a cloud provider name a ServiceAccount (Flux's ObjectLevelWorkloadIdentity gate). */
    public ClusterTargets objectLevelWorkloadIdentity(boolean enabled) {
        this.objectLevelWorkloadIdentity = enabled;
        return this;
    }

    /** The service account an object acts as: its own, else the controller's default, else none (empty). */
    public String serviceAccountOf(String serviceAccountName) {
        return serviceAccountName != null && !serviceAccountName.isBlank() ? serviceAccountName : defaultServiceAccount;
    }

    /** The target of an object in {@code namespace} with these spec fields; close it when done. */
    public Target target(String namespace, String serviceAccountName, KubeConfigReference kubeConfig) throws ReconcileFailure {
        String serviceAccount = serviceAccountOf(serviceAccountName);
        if (kubeConfig != null) {
            return remote(namespace, kubeConfig, serviceAccount);
        }
        if (serviceAccount.isEmpty()) {
            return own;
        }
        return impersonating.computeIfAbsent(namespace + "/" + serviceAccount, key -> {
            Config config = ClusterAccess.impersonating(controllerClient.getConfiguration(), namespace, serviceAccount);
            return new Target(new KubernetesClientBuilder().withConfig(config).build(), config, false,
                    ClusterAccess.serviceAccountUser(namespace, serviceAccount));
        });
    }

    private Target remote(String namespace, KubeConfigReference ref, String serviceAccount) throws ReconcileFailure {
        if (ref.getConfigMapRef() != null && ref.getConfigMapRef().getName() != null) {
            return fromConfigMap(namespace, ref.getConfigMapRef().getName(), serviceAccount);
        }
        if (ref.getSecretRef() == null || ref.getSecretRef().getName() == null) {
            throw ReconcileFailure.stalled(failureReason, "spec.kubeConfig needs secretRef or configMapRef");
        }
        String name = ref.getSecretRef().getName();
        Secret secret;
        try {
            secret = controllerClient.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new ReconcileFailure(failureReason, "failed to get KubeConfig secret '" + namespace + "/" + name + "': " + e.getMessage());
        }
        if (secret == null) {
            throw new ReconcileFailure(failureReason, "KubeConfig secret '" + namespace + "/" + name + "' not found");
        }
        try {
            // sanitised: no exec, no auth-provider, no file paths, TLS verified unless the flags allow otherwise
            Config config = ClusterAccess.fromKubeconfig(ClusterAccess.kubeconfig(secret, ref.getSecretRef().getKey()), kubeconfigPolicy);
            if (!serviceAccount.isEmpty()) {
                config = ClusterAccess.impersonating(config, namespace, serviceAccount);
            }
            return new Target(new KubernetesClientBuilder().withConfig(config).build(), config, true, "kubeconfig " + namespace + "/" + name);
        } catch (RuntimeException e) {
            // The message names the Secret and key, never the kubeconfig content.
            throw new ReconcileFailure(failureReason, "failed to build kube client: " + e.getMessage());
        }
    }

    /** A remote cluster reached with a token of a local ServiceAccount ({@link KubeconfigConfigMap}). */
    private Target fromConfigMap(String namespace, String name, String serviceAccount) throws ReconcileFailure {
        Config config;
        try {
            config = KubeconfigConfigMap.config(controllerClient, namespace, name, objectLevelWorkloadIdentity);
        } catch (KubeconfigConfigMap.Refused e) {
            throw e.terminal() ? ReconcileFailure.stalled(failureReason, e.getMessage()) : new ReconcileFailure(failureReason, e.getMessage());
        }
        if (!serviceAccount.isEmpty()) {
            config = ClusterAccess.impersonating(config, namespace, serviceAccount);
        }
        return new Target(new KubernetesClientBuilder().withConfig(config).build(), config, true, "kubeconfig configmap " + namespace + "/" + name);
    }

    /**
     * Why the object's identity is gone (its kubeconfig Secret, or the service account it impersonates), or empty. On
     * deletion, what the object made is then left in place with a warning instead of blocking the deletion forever,
     * as Flux does; a failure to look is not a reason to give up, so it reads as present.
     */
    public Optional<String> missingIdentity(String namespace, String serviceAccountName, KubeConfigReference kubeConfig) {
        String serviceAccount = serviceAccountOf(serviceAccountName);
        try {
            if (kubeConfig != null && kubeConfig.getConfigMapRef() != null && kubeConfig.getConfigMapRef().getName() != null) {
                String name = kubeConfig.getConfigMapRef().getName();
                return controllerClient.configMaps().inNamespace(namespace).withName(name).get() == null
                        ? Optional.of("KubeConfig configmap '" + namespace + "/" + name + "' not found") : Optional.empty();
            }
            if (kubeConfig != null) {
                String name = kubeConfig.getSecretRef() == null ? null : kubeConfig.getSecretRef().getName();
                if (name != null && controllerClient.secrets().inNamespace(namespace).withName(name).get() == null) {
                    return Optional.of("KubeConfig secret '" + namespace + "/" + name + "' not found");
                }
                return Optional.empty();
            }
            if (!serviceAccount.isEmpty() && controllerClient.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get() == null) {
                return Optional.of("service account '" + namespace + "/" + serviceAccount + "' to impersonate not found");
            }
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        impersonating.values().forEach(t -> t.client().close());
        impersonating.clear();
    }
}
