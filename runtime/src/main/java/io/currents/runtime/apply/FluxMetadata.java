package io.currents.runtime.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;

/** The labels and annotations through which users steer how kustomize-controller applies and prunes an object. */
public final class FluxMetadata {

    public static final String GROUP = "kustomize.toolkit.fluxcd.io";
    /** {@code Override} (default), {@code Merge}, {@code IfNotPresent} or {@code Ignore}. */
    public static final String SSA = GROUP + "/ssa";
    /** {@code Enabled}: recreate the object when an immutable field changed. */
    public static final String FORCE = GROUP + "/force";
    /** {@code Disabled}: never delete the object when it leaves the set. */
    public static final String PRUNE = GROUP + "/prune";
    /** {@code disabled}: leave the in-cluster object alone. */
    public static final String RECONCILE = GROUP + "/reconcile";

    public static final String MERGE = "Merge";
    public static final String IF_NOT_PRESENT = "IfNotPresent";
    public static final String IGNORE = "Ignore";
    public static final String ENABLED = "Enabled";
    public static final String DISABLED = "Disabled";

    private FluxMetadata() {
    }

    /**
     * True when any pair of {@code selector} is a label or annotation of {@code object}; values compare
     * case-insensitively, as in Flux, so {@code disabled} and {@code Disabled} both count.
     */
    public static boolean anyInMetadata(HasMetadata object, Map<String, String> selector) {
        if (object == null || object.getMetadata() == null) {
            return false;
        }
        Map<String, String> labels = object.getMetadata().getLabels();
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        for (Map.Entry<String, String> pair : selector.entrySet()) {
            if (matches(labels, pair) || matches(annotations, pair)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Map<String, String> values, Map.Entry<String, String> pair) {
        if (values == null) {
            return false;
        }
        String value = values.get(pair.getKey());
        return value != null && !value.isEmpty() && value.equalsIgnoreCase(pair.getValue());
    }
}
