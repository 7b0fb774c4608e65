package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the {@code ExternalArtifact} feature gate on (as the install sets it beside source-watcher; the test profile
 * does too), sourceRef may name an ExternalArtifact, and a new artifact of it is applied like a new commit.
 */
@QuarkusTest
class KustomizationExternalArtifactTest {

    @Test
    void anExternalArtifactIsAppliedAndItsNextArtifactToo() {
        var s = new KustomizationScenario("ks-external");
        String first = s.publish("ExternalArtifact", "generated", Map.of("deploy/app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "first")));
        s.apply(KustomizationScenario.kustomization("app", "generated", "deploy", null).replace("kind: GitRepository", "kind: ExternalArtifact"));
        s.awaitApplied("app", first);
        assertThat(s.object("v1", "ConfigMap", "app-settings").getAdditionalProperties().get("data").toString()).contains("first");

        String second = s.publish("ExternalArtifact", "generated", Map.of("deploy/app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "second")));
        s.awaitApplied("app", second);
        assertThat(s.object("v1", "ConfigMap", "app-settings").getAdditionalProperties().get("data").toString()).contains("second");
    }
}
