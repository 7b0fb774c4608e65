package io.currents.kustomize;

/** Identifies a resource by type, name and namespace, as kustomize's ResId does. */
record ResId(Gvk gvk, String name, String namespace) {
    ResId {
        name = name == null ? "" : name;
        namespace = namespace == null ? "" : namespace;
    }

    boolean isNsEquals(ResId o) {
        return effectiveNs(namespace).equals(effectiveNs(o.namespace));
    }

    private static String effectiveNs(String ns) {
        return ns.isEmpty() ? "default" : ns;
    }

    /** Same type, same name, same namespace ("" and "default" being the same). */
    boolean matches(ResId o) {
        return isNsEquals(o) && gvk.equals(o.gvk) && name.equals(o.name);
    }

    /** A key equal for ids that {@link #matches} each other. */
    String key() {
        return gvk.group() + "/" + gvk.version() + "/" + gvk.kind() + "|" + name + "|"
                + (namespace.isEmpty() ? "default" : namespace);
    }

    boolean isClusterScoped() {
        return gvk.isClusterScoped();
    }

    String effectiveNamespace() {
        if (gvk.isClusterScoped()) {
            return "_non_namespaceable_";
        }
        return namespace.isEmpty() ? "default" : namespace;
    }

    @Override
    public String toString() {
        return gvk + "/" + (name.isEmpty() ? "[noName]" : name) + "." + (namespace.isEmpty() ? "[noNs]" : namespace);
    }
}
