package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sourceRef may name an OCIRepository or a Bucket, but no Currents controller reconciles those kinds yet: their
 * status.artifact is whatever someone with access to the status wrote, so it is refused, never downloaded or applied.
 */
@QuarkusTest
class KustomizationSourceKindsTest {

    @Test
    void anOciRepositoryArtifactWrittenByAnyoneIsNotApplied() {
        refusesSource("OCIRepository");
    }

    @Test
    void aBucketArtifactWrittenByAnyoneIsNotApplied() {
        refusesSource("Bucket");
    }

    private static void refusesSource(String kind) {
        var s = new KustomizationScenario("ks-" + kind.toLowerCase(java.util.Locale.ROOT));
        // what a tenant allowed to update the status subresource can do: point status.artifact at its own server
        s.publish(kind, "manifests", Map.of("deploy/app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "forged")));
        s.apply(KustomizationScenario.kustomization("app", "manifests", "deploy", null).replace("kind: GitRepository", "kind: " + kind));

        var k = s.awaitNotReady("app", "ArtifactFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage()).isEqualTo("source '" + kind + "/"
                + s.namespace + "/manifests': no Currents controller reconciles " + kind + ", so its status.artifact is not trusted"
                + " (see docs/security.md)");
        assertThat(KustomizationScenario.condition(k, "Stalled").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(s.object("v1", "ConfigMap", "app-settings")).isNull();
    }
}
