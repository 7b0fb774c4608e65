package io.currents.runtime.options;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A controller's unsupported options are found in the objects that set them, and only those. */
class UnsupportedOptionsTest {

    private static final UnsupportedOptions OPTIONS = UnsupportedOptions.builder()
            .whenTrue("spec.install.disableHooks")
            .whenSet("spec.postRenderers")
            .whenEquals("spec.install.crds", "CreateReplace")
            .whenNotIn("spec.type", Set.of("slack", "generic"))
            .whenSet("spec.dependsOn[].readyExpr")
            .build();

    @Test
    void setFieldsAreNamedInDeclarationOrder() {
        Map<String, Object> object = Map.of("spec", Map.of(
                "install", Map.of("disableHooks", true, "crds", "CreateReplace"),
                "postRenderers", List.of(Map.of("kustomize", Map.of())),
                "type", "googlechat",
                "dependsOn", List.of(Map.of("name", "a"), Map.of("name", "b", "readyExpr", "true"))));
        assertThat(OPTIONS.setIn(object)).containsExactly("spec.install.disableHooks", "spec.postRenderers",
                "spec.install.crds=CreateReplace", "spec.type=googlechat", "spec.dependsOn[].readyExpr");
    }

    @Test
    void defaultsFalseSwitchesEmptyListsAndSupportedValuesAreNotNamed() {
        Map<String, Object> object = Map.of("spec", Map.of(
                "install", Map.of("disableHooks", false, "crds", "Create"),
                "postRenderers", List.of(),
                "type", "slack",
                "dependsOn", List.of(Map.of("name", "a"))));
        assertThat(OPTIONS.setIn(object)).isEmpty();
        assertThat(OPTIONS.setIn(Map.of())).isEmpty();
    }

    @Test
    void theMessageNamesTheControllerAndItsDocs() {
        assertThat(UnsupportedOptions.message(List.of("spec.a"), "helm-controller"))
                .isEqualTo("spec.a is set but not supported by this helm-controller (see docs/helm-controller.md)");
        assertThat(UnsupportedOptions.message(List.of("spec.a", "spec.b"), "helm-controller")).startsWith("spec.a, spec.b are set");
        assertThat(UnsupportedOptions.message(List.of(), "helm-controller")).isNull();
    }
}
