package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class ApplyCreatesThenReportsUnchangedTest {

    @Test
    void secondApplyOfTheSameSetChangesNothing() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("apply-unchanged");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        var objects = Manifests.list(Manifests.configMap(ns, "settings", "color", "blue"), Manifests.deployment(ns, "hello", 0));

        ChangeSet first = applier.applyAllStaged(objects, options);
        assertThat(first).hasToString("ConfigMap/" + ns + "/settings created\nDeployment/" + ns + "/hello created");
        String version = plane.client().configMaps().inNamespace(ns).withName("settings").get().getMetadata().getResourceVersion();

        ChangeSet second = applier.applyAllStaged(objects, options);
        assertThat(second).hasToString("ConfigMap/" + ns + "/settings unchanged\nDeployment/" + ns + "/hello unchanged");
        assertThat(plane.client().configMaps().inNamespace(ns).withName("settings").get().getMetadata().getResourceVersion())
                .isEqualTo(version);
    }
}
