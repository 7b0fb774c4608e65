package io.currents.runtime.cel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CEL expressions evaluate over free-form objects as Flux's healthCheckExprs and readyExpr do. */
class CelExpressionTest {

    private static final Map<String, Object> CERTIFICATE = Map.of(
            "metadata", Map.of("name", "web", "generation", 2, "labels", Map.of("app/version", "v1.2.3")),
            "status", Map.of("observedGeneration", 2, "conditions", List.of(
                    Map.of("type", "Ready", "status", "True", "reason", "Issued"),
                    Map.of("type", "Issuing", "status", "False"))));

    @Test
    void fluxStyleConditionChecksEvaluateOverAnObjectsTopLevelFields() throws Exception {
        assertThat(CelExpression.parse("status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')")
                .evaluateBoolean(CERTIFICATE)).isTrue();
        assertThat(CelExpression.parse("status.conditions.exists(e, e.type == 'Ready' && e.status == 'False')")
                .evaluateBoolean(CERTIFICATE)).isFalse();
        assertThat(CelExpression.parse("metadata.generation == status.observedGeneration").evaluateBoolean(CERTIFICATE))
                .as("ints from JSON compare").isTrue();
        assertThat(CelExpression.parse("status.observedGeneration >= 1.5").evaluateBoolean(CERTIFICATE))
                .as("int and double compare").isTrue();
    }

    @Test
    void selfAndDepAreVariablesOfAReadyExpression() throws Exception {
        CelExpression ready = CelExpression.parse("dep.metadata.labels['app/version'] == self.metadata.labels['app/version']"
                + " && dep.status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')");
        assertThat(ready.evaluateBoolean(Map.of("dep", CERTIFICATE, "self", CERTIFICATE))).isTrue();
        assertThat(ready.evaluateBoolean(Map.of("dep", CERTIFICATE,
                "self", Map.of("metadata", Map.of("labels", Map.of("app/version", "v2")))))).isFalse();
    }

    @Test
    void aReadyConditionIsCompiledAgainstSelfAndDepAndMustBeBoolean() throws Exception {
        CelExpression ready = CelExpression.compileCondition("dep.status.observedGeneration == dep.metadata.generation", "self", "dep");
        assertThat(ready.evaluateBoolean(Map.of("self", Map.of(), "dep", CERTIFICATE))).isTrue();
        assertThatThrownBy(() -> CelExpression.compileCondition("other.status == 'x'", "self", "dep"))
                .isInstanceOf(CelException.class).hasMessageContaining("undeclared reference to 'other'");
        assertThatThrownBy(() -> CelExpression.compileCondition("'a' + 'b'", "self", "dep"))
                .hasMessageContaining("output type mismatch: expected bool, got string");
    }

    @Test
    void aFieldOfUnknownTypeIsCheckedWhenEvaluatedAsFluxDoes() throws Exception {
        // dep.metadata.name is dyn: Flux's WithOutputType lets it compile, and the evaluation decides
        CelExpression name = CelExpression.compileCondition("dep.metadata.name", "self", "dep");
        assertThatThrownBy(() -> name.evaluateBoolean(Map.of("self", Map.of(), "dep", CERTIFICATE)))
                .isInstanceOf(CelException.class).hasMessageContaining("as boolean");
        CelExpression label = CelExpression.compile("dep.metadata.name + '-' + self.kind", CelExpression.Result.STRING, "self", "dep");
        assertThat(label.evaluateString(Map.of("self", Map.of("kind", "Kustomization"), "dep", CERTIFICATE)))
                .isEqualTo(((Map<?, ?>) CERTIFICATE.get("metadata")).get("name") + "-Kustomization");
        assertThatThrownBy(() -> CelExpression.compile("1 + 2", CelExpression.Result.STRING, "event"))
                .hasMessageContaining("output type mismatch: expected string, got int");
        assertThat(CelExpression.compile("{'a': event.x}", CelExpression.Result.ANY, "event").evaluate(Map.of("event", Map.of("x", 1))))
                .isEqualTo(Map.of("a", 1L));
    }

    @Test
    void extensionsAndOptionalFieldsWork() throws Exception {
        assertThat(CelExpression.parse("metadata.name.upperAscii() == 'WEB'").evaluateBoolean(CERTIFICATE)).isTrue();
        assertThat(CelExpression.parse("sets.contains(['a', 'b'], ['a'])").evaluateBoolean(Map.of())).isTrue();
        assertThat(CelExpression.parse("base64.encode(b'hi') == 'aGk='").evaluateBoolean(Map.of())).isTrue();
        assertThat(CelExpression.parse("metadata.?annotations.orValue({}).size() == 0").evaluateBoolean(CERTIFICATE)).isTrue();
        assertThat(CelExpression.parse("has(status.phase)").evaluateBoolean(CERTIFICATE)).isFalse();
    }

    @Test
    void errorsNameTheExpression() throws Exception {
        assertThatThrownBy(() -> CelExpression.parse("status.conditions.filter(e, ")).isInstanceOf(CelException.class)
                .hasMessageContaining("failed to parse the CEL expression");
        assertThatThrownBy(() -> CelExpression.parse("status.phase == 'Ready'").evaluateBoolean(CERTIFICATE))
                .isInstanceOf(CelException.class).hasMessageContaining("failed to evaluate the CEL expression 'status.phase == 'Ready''");
        assertThatThrownBy(() -> CelExpression.parse("metadata.name").evaluateBoolean(CERTIFICATE))
                .hasMessageContaining("as boolean");
    }

    @Test
    void aRunawayComprehensionStops() throws Exception {
        CelExpression huge = CelExpression.parse("[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b,"
                + " [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, true)))))");
        assertThatThrownBy(() -> huge.evaluateBoolean(Map.of())).isInstanceOf(CelException.class);
    }
}
