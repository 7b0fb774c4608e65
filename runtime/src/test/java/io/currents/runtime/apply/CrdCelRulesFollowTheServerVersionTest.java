package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped CRDs carry Flux's CEL rules; applied to a server older than 1.25 they go in without them. */
@org.junit.jupiter.api.Tag(io.currents.testkit.UnitTests.CLUSTER_TAG)
class CrdCelRulesFollowTheServerVersionTest {

    private final ControlPlane plane = ControlPlane.shared();

    @Test
    void aCrdWithCelRulesIsAppliedWithoutThemToAnOldServer() throws Exception {
        GenericKubernetesResource crd;
        try (InputStream in = Files.newInputStream(ControlPlane.projectRoot()
                .resolve("manifests/crds/receivers.notification.toolkit.fluxcd.io.yaml"))) {
            crd = Unstructured.copy(plane.client().load(in).items().getFirst());
        }
        assertThat(Unstructured.toMap(crd).toString()).as("the shipped file").contains("x-kubernetes-validations");
        ServerSideApplier applier = new ServerSideApplier(plane.client(), "currents");

        ChangeSet changes = applier.applyAllStaged(List.of(crd), ApplyOptions.kustomizeController("currents"));

        assertThat(changes.entries()).hasSize(1);
        HasMetadata live = plane.client().apiextensions().v1().customResourceDefinitions()
                .withName("receivers.notification.toolkit.fluxcd.io").get();
        String stored = Unstructured.toMap(live).toString();
        if (plane.supportsValidationRules()) {
            assertThat(stored).contains("x-kubernetes-validations").contains("secretRef is required when type is not generic-oidc");
        } else {
            assertThat(stored).doesNotContain("x-kubernetes-validations");
            // The rest of the schema is all there: a field, its pattern and the list-map keys.
            assertThat(stored).contains("issuerURL").contains("^https?://").contains("x-kubernetes-list-map-keys");
        }
    }

    @Test
    void rulesAreKeptFrom125AndLeftOutBefore() {
        GenericKubernetesResource crd = new GenericKubernetesResource();
        crd.setApiVersion("apiextensions.k8s.io/v1");
        crd.setKind("CustomResourceDefinition");
        crd.setAdditionalProperty("spec", Map.of("versions", List.of(Map.of("schema", Map.of("openAPIV3Schema",
                new java.util.HashMap<>(Map.of("x-kubernetes-validations", List.of(Map.of("rule", "true")))))))));

        assertThat(CrdCompatibility.adapt(crd, version("1", "25"))).isFalse();
        assertThat(CrdCompatibility.adapt(crd, version("1", "30+"))).isFalse();
        assertThat(CrdCompatibility.adapt(crd, version("1", "24"))).isTrue();
        assertThat(Unstructured.toMap(crd).toString()).doesNotContain("x-kubernetes-validations");
    }

    private static VersionInfo version(String major, String minor) {
        return new VersionInfo.Builder().withMajor(major).withMinor(minor).build();
    }
}
