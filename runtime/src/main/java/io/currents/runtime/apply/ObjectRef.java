package io.currents.runtime.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Objects;

/**
 * Identifies a Kubernetes object independent of its API version: group, kind, namespace, name. Renders as
 * Flux's inventory id {@code <namespace>_<name>_<group>_<kind>} (cli-utils ObjMetadata) and as the
 * {@code Kind/namespace/name} subject Flux prints in change sets and messages.
 */
public record ObjectRef(String group, String kind, String namespace, String name) {

    public ObjectRef {
        group = group == null ? "" : group;
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** The reference of an object, taking the group from its apiVersion. */
    public static ObjectRef of(HasMetadata object) {
        return new ObjectRef(groupOf(object.getApiVersion()), object.getKind(),
                object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** Parses an inventory id; names holding ':' (RBAC) were written with '__' in its place. */
    public static ObjectRef parse(String id) {
        int first = id.indexOf('_');
        int last = id.lastIndexOf('_');
        int beforeLast = first < last ? id.lastIndexOf('_', last - 1) : -1;
        if (first < 0 || beforeLast <= first) {
            throw new IllegalArgumentException("not an inventory id (namespace_name_group_kind): " + id);
        }
        String namespace = id.substring(0, first);
        String name = id.substring(first + 1, beforeLast).replace("__", ":");
        String group = id.substring(beforeLast + 1, last);
        String kind = id.substring(last + 1);
        if (name.isEmpty() || kind.isEmpty()) {
            throw new IllegalArgumentException("not an inventory id (namespace_name_group_kind): " + id);
        }
        return new ObjectRef(group, kind, namespace, name);
    }

    /** The group of an apiVersion: empty for the core group ({@code v1}). */
    public static String groupOf(String apiVersion) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** The version of an apiVersion ({@code apps/v1} gives {@code v1}). */
    public static String versionOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    }

    /** The inventory id, {@code <namespace>_<name>_<group>_<kind>}. */
    public String id() {
        return namespace + "_" + name.replace(":", "__") + "_" + group + "_" + kind;
    }

    /** The apiVersion for this object at the given version. */
    public String apiVersion(String version) {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped objects. */
    public String subject() {
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }

    @Override
    public String toString() {
        return subject();
    }
}
