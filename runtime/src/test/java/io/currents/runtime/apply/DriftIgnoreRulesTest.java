package io.currents.runtime.apply;

import io.currents.api.meta.Selector;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fields named by drift ignore rules ({@code spec.ignore}) are neither reported as drift nor reverted: a value
 * another Apply manager owns is left to it, a value changed by an edit is adopted, as Flux resolves them.
 */
@org.junit.jupiter.api.Tag(io.currents.testkit.UnitTests.CLUSTER_TAG)
class DriftIgnoreRulesTest {

    private final ControlPlane plane = ControlPlane.shared();
    private final ServerSideApplier applier = new ServerSideApplier(plane.client(), "kustomize-controller");

    private static IgnoreRules replicasOfDeployments() {
        Selector deployments = new Selector();
        deployments.setKind("Deploy.*");
        return IgnoreRules.of(List.of(new IgnoreRules.Rule(List.of("/spec/replicas"), deployments),
                new IgnoreRules.Rule(List.of("/metadata/annotations/autoscaler.example.com~1last-scale"), null)));
    }

    @Test
    void anEditedIgnoredFieldIsNotDriftAndIsKeptWhenOtherFieldsAreCorrected() {
        String ns = plane.createNamespace("ignore-edit");
        var options = ApplyOptions.kustomizeController("kustomize-controller").withIgnoreRules(replicasOfDeployments());
        applier.applyAll(Manifests.list(Manifests.deployment(ns, "web", 0)), options);
        edit(ns, "web", "{\"spec\":{\"replicas\":2},\"metadata\":{\"annotations\":{\"autoscaler.example.com/last-scale\":\"now\"}}}");

        assertThat(applier.applyAll(Manifests.list(Manifests.deployment(ns, "web", 0)), options))
                .as("only ignored fields differ").hasToString("Deployment/" + ns + "/web unchanged");

        var relabelled = Manifests.deployment(ns, "web", 0);
        relabelled.getMetadata().setLabels(Map.of("tier", "frontend"));
        assertThat(applier.applyAll(Manifests.list(relabelled), options)).hasToString("Deployment/" + ns + "/web configured");
        Deployment live = deployment(ns, "web");
        assertThat(live.getMetadata().getLabels()).containsEntry("tier", "frontend");
        assertThat(live.getSpec().getReplicas()).as("the edited value was adopted, not reverted").isEqualTo(2);
        assertThat(live.getMetadata().getAnnotations()).containsEntry("autoscaler.example.com/last-scale", "now");
    }

    @Test
    void anIgnoredFieldAnotherApplyManagerOwnsIsLeftToIt() {
        String ns = plane.createNamespace("ignore-owner");
        var options = ApplyOptions.kustomizeController("kustomize-controller").withIgnoreRules(replicasOfDeployments());
        applier.applyAll(Manifests.list(Manifests.deployment(ns, "api", 0)), options);
        // An autoscaler that applies its own replica count server-side.
        new ServerSideApplier(plane.client(), "autoscaler").apply(Manifests.yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: %s}
                spec: {replicas: 4}
                """.formatted(ns)), ApplyOptions.kustomizeController("autoscaler"));

        var relabelled = Manifests.deployment(ns, "api", 0);
        relabelled.getMetadata().setLabels(Map.of("tier", "backend"));
        applier.applyAll(Manifests.list(relabelled), options);

        Deployment live = deployment(ns, "api");
        assertThat(live.getSpec().getReplicas()).isEqualTo(4);
        assertThat(live.getMetadata().getManagedFields()).filteredOn(f -> "kustomize-controller".equals(f.getManager()))
                .singleElement().satisfies(f -> assertThat(f.getFieldsV1().getAdditionalProperties().toString())
                        .as("we gave up spec.replicas").doesNotContain("f:replicas"));
    }

    @Test
    void withoutRulesTheSameEditIsReverted() {
        String ns = plane.createNamespace("ignore-none");
        var options = ApplyOptions.kustomizeController("kustomize-controller");
        applier.applyAll(Manifests.list(Manifests.deployment(ns, "web", 0)), options);
        edit(ns, "web", "{\"spec\":{\"replicas\":2}}");
        assertThat(applier.applyAll(Manifests.list(Manifests.deployment(ns, "web", 0)), options)).hasToString("Deployment/" + ns + "/web configured");
        assertThat(deployment(ns, "web").getSpec().getReplicas()).isZero();
    }

    @Test
    void targetsSelectByRegexAndLabelSelector() {
        Selector target = new Selector();
        target.setKind("Config.*");
        target.setLabelSelector("app in (web, api), tier!=db");
        var web = Manifests.configMap("default", "a", "k", "v");
        web.getMetadata().setLabels(Map.of("app", "web"));
        var db = Manifests.configMap("default", "b", "k", "v");
        db.getMetadata().setLabels(Map.of("app", "api", "tier", "db"));
        assertThat(IgnoreRules.matches(target, web)).isTrue();
        assertThat(IgnoreRules.matches(target, db)).isFalse();
        assertThat(IgnoreRules.matches(target, Manifests.deployment("default", "c", 0))).isFalse();
    }

    private void edit(String ns, String name, String mergePatch) {
        PatchContext edit = PatchContext.of(PatchType.JSON_MERGE);
        edit.setFieldManager("hand-edit");
        plane.client().apps().deployments().inNamespace(ns).withName(name).patch(edit, mergePatch);
    }

    private Deployment deployment(String ns, String name) {
        return plane.client().apps().deployments().inNamespace(ns).withName(name).get();
    }
}
