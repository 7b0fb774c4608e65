package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sourceRef names an OCIRepository (its artifact written by Currents' source-controller) or a Bucket, which no Currents
 * controller reconciles yet: a Bucket's status.artifact is whatever someone with access to the status wrote, so it is
 * refused, never downloaded or applied.
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
