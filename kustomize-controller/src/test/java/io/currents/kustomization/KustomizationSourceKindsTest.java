package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** sourceRef may name an OCIRepository or a Bucket: their artifact is applied as a GitRepository's is, and a new one is picked up. */
@QuarkusTest
class KustomizationSourceKindsTest {

    @Test
    void anOciRepositoryArtifactIsAppliedAndItsNewDigestFollowed() {
        appliesFromSource("OCIRepository");
    }

    @Test
    void aBucketArtifactIsAppliedAndItsNewDigestFollowed() {
        appliesFromSource("Bucket");
    }

    private static void appliesFromSource(String kind) {
        var s = new KustomizationScenario("ks-" + kind.toLowerCase(java.util.Locale.ROOT));
        String first = s.publish(kind, "manifests", Map.of("deploy/app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "one")));
        s.apply(KustomizationScenario.kustomization("app", "manifests", "deploy", null).replace("kind: GitRepository", "kind: " + kind));

        var k = s.awaitApplied("app", first);
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage()).isEqualTo("Applied revision: " + first);
        assertThat(s.object("v1", "ConfigMap", "app-settings").getAdditionalProperties().get("data")).isEqualTo(Map.of("greeting", "one"));

        // A new artifact of the source is watched and applied without waiting for the interval (10m).
        String second = s.publish(kind, "manifests", Map.of("deploy/app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "two")));
        s.awaitApplied("app", second);
        assertThat(s.object("v1", "ConfigMap", "app-settings").getAdditionalProperties().get("data")).isEqualTo(Map.of("greeting", "two"));
    }
}
