package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class ApplyConfiguresChangedFieldsTest {

    @Test
    void aChangedValueIsConfiguredAndOthersStayUnchanged() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("apply-configured");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        applier.applyAll(Manifests.list(Manifests.configMap(ns, "settings", "color", "blue"), Manifests.deployment(ns, "hello", 0)), options);

        ChangeSet changed = applier.applyAll(Manifests.list(
                Manifests.configMap(ns, "settings", "color", "green"), Manifests.deployment(ns, "hello", 0)), options);

        assertThat(changed.toMap()).containsEntry("ConfigMap/" + ns + "/settings", "configured")
                .containsEntry("Deployment/" + ns + "/hello", "unchanged");
        assertThat(plane.client().configMaps().inNamespace(ns).withName("settings").get().getData())
                .containsEntry("color", "green");
    }
}
