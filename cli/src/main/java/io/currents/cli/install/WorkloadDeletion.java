package io.currents.cli.install;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.meta.ResourceInventory;
import io.currents.api.meta.ResourceRef;
import io.currents.cli.output.Progress;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.apply.ChangeSet;
import io.currents.runtime.apply.DeletionPolicy;
import io.currents.runtime.apply.Inventory;
import io.currents.runtime.apply.ObjectRef;
import io.currents.runtime.apply.Owner;
import io.currents.runtime.apply.ServerSideApplier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code uninstall --delete-workloads}: deletes each Kustomization's inventory as kustomize-controller does when a
 * Kustomization is deleted (same deletion policy, {@code spec.prune}, owner labels and {@code prune: disabled}
 * rules), except the toolkit's own objects, which the rest of uninstall removes.
 */
final class WorkloadDeletion {

    private final KubernetesClient client;
    private final Progress progress;
    private final boolean dryRun;

    WorkloadDeletion(KubernetesClient client, Progress progress, boolean dryRun) {
        this.client = client;
        this.progress = progress;
        this.dryRun = dryRun;
    }

    void deleteAll() {
        List<GenericKubernetesResource> items;
        try {
            items = client.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization").inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            throw e;
        }
        ServerSideApplier applier = new ServerSideApplier(client, Installer.FIELD_MANAGER);
        for (GenericKubernetesResource item : items) {
            Kustomization k = Serialization.jsonMapper().convertValue(item, Kustomization.class);
            String subject = "Kustomization/" + k.getMetadata().getNamespace() + "/" + k.getMetadata().getName();
            if (k.getSpec() == null || k.getStatus() == null || k.getStatus().getInventory() == null) {
                continue;
            }
            if (k.getSpec().getKubeConfig() != null) {
                progress.warning(subject + " applies to another cluster; its workloads there are kept");
                continue;
            }
            DeletionPolicy policy = DeletionPolicy.orDefault(k.getSpec().getDeletionPolicy());
            boolean prune = Boolean.TRUE.equals(k.getSpec().getPrune());
            if (Boolean.TRUE.equals(k.getSpec().getSuspend()) || !policy.deletes(prune)) {
                progress.warning(subject + " is suspended, orphans or does not prune; its workloads are kept");
                continue;
            }
            Inventory workloads = withoutToolkit(Inventory.from(k.getStatus().getInventory()));
            if (dryRun) {
                workloads.refs().forEach(ref -> progress.success(ref.subject() + " deleted (dry run)"));
                continue;
            }
            Duration timeout = FluxDuration.parseOr(k.getSpec().getTimeout(), FluxDuration.parseOr(k.getSpec().getInterval(), Duration.ofMinutes(5)));
            ChangeSet deleted = applier.finalizeInventory(workloads,
                    Owner.kustomization(k.getMetadata().getName(), k.getMetadata().getNamespace()), policy, prune, timeout);
            deleted.entries().forEach(e -> progress.success(e.toString()));
        }
    }

    /** The entries that are not part of the installation (labelled {@code app.kubernetes.io/part-of=currents}). */
    private Inventory withoutToolkit(Inventory inventory) {
        List<ResourceRef> kept = new ArrayList<>();
        for (Inventory.Entry entry : inventory.entries()) {
            ObjectRef ref = entry.ref();
            GenericKubernetesResource live;
            try {
                var resources = client.genericKubernetesResources(entry.apiVersion(), ref.kind());
                live = ref.namespace() == null || ref.namespace().isEmpty()
                        ? resources.withName(ref.name()).get()
                        : resources.inNamespace(ref.namespace()).withName(ref.name()).get();
            } catch (KubernetesClientException e) {
                live = null;
            }
            boolean toolkit = live != null && live.getMetadata().getLabels() != null
                    && InstallManifests.PART_OF_VALUE.equals(live.getMetadata().getLabels().get(InstallManifests.PART_OF));
            if (!toolkit) {
                kept.add(new ResourceRef(entry.id(), entry.version()));
            }
        }
        ResourceInventory result = new ResourceInventory();
        result.setEntries(kept);
        return Inventory.from(result);
    }
}
