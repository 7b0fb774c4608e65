package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.runtime.apply.ClusterTargets;
import io.currents.runtime.apply.KubeconfigPolicy;
import io.currents.runtime.apply.ServerSideApplier;
import io.currents.runtime.manifests.Reasons;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where and as whom a Kustomization applies (runtime's {@link ClusterTargets}: its own identity, an impersonated
 * service account, a remote cluster), with a server-side applier per identity so each keeps its resource caches.
 */
final class ApplyTargets implements AutoCloseable {

    static final String FIELD_MANAGER = "kustomize-controller";

    /** A client and the applier bound to it; closing releases a remote client. */
    record Target(KubernetesClient client, ServerSideApplier applier, ClusterTargets.Target cluster) implements AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }

    private final ClusterTargets clusters;
    private final Map<String, ServerSideApplier> appliers = new ConcurrentHashMap<>();

    ApplyTargets(KubernetesClient controllerClient, String defaultServiceAccount, KubeconfigPolicy kubeconfigPolicy,
                 boolean objectLevelWorkloadIdentity) {
        this.clusters = new ClusterTargets(controllerClient, defaultServiceAccount, Reasons.RECONCILIATION_FAILED, FIELD_MANAGER,
                kubeconfigPolicy).objectLevelWorkloadIdentity(objectLevelWorkloadIdentity);
    }

    Target forKustomization(Kustomization k) throws ReconcileFailure {
        ClusterTargets.Target cluster = clusters.target(k.getMetadata().getNamespace(), k.getSpec().getServiceAccountName(),
                k.getSpec().getKubeConfig());
        ServerSideApplier applier = cluster.remote()
                ? new ServerSideApplier(cluster.client(), FIELD_MANAGER).withParallelRequests(ServerSideApplier.PARALLEL_REQUESTS)
                : appliers.computeIfAbsent(cluster.identity(), id -> new ServerSideApplier(cluster.client(), FIELD_MANAGER)
                        .withParallelRequests(ServerSideApplier.PARALLEL_REQUESTS));
        return new Target(cluster.client(), applier, cluster);
    }

    /** Why the Kustomization's identity is gone (kubeconfig Secret, impersonated account), or empty. */
    Optional<String> missingIdentity(Kustomization k) {
        return clusters.missingIdentity(k.getMetadata().getNamespace(), k.getSpec().getServiceAccountName(), k.getSpec().getKubeConfig());
    }

    @Override
    public void close() {
        clusters.close();
        appliers.clear();
    }
}
