package io.currents.runtime.substitute;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariableSubstitutionTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
              namespace: ${NAMESPACE:=default}
            spec:
              replicas: ${REPLICAS}
              template:
                spec:
                  containers:
                    - name: app
                      image: "ghcr.io/org/app:${TAG}"
                      args: ["--greeting=$${HOME}", "$HOSTNAME"]
            """;

    @Test
    @SuppressWarnings("unchecked")
    void substitutedNumbersBecomeNumbersAndDefaultsApply() {
        var result = new VariableSubstitution(Map.of("REPLICAS", "3", "TAG", "v1.2.0"), true).apply(yaml(DEPLOYMENT));
        Map<String, Object> spec = (Map<String, Object>) result.get("spec");
        assertThat(spec.get("replicas")).isEqualTo(3);
        assertThat(((Map<String, Object>) result.get("metadata")).get("namespace")).isEqualTo("default");
        var container = (Map<String, Object>) ((java.util.List<Object>) ((Map<String, Object>) ((Map<String, Object>)
                spec.get("template")).get("spec")).get("containers")).get(0);
        assertThat(container.get("image")).isEqualTo("ghcr.io/org/app:v1.2.0");
        assertThat(container.get("args")).isEqualTo(java.util.List.of("--greeting=${HOME}", "$HOSTNAME"));
    }

    @Test
    void strictModeErrorNamesTheObjectAndTheVariable() {
        var substitution = new VariableSubstitution(Map.of("REPLICAS", "3"), true);
        assertThatThrownBy(() -> substitution.apply(yaml(DEPLOYMENT)))
                .isInstanceOf(SubstitutionException.class)
                .hasMessageContaining("Deployment/${NAMESPACE:=default}/app")
                .hasMessageContaining("variable not set (strict mode): \"TAG\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void lenientModeLeavesUndefinedVariablesEmpty() {
        var object = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                data:
                  key: prefix-${UNDEFINED}
                """);
        var result = new VariableSubstitution(Map.of("OTHER", "1"), false).apply(object);
        assertThat(((Map<String, Object>) result.get("data")).get("key")).isEqualTo("prefix-");
    }

    @Test
    void objectsOptedOutByAnnotationOrLabelAreUntouched() {
        for (String where : new String[] {"annotations", "labels"}) {
            var object = yaml("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: script
                      %s:
                        kustomize.toolkit.fluxcd.io/substitute: disabled
                    data:
                      run.sh: echo ${HOME}
                    """.formatted(where));
            var result = new VariableSubstitution(Map.of("HOME", "/root"), true).apply(object);
            assertThat(result).isEqualTo(object);
        }
    }

    @Test
    void invalidVariableNamesAreRejectedAsFluxDoes() {
        assertThatThrownBy(() -> new VariableSubstitution(Map.of("my-var", "x"), false))
                .hasMessage("'my-var' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'");
        assertThatThrownBy(() -> new VariableSubstitution(Map.of("1abc", "x"), false))
                .isInstanceOf(SubstitutionException.class);
        new VariableSubstitution(Map.of("_ok_1", "x"), false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void newlinesInValuesAreDropped() {
        var object = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                data:
                  key: ${VALUE}
                """);
        var result = new VariableSubstitution(Map.of("VALUE", "abc\ndef\n"), true).apply(object);
        assertThat(((Map<String, Object>) result.get("data")).get("key")).isEqualTo("abcdef");
    }

    @Test
    void withoutVariablesNothingIsSubstitutedUnlessTheStrategyIsAlways() {
        Map<String, Object> object = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: defaults}
                data: {region: "${region:=eu-west-3}", zone: "${zone}"}
                """);
        assertThat(new VariableSubstitution(Map.of(), false).apply(object)).isSameAs(object);
        assertThat(new VariableSubstitution(Map.of(), true).apply(object)).as("strict alone does not substitute, as in Flux")
                .isSameAs(object);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) new VariableSubstitution(Map.of(), false, true).apply(object).get("data");
        assertThat(data).containsEntry("region", "eu-west-3").as("an empty plain scalar, as in Flux").containsEntry("zone", null);
    }
}
