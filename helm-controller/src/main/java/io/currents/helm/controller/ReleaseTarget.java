package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.meta.KubeConfigReference;
import io.currents.runtime.apply.ClusterAccess;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.nio.file.Path;

/** The cluster and identity a release is made with: a client for reads and a kubeconfig file for Helm. */
final class ReleaseTarget implements AutoCloseable {

    final KubernetesClient client;
    final HelmKubeconfig kubeconfig;
    private final boolean own;

    private ReleaseTarget(KubernetesClient client, HelmKubeconfig kubeconfig, boolean own) {
        this.client = client;
        this.kubeconfig = kubeconfig;
        this.own = own;
    }

    /** The release's service account (or the controller's default one) and kubeconfig Secret, as Flux reads them. */
    static ReleaseTarget of(KubernetesClient controllerClient, HelmRelease hr, String defaultServiceAccount, Path workDir)
            throws ReconcileFailure {
        String namespace = hr.getMetadata().getNamespace();
        String serviceAccount = serviceAccountOf(hr, defaultServiceAccount);
        Config config = controllerClient.getConfiguration();
        boolean own = true;
        KubeConfigReference kubeConfig = hr.getSpec().getKubeConfig();
        if (kubeConfig != null) {
            if (kubeConfig.getSecretRef() == null || kubeConfig.getSecretRef().getName() == null) {
                throw ReconcileFailure.stalled(HelmRelease.INIT_FAILED_REASON,
                        "spec.kubeConfig.configMapRef (workload identity) is not supported; use spec.kubeConfig.secretRef");
            }
            String name = kubeConfig.getSecretRef().getName();
            Secret secret;
            try {
                secret = controllerClient.secrets().inNamespace(namespace).withName(name).get();
            } catch (KubernetesClientException e) {
                throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, "failed to get KubeConfig secret '" + namespace + "/" + name + "': " + e.getMessage());
            }
            if (secret == null) {
                throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, "KubeConfig secret '" + namespace + "/" + name + "' not found");
            }
            try {
                config = ClusterAccess.fromKubeconfig(ClusterAccess.kubeconfig(secret, kubeConfig.getSecretRef().getKey()));
            } catch (RuntimeException e) {
                throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, "failed to build kube client: " + e.getMessage());
            }
            own = false;
        }
        if (!serviceAccount.isEmpty()) {
            config = ClusterAccess.impersonating(config, namespace, serviceAccount);
            own = false;
        }
        try {
            HelmKubeconfig file = HelmKubeconfig.write(config, workDir);
            KubernetesClient targetClient = own ? controllerClient : new KubernetesClientBuilder().withConfig(config).build();
            return new ReleaseTarget(targetClient, file, own);
        } catch (IOException e) {
            throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, "cannot write kubeconfig for Helm: " + HelmReleaseReconciler.describe(e));
        }
    }

    static String serviceAccountOf(HelmRelease hr, String defaultServiceAccount) {
        String sa = hr.getSpec().getServiceAccountName();
        return sa != null && !sa.isBlank() ? sa : defaultServiceAccount == null ? "" : defaultServiceAccount.trim();
    }

    @Override
    public void close() {
        kubeconfig.close();
        if (!own) {
            client.close();
        }
    }
}
