package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input never touches what was applied before: a broken commit, a missing path, a bad digest, a missing source. */
@QuarkusTest
class KustomizationBrokenCommitTest {

    @Test
    void aBrokenCommitLeavesThePreviousObjectsUntouched() {
        var s = new KustomizationScenario("ks-broken");
        String good = s.commit("repo", Map.of(
                "app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello"),
                "extra.yaml", KustomizationScenario.configMap("extra", s.namespace, Map.of("a", "b"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", null));
        s.awaitApplied("app", good);

        // extra.yaml is gone and app.yaml is not YAML: nothing may be pruned or changed.
        s.commit("repo", Map.of("app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [name: oops\n  data: {"));
        var k = s.awaitNotReady("app", "BuildFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage()).contains("app.yaml");
        assertThat(k.getStatus().getLastAppliedRevision()).isEqualTo(good);
        assertThat(k.getStatus().getInventory().getEntries()).anyMatch(e -> e.getId().contains("_extra_"));
        assertThat(s.object("v1", "ConfigMap", "extra")).isNotNull();
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("app-settings").get().getData()).containsEntry("greeting", "hello");
        assertThat(KustomizationScenario.condition(k, "Reconciling").orElseThrow().getReason()).isEqualTo("ProgressingWithRetry");
        assertThat(s.events("app")).anyMatch(e -> "Warning".equals(e.getType()) && "BuildFailed".equals(e.getReason()));
    }

    @Test
    void aMissingPathADigestMismatchAndAMissingSourceAreReportedAsArtifactFailures() {
        var s = new KustomizationScenario("ks-artifact");
        s.commit("repo", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello")));
        s.apply(KustomizationScenario.kustomization("nopath", "repo", "does-not-exist", null));
        var noPath = s.awaitNotReady("nopath", "ArtifactFailed");
        assertThat(KustomizationScenario.condition(noPath, "Ready").orElseThrow().getMessage()).contains("kustomization path not found");

        s.commitWithWrongDigest("tampered", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "evil")));
        s.apply(KustomizationScenario.kustomization("tampered", "tampered", "", null));
        var tampered = s.awaitNotReady("tampered", "ArtifactFailed");
        assertThat(KustomizationScenario.condition(tampered, "Ready").orElseThrow().getMessage()).contains("failed to verify artifact");
        assertThat(s.object("v1", "ConfigMap", "app-settings")).isNull();

        s.apply(KustomizationScenario.kustomization("nosource", "missing", "", null));
        var noSource = s.awaitNotReady("nosource", "ArtifactFailed");
        assertThat(KustomizationScenario.condition(noSource, "Ready").orElseThrow().getMessage())
                .isEqualTo("Source 'GitRepository/" + s.namespace + "/missing' not found");
    }

    @Test
    void anAliasBombIsRefusedAndTheControllerGoesOnWorking() {
        var s = new KustomizationScenario("ks-alias-bomb");
        // 384 bytes that expand to about 4.8 million strings: the controller must refuse, not run out of memory
        s.commit("bomb", Map.of("bomb.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: bomb
                  annotations:
                    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                """));
        s.apply(KustomizationScenario.kustomization("bomb", "bomb", "", null));
        var k = s.awaitNotReady("bomb", "BuildFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("bomb.yaml").contains("excessive aliasing");
        assertThat(s.object("v1", "ConfigMap", "bomb")).isNull();

        String good = s.commit("good", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "after the bomb")));
        s.apply(KustomizationScenario.kustomization("good", "good", "", null));
        s.awaitApplied("good", good);
    }
}
