package io.currents.kustomize.controller;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.meta.KubeConfigReference;
import io.currents.runtime.apply.ClusterAccess;
import io.currents.runtime.apply.KubeconfigPolicy;
import io.currents.runtime.apply.ServerSideApplier;
import io.currents.runtime.build.Reasons;
import io.currents.runtime.build.ReconcileFailure;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where and as whom a Kustomization applies: the controller's own identity, an impersonated service
 * account ({@code spec.serviceAccountName}, or the {@code default-service-account} lockdown), or a remote
 * cluster from a kubeconfig Secret. Impersonating clients are kept per account; remote ones per reconcile.
 */
final class ApplyTargets implements AutoCloseable {

    static final String FIELD_MANAGER = "kustomize-controller";

    /** A client and the applier bound to it; closing releases a remote client. */
    record Target(KubernetesClient client, ServerSideApplier applier, boolean remote, String identity) implements AutoCloseable {
        @Override
        public void close() {
            if (remote) {
                client.close();
            }
        }
    }

    private final KubernetesClient controllerClient;
    private final String defaultServiceAccount;
    private final KubeconfigPolicy kubeconfigPolicy;
    private final Target own;
    private final Map<String, Target> impersonating = new ConcurrentHashMap<>();

    ApplyTargets(KubernetesClient controllerClient, String defaultServiceAccount, KubeconfigPolicy kubeconfigPolicy) {
        this.controllerClient = controllerClient;
        this.defaultServiceAccount = defaultServiceAccount == null ? "" : defaultServiceAccount.trim();
        this.kubeconfigPolicy = kubeconfigPolicy;
        this.own = new Target(controllerClient, new ServerSideApplier(controllerClient, FIELD_MANAGER), false, "kustomize-controller");
    }

    /** The service account a Kustomization applies as, or empty for the controller's own identity. */
    String serviceAccountOf(Kustomization k) {
        String sa = k.getSpec().getServiceAccountName();
        return sa != null && !sa.isBlank() ? sa : defaultServiceAccount;
    }

    Target forKustomization(Kustomization k) throws ReconcileFailure {
        String namespace = k.getMetadata().getNamespace();
        String serviceAccount = serviceAccountOf(k);
        KubeConfigReference kubeConfig = k.getSpec().getKubeConfig();
        if (kubeConfig != null) {
            return remote(namespace, kubeConfig, serviceAccount);
        }
        if (serviceAccount.isEmpty()) {
            return own;
        }
        return impersonating.computeIfAbsent(namespace + "/" + serviceAccount, key -> {
            KubernetesClient client = ClusterAccess.impersonatingClient(controllerClient.getConfiguration(), namespace, serviceAccount);
            return new Target(client, new ServerSideApplier(client, FIELD_MANAGER), false,
                    ClusterAccess.serviceAccountUser(namespace, serviceAccount));
        });
    }

    private Target remote(String namespace, KubeConfigReference ref, String serviceAccount) throws ReconcileFailure {
        if (ref.getSecretRef() == null || ref.getSecretRef().getName() == null) {
            throw ReconcileFailure.stalled(Reasons.RECONCILIATION_FAILED,
                    "spec.kubeConfig.configMapRef (workload identity) is not supported; use spec.kubeConfig.secretRef");
        }
        String name = ref.getSecretRef().getName();
        Secret secret;
        try {
            secret = controllerClient.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new ReconcileFailure(Reasons.RECONCILIATION_FAILED, "failed to get KubeConfig secret '" + namespace + "/" + name + "': " + e.getMessage());
        }
        if (secret == null) {
            throw new ReconcileFailure(Reasons.RECONCILIATION_FAILED, "KubeConfig secret '" + namespace + "/" + name + "' not found");
        }
        try {
            KubernetesClient client = ClusterAccess.remoteClient(secret, ref.getSecretRef().getKey(), namespace, serviceAccount, kubeconfigPolicy);
            return new Target(client, new ServerSideApplier(client, FIELD_MANAGER), true, "kubeconfig " + namespace + "/" + name);
        } catch (RuntimeException e) {
            // The message names the Secret and key, never the kubeconfig content.
            throw new ReconcileFailure(Reasons.RECONCILIATION_FAILED, "failed to build kube client: " + e.getMessage());
        }
    }

    /** Whether the impersonated account still exists; pruning on deletion is skipped when it does not (as Flux does). */
    boolean canImpersonate(Kustomization k) {
        String sa = serviceAccountOf(k);
        if (sa.isEmpty() || k.getSpec().getKubeConfig() != null) {
            return true;
        }
        try {
            return controllerClient.serviceAccounts().inNamespace(k.getMetadata().getNamespace()).withName(sa).get() != null;
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    @Override
    public void close() {
        impersonating.values().forEach(t -> t.client().close());
        impersonating.clear();
    }
}
