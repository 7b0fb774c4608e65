package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class StagedApplyOfCrdAndCustomResourceTest {

    @Test
    void aCustomResourceIsAppliedInTheSameSetAsItsDefinitionAndNamespace() {
        ControlPlane plane = ControlPlane.shared();
        String suffix = Long.toString(System.nanoTime(), 36);
        String group = "staged" + suffix + ".example.com";
        String ns = "staged-" + suffix;
        GenericKubernetesResource crd = Manifests.yaml("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: widgets.%s
                spec:
                  group: %s
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec:
                              type: object
                              properties:
                                size: {type: integer}
                """.formatted(group, group));
        GenericKubernetesResource namespace = Manifests.yaml("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                """.formatted(ns));
        GenericKubernetesResource widget = Manifests.yaml("""
                apiVersion: %s/v1
                kind: Widget
                metadata: {name: small, namespace: %s}
                spec: {size: 1}
                """.formatted(group, ns));
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");

        // Given in the "wrong" order on purpose: the stages, not the input order, make this work.
        ChangeSet changeSet = applier.applyAllStaged(List.of(widget, namespace, crd), options);

        assertThat(changeSet.toString()).isEqualTo(String.join("\n",
                "CustomResourceDefinition/widgets." + group + " created",
                "Namespace/" + ns + " created",
                "Widget/" + ns + "/small created"));
        assertThat(plane.client().genericKubernetesResources(group + "/v1", "Widget").inNamespace(ns).withName("small").get())
                .isNotNull();
        assertThat(applier.applyAllStaged(List.of(widget, namespace, crd), options).with(Action.UNCHANGED)).hasSize(3);
    }
}
