package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class SsaAnnotationsTest {

    private final ControlPlane plane = ControlPlane.shared();
    private final ServerSideApplier applier = new ServerSideApplier(plane.client(), "kustomize-controller");
    private final ApplyOptions options = ApplyOptions.kustomizeController("kustomize-controller");

    private static GenericKubernetesResource annotated(GenericKubernetesResource object, String key, String value) {
        object.getMetadata().setAnnotations(Map.of(key, value));
        return object;
    }

    private Map<String, String> data(String ns, String name) {
        return plane.client().configMaps().inNamespace(ns).withName(name).get().getData();
    }

    @Test
    void ifNotPresentCreatesButNeverUpdates() {
        String ns = plane.createNamespace("ssa-ifnotpresent");
        var first = annotated(Manifests.configMap(ns, "seed", "password", "initial"), FluxMetadata.SSA, "IfNotPresent");
        assertThat(applier.applyAll(Manifests.list(first), options)).hasToString("ConfigMap/" + ns + "/seed created");

        var second = annotated(Manifests.configMap(ns, "seed", "password", "changed"), FluxMetadata.SSA, "IfNotPresent");
        assertThat(applier.applyAll(Manifests.list(second), options)).hasToString("ConfigMap/" + ns + "/seed skipped");
        assertThat(data(ns, "seed")).containsEntry("password", "initial");
    }

    @Test
    void ignoreAndReconcileDisabledLeaveTheLiveObjectAlone() {
        String ns = plane.createNamespace("ssa-ignore");
        applier.applyAll(Manifests.list(Manifests.configMap(ns, "a", "k", "v1"), Manifests.configMap(ns, "b", "k", "v1")), options);
        // The live object carries the annotation (set by hand), the desired one does not.
        plane.client().configMaps().inNamespace(ns).withName("a")
                .edit(cm -> { cm.getMetadata().setAnnotations(Map.of(FluxMetadata.SSA, "Ignore")); return cm; });
        var b = annotated(Manifests.configMap(ns, "b", "k", "v2"), FluxMetadata.RECONCILE, "disabled");

        ChangeSet changeSet = applier.applyAll(Manifests.list(Manifests.configMap(ns, "a", "k", "v2"), b), options);

        assertThat(changeSet).hasToString("ConfigMap/" + ns + "/a skipped\nConfigMap/" + ns + "/b skipped");
        assertThat(data(ns, "a")).containsEntry("k", "v1");
        assertThat(data(ns, "b")).containsEntry("k", "v1");
    }

    @Test
    void overrideRemovesFieldsAddedWithKubectlButMergeKeepsThem() {
        String ns = plane.createNamespace("ssa-merge");
        applier.applyAll(Manifests.list(Manifests.configMap(ns, "override", "k", "v"),
                annotated(Manifests.configMap(ns, "merge", "k", "v"), FluxMetadata.SSA, "Merge")), options);
        for (String name : new String[] {"override", "merge"}) {
            PatchContext kubectl = PatchContext.of(PatchType.JSON_MERGE);
            kubectl.setFieldManager("kubectl-client-side-apply");
            plane.client().configMaps().inNamespace(ns).withName(name).patch(kubectl, "{\"data\":{\"extra\":\"from-kubectl\"}}");
        }

        ChangeSet changeSet = applier.applyAll(Manifests.list(Manifests.configMap(ns, "override", "k", "v"),
                annotated(Manifests.configMap(ns, "merge", "k", "v"), FluxMetadata.SSA, "Merge")), options);

        assertThat(changeSet.toMap()).containsEntry("ConfigMap/" + ns + "/override", "configured")
                .containsEntry("ConfigMap/" + ns + "/merge", "unchanged");
        assertThat(data(ns, "override")).doesNotContainKey("extra");
        assertThat(data(ns, "merge")).containsEntry("extra", "from-kubectl");
    }
}
