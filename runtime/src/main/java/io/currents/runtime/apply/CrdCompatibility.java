package io.currents.runtime.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.VersionInfo;

import java.util.List;
import java.util.Map;

/**
 * Adapts a CustomResourceDefinition to the API server it is applied to. The shipped CRDs carry Flux's
 * CEL admission rules ({@code x-kubernetes-validations}), which Kubernetes enforces from 1.25 (beta, on
 * by default); an older server refuses a server-side apply that contains them ("field not declared in
 * schema"), so there, and only there, they are left out. Nothing else is changed.
 */
public final class CrdCompatibility {

    /** The first Kubernetes minor version (1.x) that validates CRDs with CEL rules by default. */
    public static final int VALIDATION_RULES_SINCE_MINOR = 25;

    private static final String RULES = "x-kubernetes-validations";

    private CrdCompatibility() {
    }

    /** Whether the server knows {@code x-kubernetes-validations}; an unparseable version counts as new. */
    public static boolean supportsValidationRules(VersionInfo server) {
        if (server == null) {
            return true;
        }
        int major = leadingNumber(server.getMajor());
        int minor = leadingNumber(server.getMinor());
        return major < 0 || minor < 0 || major > 1 || minor >= VALIDATION_RULES_SINCE_MINOR;
    }

    /** Whether the object is a CustomResourceDefinition. */
    public static boolean isCrd(GenericKubernetesResource object) {
        return "CustomResourceDefinition".equals(object.getKind())
                && object.getApiVersion() != null && object.getApiVersion().startsWith("apiextensions.k8s.io/");
    }

    /**
     * Removes the CEL rules from a CRD in place when the server does not support them; returns whether
     * anything was removed. Objects other than CRDs are left alone.
     */
    public static boolean adapt(GenericKubernetesResource object, VersionInfo server) {
        if (!isCrd(object) || supportsValidationRules(server) || !(object.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
            return false;
        }
        return removeRules(spec.get("versions"));
    }

    private static boolean removeRules(Object node) {
        boolean removed = false;
        if (node instanceof Map<?, ?> map) {
            if (map.containsKey(RULES)) {
                map.remove(RULES);
                removed = true;
            }
            for (Object value : map.values()) {
                removed |= removeRules(value);
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                removed |= removeRules(item);
            }
        }
        return removed;
    }

    private static int leadingNumber(String text) {
        if (text == null) {
            return -1;
        }
        int end = 0;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == 0 ? -1 : Integer.parseInt(text.substring(0, end));
    }
}
