package io.currents.runtime.health;

import io.currents.api.meta.CustomHealthCheck;
import io.currents.runtime.cel.CelException;
import io.currents.runtime.cel.CelExpression;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code healthCheckExprs} of a Kustomization or HelmRelease: for the kinds they name (or, without a kind,
 * every kind of a group), health is computed from CEL expressions instead of kstatus' built-in rules, in the
 * order of Flux's RFC 0009: a {@code status.observedGeneration} other than {@code metadata.generation} is
 * InProgress; then {@code inProgress} true is InProgress, {@code failed} true is Failed, {@code current} true is
 * Current; otherwise InProgress. The expressions see the object's top-level fields ({@code status},
 * {@code metadata}, {@code spec}, ...) as variables.
 */
public final class CustomHealthChecks {

    private record Evaluator(CelExpression current, CelExpression inProgress, CelExpression failed) {
    }

    private final Map<String, Evaluator> evaluators;

    private CustomHealthChecks(Map<String, Evaluator> evaluators) {
        this.evaluators = evaluators;
    }

    /** No custom checks: every object gets kstatus' rules. */
    public static CustomHealthChecks none() {
        return new CustomHealthChecks(Map.of());
    }

    /**
     * Parses the expressions.
     *
     * @throws CelException when an expression does not parse, {@code current} is missing, or two checks name the
     *                      same group and kind — the message says which, as Flux's does
     */
    public static CustomHealthChecks of(List<CustomHealthCheck> checks) throws CelException {
        Map<String, Evaluator> evaluators = new HashMap<>();
        if (checks == null) {
            return none();
        }
        for (int i = 0; i < checks.size(); i++) {
            CustomHealthCheck check = checks.get(i);
            String key = groupKind(check.getApiVersion(), check.getKind() == null ? "" : check.getKind());
            if (evaluators.containsKey(key)) {
                throw new CelException("duplicate custom health check for GroupKind " + display(key) + " at healthchecks[" + i + "]");
            }
            if (check.getCurrent() == null || check.getCurrent().isEmpty()) {
                throw new CelException("failed to create custom status evaluator for healthchecks[" + i
                        + "]: expression Current not specified");
            }
            try {
                evaluators.put(key, new Evaluator(CelExpression.parse(check.getCurrent()), parseOrNull(check.getInProgress()),
                        parseOrNull(check.getFailed())));
            } catch (CelException e) {
                throw new CelException("failed to create custom status evaluator for healthchecks[" + i + "]: " + e.getMessage(), e);
            }
        }
        return new CustomHealthChecks(evaluators);
    }

    /** Whether objects of this apiVersion and kind are judged by expressions. */
    public boolean covers(String apiVersion, String kind) {
        return evaluator(apiVersion, kind) != null;
    }

    /** The status of an object (its JSON map) by the expressions for its kind, or null when none cover it. */
    public ObjectStatus evaluate(Map<String, Object> object) {
        Evaluator evaluator = evaluator(string(object.get("apiVersion")), string(object.get("kind")));
        if (evaluator == null) {
            return null;
        }
        if (object.get("status") instanceof Map<?, ?> status && status.get("observedGeneration") instanceof Number observed
                && object.get("metadata") instanceof Map<?, ?> metadata && metadata.get("generation") instanceof Number generation
                && observed.longValue() != generation.longValue()) {
            return ObjectStatus.inProgress(object.get("kind") + " generation is " + generation + ", but latest observed generation is "
                    + observed);
        }
        try {
            if (evaluator.inProgress() != null && evaluator.inProgress().evaluateBoolean(object)) {
                return ObjectStatus.inProgress("inProgress expression is true");
            }
            if (evaluator.failed() != null && evaluator.failed().evaluateBoolean(object)) {
                return ObjectStatus.failed("failed expression is true");
            }
            if (evaluator.current().evaluateBoolean(object)) {
                return ObjectStatus.current("current expression is true");
            }
            return ObjectStatus.inProgress("no expression is true yet");
        } catch (CelException e) {
            return new ObjectStatus(Status.UNKNOWN, e.getMessage());
        }
    }

    private Evaluator evaluator(String apiVersion, String kind) {
        Evaluator byKind = evaluators.get(groupKind(apiVersion, kind));
        return byKind != null ? byKind : evaluators.get(groupKind(apiVersion, ""));
    }

    private static CelExpression parseOrNull(String text) throws CelException {
        return text == null || text.isEmpty() ? null : CelExpression.parse(text);
    }

    private static String groupKind(String apiVersion, String kind) {
        String group = apiVersion == null || !apiVersion.contains("/") ? "" : apiVersion.substring(0, apiVersion.indexOf('/'));
        return kind + "." + group;
    }

    private static String display(String key) {
        return key.startsWith(".") ? key.substring(1) : key;
    }

    private static String string(Object value) {
        return value == null ? "" : value.toString();
    }
}
