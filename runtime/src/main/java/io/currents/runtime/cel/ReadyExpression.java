package io.currents.runtime.cel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/**
 * A {@code dependsOn[].readyExpr}, as Flux's kustomize- and helm-controller evaluate it: a boolean CEL expression over
 * {@code self} (the dependent object) and {@code dep} (the dependency) that, when set, replaces the built-in
 * readiness check (Flux's behaviour without its {@code AdditiveCELDependencyCheck} gate).
 */
public final class ReadyExpression {

    /** As the API server would serve the object: unset fields absent, not null. */
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final CelExpression expression;

    private ReadyExpression(CelExpression expression) {
        this.expression = expression;
    }

    /**
     * Compiles the expression, or returns null when there is none.
     *
     * @throws CelException when it does not parse, names a variable other than {@code self} and {@code dep}, or is not boolean
     */
    public static ReadyExpression compile(String text) throws CelException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new ReadyExpression(CelExpression.compileCondition(text, "self", "dep"));
        } catch (CelException e) {
            throw new CelException("failed to parse readyExpr '" + text + "': " + e.getMessage(), e);
        }
    }

    /**
     * Whether the dependency is ready; {@code self} and {@code dep} are API objects (typed kinds or maps).
     *
     * @throws CelException when the evaluation fails, e.g. on a field the dependency does not have
     */
    public boolean isReady(Object self, Object dep) throws CelException {
        return expression.evaluateBoolean(Map.of("self", asMap(self), "dep", asMap(dep)));
    }

    private static Map<String, Object> asMap(Object object) {
        return JSON.convertValue(object, new TypeReference<>() {
        });
    }
}
