package io.currents.kustomization;

import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What kustomize prints to stderr while building (deprecated fields) reaches the user as a Warning event, once per revision. */
@QuarkusTest
@QuarkusTestResource(value = KustomizeControllerTestResource.class, restrictToAnnotatedClass = false)
class KustomizationBuildNoticesTest {

    private static final String COMMON_LABELS_DEPRECATED = "# Warning: 'commonLabels' is deprecated. Please use 'labels' "
            + "instead. Run 'kustomize edit fix' to update your Kustomization automatically.";

    @Test
    void aDeprecatedFieldIsAnnouncedOncePerRevision() {
        var s = new KustomizationScenario("ks-notices");
        String revision = s.commit("repo", files(s.namespace, "hello"));
        s.apply(KustomizationScenario.kustomization("apps", "repo", "apps", null));
        s.awaitApplied("apps", revision);
        assertThat(s.object("v1", "ConfigMap", "app-settings").getMetadata().getLabels()).containsEntry("team", "web");

        List<Event> notices = notices(s);
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).getType()).isEqualTo("Warning");
        assertThat(notices.get(0).getMessage()).isEqualTo("kustomize build notices:\n" + COMMON_LABELS_DEPRECATED);

        // the same revision again: no second notice
        s.reconcileNow("apps");
        assertThat(notices(s)).hasSize(1);

        // a new revision with the same field is announced again
        String next = s.commit("repo", files(s.namespace, "bonjour"));
        s.awaitApplied("apps", next);
        assertThat(notices(s)).hasSize(2);
    }

    @Test
    void aKustomizationWithoutDeprecatedFieldsHasNoNotice() {
        var s = new KustomizationScenario("ks-no-notices");
        String revision = s.commit("repo", Map.of(
                "apps/kustomization.yaml", "resources:\n- app.yaml\nlabels:\n- pairs:\n    team: web\n",
                "apps/app.yaml", KustomizationScenario.configMap("app-settings", s.namespace, Map.of("greeting", "hi"))));
        s.apply(KustomizationScenario.kustomization("apps", "repo", "apps", null));
        s.awaitApplied("apps", revision);
        assertThat(s.events("apps")).isNotEmpty();
        assertThat(notices(s)).isEmpty();
    }

    private static Map<String, String> files(String namespace, String greeting) {
        return Map.of(
                "apps/kustomization.yaml", "resources:\n- app.yaml\ncommonLabels:\n  team: web\n",
                "apps/app.yaml", KustomizationScenario.configMap("app-settings", namespace, Map.of("greeting", greeting)));
    }

    private static List<Event> notices(KustomizationScenario s) {
        return s.events("apps").stream().filter(e -> "BuildWarning".equals(e.getReason())).toList();
    }
}
