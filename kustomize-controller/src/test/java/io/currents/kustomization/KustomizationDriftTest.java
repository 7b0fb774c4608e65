package io.currents.kustomization;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Drift correction: what a person changes or deletes by hand is restored on the next reconcile. */
@QuarkusTest
class KustomizationDriftTest {

    @Test
    void aHandEditIsReverted() {
        var s = new KustomizationScenario("ks-drift");
        String revision = s.commit("repo", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello")));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", null));
        s.awaitApplied("app", revision);

        s.client.configMaps().inNamespace(s.namespace).withName("app-settings").edit(cm -> {
            cm.getData().put("greeting", "edited by hand");
            return cm;
        });
        s.reconcileNow("app");
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("app-settings").get().getData())
                .containsEntry("greeting", "hello");
        assertThat(s.events("app")).anyMatch(e -> e.getMessage().contains("ConfigMap/" + s.namespace + "/app-settings configured"));
    }

    @Test
    void aDeletedObjectIsRecreated() {
        var s = new KustomizationScenario("ks-recreate");
        String revision = s.commit("repo", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello")));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", null));
        s.awaitApplied("app", revision);

        s.client.configMaps().inNamespace(s.namespace).withName("app-settings").delete();
        s.reconcileNow("app");
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("app-settings").get()).isNotNull();
    }

    @Test
    void aFieldUnderSpecIgnoreKeepsItsHandEditWhileTheRestIsReverted() {
        var s = new KustomizationScenario("ks-ignore");
        String revision = s.commit("repo", Map.of("app.yaml", KustomizationAppliesCommitTest.app(s.namespace, "hello")));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", """
                ignore:
                  - paths: ["/data/greeting"]
                    target:
                      kind: ConfigMap
                      name: app-settings
                """));
        s.awaitApplied("app", revision);

        s.client.configMaps().inNamespace(s.namespace).withName("app-settings").edit(cm -> {
            cm.getData().put("greeting", "edited by hand");
            return cm;
        });
        s.reconcileNow("app");
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("app-settings").get().getData())
                .containsEntry("greeting", "edited by hand");

        s.client.configMaps().inNamespace(s.namespace).withName("app-settings").delete();
        s.reconcileNow("app");
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("app-settings").get().getData())
                .as("a missing object is created with the declared value")
                .containsEntry("greeting", "hello");
    }
}
