package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sourceRef may name an OCIRepository or a Bucket (both reconciled by Currents' source-controller): their artifacts are
 * applied as a GitRepository's are, and a new one is picked up. A kind no Currents controller writes is refused: its
 * status.artifact is whatever someone with access to the status wrote, never downloaded or applied.
 */
@QuarkusTest
class KustomizationSourceKindsTest {

    @Test
    void anOciRepositoryArtifactIsApplied() {
        var s = new KustomizationScenario("ks-ocirepository");
        s.publish("OCIRepository", "manifests", Map.of("deploy/app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "from-oci")));
        s.apply(KustomizationScenario.kustomization("app", "manifests", "deploy", null).replace("kind: GitRepository", "kind: OCIRepository"));

        s.await("app", k -> KustomizationScenario.condition(k, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
        assertThat(s.object("v1", "ConfigMap", "app-settings")).isNotNull();
    }

    @Test
    void aBucketArtifactIsAppliedAndItsNewDigestFollowed() {
        var s = new KustomizationScenario("ks-bucket");
        String first = s.publish("Bucket", "manifests", Map.of("deploy/app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "one")));
        s.apply(KustomizationScenario.kustomization("app", "manifests", "deploy", null).replace("kind: GitRepository", "kind: Bucket"));

        var k = s.awaitApplied("app", first);
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage()).isEqualTo("Applied revision: " + first);
        assertThat(s.object("v1", "ConfigMap", "app-settings").getAdditionalProperties().get("data")).isEqualTo(Map.of("greeting", "one"));

        // a new artifact of the source is watched and applied without waiting for the interval (10m)
        String second = s.publish("Bucket", "manifests", Map.of("deploy/app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "two")));
        s.awaitApplied("app", second);
        assertThat(s.object("v1", "ConfigMap", "app-settings").getAdditionalProperties().get("data")).isEqualTo(Map.of("greeting", "two"));
    }
}
