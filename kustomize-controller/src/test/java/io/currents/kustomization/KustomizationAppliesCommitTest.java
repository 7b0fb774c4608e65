package io.currents.kustomization;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A commit published by the source is built and applied, with Flux's owner labels, inventory and revisions. */
@QuarkusTest
@QuarkusTestResource(value = KustomizeControllerTestResource.class, restrictToAnnotatedClass = false)
class KustomizationAppliesCommitTest {

    @Test
    void aCommitIsAppliedWithOwnerLabelsAndInventory() {
        var s = new KustomizationScenario("ks-apply");
        String revision = s.commit("repo", Map.of("apps/app.yaml", app(s.namespace, "hello")));
        s.apply(KustomizationScenario.kustomization("apps", "repo", "apps", null));

        var k = s.awaitApplied("apps", revision);
        var cm = s.object("v1", "ConfigMap", "app-settings");
        assertThat(cm).isNotNull();
        assertThat(cm.getMetadata().getLabels())
                .containsEntry("kustomize.toolkit.fluxcd.io/name", "apps")
                .containsEntry("kustomize.toolkit.fluxcd.io/namespace", s.namespace);
        assertThat(cm.getMetadata().getManagedFields()).anyMatch(f -> "kustomize-controller".equals(f.getManager()));
        assertThat(k.getStatus().getLastAttemptedRevision()).isEqualTo(revision);
        assertThat(k.getStatus().getInventory().getEntries()).extracting(e -> e.getId() + "@" + e.getVersion())
                .containsExactlyInAnyOrder(s.namespace + "_app__ServiceAccount@v1", s.namespace + "_app-settings__ConfigMap@v1");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage()).isEqualTo("Applied revision: " + revision);
        assertThat(k.getMetadata().getFinalizers()).contains("finalizers.fluxcd.io");
        assertThat(s.events("apps")).anyMatch(e -> e.getMessage().contains("ConfigMap/" + s.namespace + "/app-settings created"));

        // A new commit is picked up by watching the source, without waiting for the interval.
        String next = s.commit("repo", Map.of("apps/app.yaml", app(s.namespace, "bonjour")));
        s.awaitApplied("apps", next);
        assertThat(s.object("v1", "ConfigMap", "app-settings").getAdditionalProperties().get("data"))
                .isEqualTo(Map.of("greeting", "bonjour"));
    }

    static String app(String ns, String cmData) {
        return """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: app
                  namespace: %s
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: app-settings
                  namespace: %s
                data:
                  greeting: "%s"
                """.formatted(ns, ns, cmData);
    }
}
