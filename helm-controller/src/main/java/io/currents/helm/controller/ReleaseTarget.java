package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.runtime.apply.ClusterTargets;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The cluster and identity a release is made with (runtime's {@link ClusterTargets}, shared with kustomize-controller):
 * a client for reads and drift, and the kubeconfig file Helm runs with, deleted on close.
 */
final class ReleaseTarget implements AutoCloseable {

    final KubernetesClient client;
    final HelmKubeconfig kubeconfig;
    private final ClusterTargets.Target cluster;

    private ReleaseTarget(ClusterTargets.Target cluster, HelmKubeconfig kubeconfig) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.kubeconfig = kubeconfig;
    }

    /** The release's service account (or the controller's default one) and kubeconfig Secret, as Flux reads them. */
    static ReleaseTarget of(ClusterTargets clusters, HelmRelease hr, Path workDir) throws ReconcileFailure {
        ClusterTargets.Target cluster = clusters.target(hr.getMetadata().getNamespace(), hr.getSpec().getServiceAccountName(),
                hr.getSpec().getKubeConfig());
        try {
            return new ReleaseTarget(cluster, HelmKubeconfig.write(cluster.config(), workDir, !cluster.remote()));
        } catch (IOException e) {
            cluster.close();
            throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, "cannot write kubeconfig for Helm: " + HelmReleaseReconciler.describe(e));
        }
    }

    @Override
    public void close() {
        kubeconfig.close();
        cluster.close();
    }
}
