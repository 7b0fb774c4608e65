package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class ApplyRevertsHandEditsTest {

    @Test
    void aFieldEditedByHandIsSetBackAndReportedConfigured() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("apply-drift");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        var objects = Manifests.list(Manifests.deployment(ns, "hello", 0));
        applier.applyAll(objects, options);

        // What `kubectl edit` / `kubectl scale` would do: an Update by another field manager.
        PatchContext edit = PatchContext.of(PatchType.JSON_MERGE);
        edit.setFieldManager("kubectl-edit");
        plane.client().apps().deployments().inNamespace(ns).withName("hello").patch(edit, "{\"spec\":{\"replicas\":3}}");
        assertThat(plane.client().apps().deployments().inNamespace(ns).withName("hello").get().getSpec().getReplicas()).isEqualTo(3);

        ChangeSet reverted = applier.applyAll(objects, options);

        assertThat(reverted).hasToString("Deployment/" + ns + "/hello configured");
        assertThat(plane.client().apps().deployments().inNamespace(ns).withName("hello").get().getSpec().getReplicas()).isZero();
    }
}
