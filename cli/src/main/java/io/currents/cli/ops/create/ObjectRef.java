package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reference given in flux's {@code [<kind>/]<name>[.<namespace>]} syntax, turned into whichever API type holds
 * kind, name and namespace at that place of the spec.
 */
record ObjectRef(String kind, String name, String namespace) {

    /**
     * Parses {@code value}; {@code defaultKind} applies without a {@code <kind>/} prefix (null: the kind is required).
     *
     * @param flag names the flag in the usage error
     */
    static ObjectRef parse(String value, String defaultKind, String flag) {
        String kind = defaultKind;
        String rest = value;
        int slash = value.indexOf('/');
        if (slash >= 0) {
            kind = value.substring(0, slash);
            rest = value.substring(slash + 1);
        }
        if (kind == null || kind.isEmpty() || rest.isEmpty()) {
            throw new CliException("invalid " + flag + " '" + value + "'; use <kind>/<name>[.<namespace>]", ExitCodes.USAGE);
        }
        int dot = rest.indexOf('.');
        return dot >= 0 ? new ObjectRef(kind, rest.substring(0, dot), rest.substring(dot + 1)) : new ObjectRef(kind, rest, null);
    }

    /**
     * A dependency in {@code <name>[.<namespace>]} form, or with {@code slashNamespace} also {@code <namespace>/<name>}
     * (flux's Kustomization syntax); the kind is null.
     */
    static ObjectRef dependency(String value, boolean slashNamespace) {
        int slash = value.indexOf('/');
        if (slashNamespace && slash >= 0) {
            return new ObjectRef(null, value.substring(slash + 1), value.substring(0, slash));
        }
        int dot = value.indexOf('.');
        return dot >= 0 ? new ObjectRef(null, value.substring(0, dot), value.substring(dot + 1)) : new ObjectRef(null, value, null);
    }

    /** This reference as an instance of the API type {@code type} (which has kind, name and namespace fields). */
    <T> T as(Class<T> type) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (kind != null) {
            fields.put("kind", kind);
        }
        fields.put("name", name);
        if (namespace != null) {
            fields.put("namespace", namespace);
        }
        try {
            return Serialization.jsonMapper().convertValue(fields, type);
        } catch (IllegalArgumentException e) {
            throw new CliException("'" + (kind == null ? "" : kind + "/") + name + (namespace == null ? "" : "." + namespace)
                    + "' does not fit here: a namespace or kind is not allowed", ExitCodes.USAGE, e);
        }
    }
}
