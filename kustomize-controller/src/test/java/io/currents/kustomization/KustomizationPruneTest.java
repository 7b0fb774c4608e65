package io.currents.kustomization;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pruning: an object removed from Git is deleted, unless prune is off or the object opts out. */
@QuarkusTest
class KustomizationPruneTest {

    @Test
    void aFileRemovedFromGitIsPruned() {
        var s = new KustomizationScenario("ks-prune");
        String first = s.commit("repo", Map.of(
                "app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello"),
                "extra.yaml", KustomizationScenario.configMap("extra", s.namespace, Map.of("a", "b"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", null));
        s.awaitApplied("app", first);
        assertThat(s.object("v1", "ConfigMap", "extra")).isNotNull();

        String second = s.commit("repo", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello")));
        var k = s.awaitApplied("app", second);
        s.client.configMaps().inNamespace(s.namespace).withName("extra").waitUntilCondition(cm -> cm == null, 30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(k.getStatus().getInventory().getEntries()).noneMatch(e -> e.getId().contains("_extra_"));
        assertThat(s.events("app")).anyMatch(e -> e.getMessage().contains("ConfigMap/" + s.namespace + "/extra deleted"));
    }

    @Test
    void pruneFalseLeavesTheObjectInTheCluster() {
        var s = new KustomizationScenario("ks-noprune");
        String first = s.commit("repo", Map.of(
                "app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello"),
                "extra.yaml", KustomizationScenario.configMap("extra", s.namespace, Map.of("a", "b"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", null).replace("prune: true", "prune: false"));
        s.awaitApplied("app", first);

        String second = s.commit("repo", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello")));
        var k = s.awaitApplied("app", second);
        assertThat(s.object("v1", "ConfigMap", "extra")).isNotNull();
        assertThat(k.getStatus().getInventory().getEntries()).noneMatch(e -> e.getId().contains("_extra_"));
    }
}
