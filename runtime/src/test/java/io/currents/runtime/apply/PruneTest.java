package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class PruneTest {

    @Test
    void pruneDeletesOnlyOwnedObjectsThatLeftTheSetAndAreNotProtected() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("prune");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        Owner owner = Owner.kustomization("app", "flux-system");

        var kept = owner.label(Manifests.configMap(ns, "kept", "k", "v"));
        var removed = owner.label(Manifests.configMap(ns, "removed", "k", "v"));
        var protectedOne = owner.label(Manifests.configMap(ns, "protected", "k", "v"));
        protectedOne.getMetadata().setAnnotations(Map.of("kustomize.toolkit.fluxcd.io/prune", "Disabled"));
        var adopted = owner.label(Manifests.configMap(ns, "adopted", "k", "v"));
        Inventory previous = Inventory.of(applier.applyAll(List.of(kept, removed, protectedOne, adopted), options));

        // Someone else took "adopted" over: it no longer carries our labels.
        plane.client().configMaps().inNamespace(ns).withName("adopted")
                .edit(cm -> { cm.getMetadata().setLabels(Map.of("team", "other")); return cm; });

        Inventory current = Inventory.of(applier.applyAll(List.of(kept), options));
        ChangeSet pruned = applier.prune(previous, current, owner);

        assertThat(pruned.toMap()).isEqualTo(Map.of(
                "ConfigMap/" + ns + "/removed", "deleted",
                "ConfigMap/" + ns + "/protected", "skipped",
                "ConfigMap/" + ns + "/adopted", "skipped"));
        var names = plane.client().configMaps().inNamespace(ns).list().getItems().stream()
                .map(cm -> cm.getMetadata().getName()).toList();
        assertThat(names).contains("kept", "protected", "adopted").doesNotContain("removed");
    }

    @Test
    void deletingTheKustomizationHonoursTheDeletionPolicy() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("finalize");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        Owner owner = Owner.kustomization("app", "flux-system");
        Inventory inventory = Inventory.of(applier.applyAll(List.of(owner.label(Manifests.configMap(ns, "one", "k", "v"))), options));

        assertThat(applier.finalizeInventory(inventory, owner, DeletionPolicy.ORPHAN, true, java.time.Duration.ofSeconds(10)).isEmpty()).isTrue();
        assertThat(applier.finalizeInventory(inventory, owner, DeletionPolicy.MIRROR_PRUNE, false, java.time.Duration.ofSeconds(10)).isEmpty()).isTrue();
        assertThat(plane.client().configMaps().inNamespace(ns).withName("one").get()).isNotNull();

        ChangeSet deleted = applier.finalizeInventory(inventory, owner, DeletionPolicy.WAIT_FOR_TERMINATION, false, java.time.Duration.ofSeconds(30));

        assertThat(deleted).hasToString("ConfigMap/" + ns + "/one deleted");
        assertThat(plane.client().configMaps().inNamespace(ns).withName("one").get()).isNull();
    }
}
