package io.currents.runtime.cel;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadyExpressionTest {

    private static final Map<String, Object> SELF = Map.of("metadata", Map.of("name", "app", "namespace", "apps"));
    private static final Map<String, Object> DEP = Map.of("metadata", Map.of("name", "db", "namespace", "apps"),
            "status", Map.of("phase", "Running"));

    @Test
    void anExpressionOverSelfAndDepDecidesReadiness() throws CelException {
        assertThat(ReadyExpression.compile("self.metadata.namespace == dep.metadata.namespace").isReady(SELF, DEP)).isTrue();
        assertThat(ReadyExpression.compile("dep.status.phase == 'Pending'").isReady(SELF, DEP)).isFalse();
    }

    @Test
    void noExpressionMeansTheBuiltInCheck() throws CelException {
        assertThat(ReadyExpression.compile(null)).isNull();
        assertThat(ReadyExpression.compile("  ")).isNull();
    }

    @Test
    void aMissingFieldIsAnEvaluationErrorNotAnAnswer() throws CelException {
        ReadyExpression expression = ReadyExpression.compile("dep.spec.replicas == 1");
        assertThatThrownBy(() -> expression.isReady(SELF, DEP)).isInstanceOf(CelException.class);
    }

    @Test
    void aSyntaxErrorAnOtherVariableOrANonBooleanFailsAtCompile() {
        assertThatThrownBy(() -> ReadyExpression.compile("dep.status.(")).isInstanceOf(CelException.class)
                .hasMessageStartingWith("failed to parse readyExpr 'dep.status.('");
        assertThatThrownBy(() -> ReadyExpression.compile("other.ready")).isInstanceOf(CelException.class);
        assertThatThrownBy(() -> ReadyExpression.compile("dep.metadata.name + 'x'")).isInstanceOf(CelException.class);
    }
}
