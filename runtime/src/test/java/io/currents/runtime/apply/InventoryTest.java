package io.currents.runtime.apply;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryTest {

    @Test
    void idsFollowFluxFormatWithEmptyCoreGroup() {
        assertThat(ObjectRef.of(Manifests.configMap("apps", "settings", "k", "v")).id()).isEqualTo("apps_settings__ConfigMap");
        assertThat(ObjectRef.of(Manifests.deployment("apps", "hello", 1)).id()).isEqualTo("apps_hello_apps_Deployment");
        var role = Manifests.yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: system:reader
                """);
        assertThat(ObjectRef.of(role).id()).isEqualTo("_system__reader_rbac.authorization.k8s.io_ClusterRole");
    }

    @Test
    void idsParseBackIncludingColonNames() {
        for (String id : List.of("apps_settings__ConfigMap", "apps_hello_apps_Deployment",
                "_system__reader_rbac.authorization.k8s.io_ClusterRole", "_apps__Namespace")) {
            assertThat(ObjectRef.parse(id).id()).isEqualTo(id);
        }
        ObjectRef role = ObjectRef.parse("_system__reader_rbac.authorization.k8s.io_ClusterRole");
        assertThat(role).isEqualTo(new ObjectRef("rbac.authorization.k8s.io", "ClusterRole", "", "system:reader"));
        assertThat(role.subject()).isEqualTo("ClusterRole/system:reader");
        assertThatThrownBy(() -> ObjectRef.parse("nonsense")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inventoryOfObjectsRecordsVersions() {
        Inventory inventory = Inventory.ofObjects(List.of(Manifests.deployment("apps", "hello", 1),
                Manifests.configMap("apps", "settings", "k", "v")));
        assertThat(inventory.entries()).containsExactly(
                new Inventory.Entry("apps_hello_apps_Deployment", "v1"),
                new Inventory.Entry("apps_settings__ConfigMap", "v1"));
        assertThat(inventory.entries().get(0).apiVersion()).isEqualTo("apps/v1");
        assertThat(Inventory.from(inventory.toResourceInventory())).isEqualTo(inventory);
    }

    @Test
    void diffListsOnlyObjectsThatLeftTheSet() {
        Inventory previous = Inventory.ofObjects(List.of(Manifests.deployment("apps", "hello", 1),
                Manifests.configMap("apps", "old", "k", "v"), Manifests.configMap("apps", "kept", "k", "v")));
        Inventory current = Inventory.ofObjects(List.of(Manifests.configMap("apps", "kept", "k", "v"),
                Manifests.yaml("""
                        apiVersion: apps/v2
                        kind: Deployment
                        metadata: {name: hello, namespace: apps}
                        """)));
        assertThat(previous.diff(current)).extracting(Inventory.Entry::id).containsExactly("apps_old__ConfigMap");
        assertThat(current.diff(previous)).isEmpty();
        assertThat(Inventory.empty().diff(current)).isEmpty();
    }

    @Test
    void changeSetRendersLikeFlux() {
        ChangeSet changeSet = new ChangeSet();
        changeSet.add(new ChangeSetEntry(ObjectRef.parse("apps_hello_apps_Deployment"), "v1", Action.CONFIGURED));
        changeSet.add(new ChangeSetEntry(ObjectRef.parse("_apps__Namespace"), "v1", Action.CREATED));
        assertThat(changeSet).hasToString("Deployment/apps/hello configured\nNamespace/apps created");
        assertThat(Inventory.of(changeSet).entries()).extracting(Inventory.Entry::id)
                .containsExactly("apps_hello_apps_Deployment", "_apps__Namespace");
    }

    @Test
    void ownerLabelsAreAddedAndRecognised() {
        var object = Owner.kustomization("app", "flux-system").label(Manifests.configMap("apps", "c", "k", "v"));
        assertThat(object.getMetadata().getLabels())
                .containsEntry("kustomize.toolkit.fluxcd.io/name", "app")
                .containsEntry("kustomize.toolkit.fluxcd.io/namespace", "flux-system");
        assertThat(Owner.kustomization("app", "flux-system").owns(object)).isTrue();
        assertThat(Owner.kustomization("other", "flux-system").owns(object)).isFalse();
    }

    @Test
    void deletionPoliciesMirrorFlux() {
        assertThat(DeletionPolicy.of("").deletes(true)).isTrue();
        assertThat(DeletionPolicy.of("MirrorPrune").deletes(false)).isFalse();
        assertThat(DeletionPolicy.of("Delete").deletes(false)).isTrue();
        assertThat(DeletionPolicy.of("WaitForTermination").deletes(false)).isTrue();
        assertThat(DeletionPolicy.of("Orphan").deletes(true)).isFalse();
        assertThat(DeletionPolicy.orDefault("Unknown")).isEqualTo(DeletionPolicy.MIRROR_PRUNE);
    }
}
