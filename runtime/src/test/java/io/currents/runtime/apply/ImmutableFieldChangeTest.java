package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("cluster")
class ImmutableFieldChangeTest {

    private static GenericKubernetesResource job(String ns, String image, boolean forceAnnotation) {
        return Manifests.yaml("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  namespace: %s
                  annotations: %s
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: migrate
                          image: %s
                """.formatted(ns, forceAnnotation ? "{kustomize.toolkit.fluxcd.io/force: Enabled}" : "{}", image));
    }

    @Test
    void changingAJobTemplateFailsWithoutForceNamingTheObjectAndField() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("immutable-fail");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        applier.applyAll(Manifests.list(job(ns, "busybox:1.35", false)), options);
        String uid = plane.client().batch().v1().jobs().inNamespace(ns).withName("migrate").get().getMetadata().getUid();

        assertThatThrownBy(() -> applier.applyAll(Manifests.list(job(ns, "busybox:1.36", false)), options))
                .isInstanceOf(ApplyException.class)
                .hasMessageStartingWith("Job/" + ns + "/migrate dry-run failed (Invalid): immutable field spec.template changed");
        assertThat(plane.client().batch().v1().jobs().inNamespace(ns).withName("migrate").get().getMetadata().getUid()).isEqualTo(uid);
    }

    @Test
    void forceRecreatesTheJob() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("immutable-force");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        applier.applyAll(Manifests.list(job(ns, "busybox:1.35", false)), options);
        String uid = plane.client().batch().v1().jobs().inNamespace(ns).withName("migrate").get().getMetadata().getUid();

        ChangeSet changeSet = applier.applyAll(Manifests.list(job(ns, "busybox:1.36", false)), options.withForce(true));

        assertThat(changeSet).hasToString("Job/" + ns + "/migrate created");
        var job = plane.client().batch().v1().jobs().inNamespace(ns).withName("migrate").get();
        assertThat(job.getMetadata().getUid()).isNotEqualTo(uid);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.36");
    }

    @Test
    void theForceAnnotationRecreatesOnlyThatObject() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("immutable-annotation");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        applier.applyAll(Manifests.list(job(ns, "busybox:1.35", true)), options);

        ChangeSet changeSet = applier.applyAll(Manifests.list(job(ns, "busybox:1.36", true)), options);

        assertThat(changeSet).hasToString("Job/" + ns + "/migrate created");
    }

    @Test
    void aForcedRecreateWaitsUntilEveryOtherObjectPassedItsDryRun() {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("immutable-set");
        var applier = new ServerSideApplier(plane.client(), "kustomize-controller");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        applier.applyAll(Manifests.list(job(ns, "busybox:1.35", false)), options);
        String uid = plane.client().batch().v1().jobs().inNamespace(ns).withName("migrate").get().getMetadata().getUid();
        // applied after the Job (kinds Flux does not rank go by name), so one at a time would have recreated the Job first
        GenericKubernetesResource invalid = Manifests.yaml("""
                apiVersion: v1
                kind: PodTemplate
                metadata:
                  name: Not_A_Valid_Name
                  namespace: %s
                template:
                  spec:
                    containers:
                      - name: c
                        image: busybox
                """.formatted(ns));

        assertThatThrownBy(() -> applier.applyAll(Manifests.list(job(ns, "busybox:1.36", false), invalid), options.withForce(true)))
                .isInstanceOf(ApplyException.class)
                .hasMessageContaining("PodTemplate/" + ns + "/Not_A_Valid_Name dry-run failed");
        var job = plane.client().batch().v1().jobs().inNamespace(ns).withName("migrate").get();
        assertThat(job.getMetadata().getUid()).isEqualTo(uid);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.35");
    }
}
