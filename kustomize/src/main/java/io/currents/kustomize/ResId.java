package io.currents.kustomize;

/** Identifies a resource by type, name and namespace, as kustomize's ResId does. */
record ResId(Gvk gvk, String name, String namespace) {
    ResId {
        name = name == null ? "" : name;
        namespace = namespace == null ? "" : namespace;
    }

    /** kustomize's IsNsEquals: the same effective namespace (cluster-scoped types have none). */
    boolean isNsEquals(ResId o) {
        return effectiveNamespace().equals(o.effectiveNamespace());
    }

    /** Same type, same name, same namespace ("" and "default" being the same). */
    boolean matches(ResId o) {
        return isNsEquals(o) && gvk.equals(o.gvk) && name.equals(o.name);
    }

    /** A key equal for ids that {@link #matches} each other. */
    String key() {
        return gvk.group() + "/" + gvk.version() + "/" + gvk.kind() + "|" + name + "|" + effectiveNamespace();
    }

    boolean isClusterScoped() {
        return gvk.isClusterScoped();
    }

    String effectiveNamespace() {
        if (gvk.isClusterScoped()) {
            return "_non_namespaceable_";
        }
        return namespace.isEmpty() || namespace.equals("default") ? "default" : namespace;
    }

    @Override
    public String toString() {
        return gvk + "/" + (name.isEmpty() ? "[noName]" : name) + "." + (namespace.isEmpty() ? "[noNs]" : namespace);
    }
}
