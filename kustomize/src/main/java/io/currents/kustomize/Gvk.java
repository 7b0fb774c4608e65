package io.currents.kustomize;

import java.util.Set;

/** Group, version and kind of a Kubernetes type. */
record Gvk(String group, String version, String kind) {
    Gvk {
        group = group == null ? "" : group;
        version = version == null ? "" : version;
        kind = kind == null ? "" : kind;
    }

    static Gvk of(String apiVersion, String kind) {
        String g = "";
        String v = apiVersion == null ? "" : apiVersion;
        int slash = v.lastIndexOf('/');
        if (slash >= 0) {
            g = v.substring(0, slash);
            v = v.substring(slash + 1);
        }
        return new Gvk(g, v, kind);
    }

    String apiVersion() {
        return group.isEmpty() ? version : version.isEmpty() ? group : group + "/" + version;
    }

    /** Empty selector fields match anything. */
    boolean isSelectedBy(Gvk selector) {
        if (selector == null) {
            return true;
        }
        return (selector.group.isEmpty() || selector.group.equals(group))
                && (selector.version.isEmpty() || selector.version.equals(version))
                && (selector.kind.isEmpty() || selector.kind.equals(kind));
    }

    @Override
    public String toString() {
        return (kind.isEmpty() ? "[noKind]" : kind) + "." + (version.isEmpty() ? "[noVer]" : version) + "."
                + (group.isEmpty() ? "[noGrp]" : group);
    }

    String legacySortString() {
        return (group.isEmpty() ? "~G" : group) + "_" + (version.isEmpty() ? "~V" : version) + "_"
                + (kind.isEmpty() ? "~K" : kind);
    }

    // Types the kustomize v5.5 built-in schema (Kubernetes 1.21) knows to be cluster-scoped.
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "v1/Namespace", "v1/Node", "v1/PersistentVolume", "v1/ComponentStatus",
            "apiextensions.k8s.io/v1/CustomResourceDefinition", "apiextensions.k8s.io/v1beta1/CustomResourceDefinition",
            "apiregistration.k8s.io/v1/APIService", "apiregistration.k8s.io/v1beta1/APIService",
            "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
            "admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration",
            "certificates.k8s.io/v1/CertificateSigningRequest", "certificates.k8s.io/v1beta1/CertificateSigningRequest",
            "flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema",
            "flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration",
            "networking.k8s.io/v1/IngressClass", "networking.k8s.io/v1beta1/IngressClass",
            "node.k8s.io/v1/RuntimeClass", "node.k8s.io/v1beta1/RuntimeClass",
            "policy/v1beta1/PodSecurityPolicy",
            "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1beta1/ClusterRole",
            "rbac.authorization.k8s.io/v1/ClusterRoleBinding", "rbac.authorization.k8s.io/v1beta1/ClusterRoleBinding",
            "scheduling.k8s.io/v1/PriorityClass", "scheduling.k8s.io/v1beta1/PriorityClass",
            "storage.k8s.io/v1/StorageClass", "storage.k8s.io/v1beta1/StorageClass",
            "storage.k8s.io/v1/CSIDriver", "storage.k8s.io/v1beta1/CSIDriver",
            "storage.k8s.io/v1/CSINode", "storage.k8s.io/v1beta1/CSINode",
            "storage.k8s.io/v1/VolumeAttachment", "storage.k8s.io/v1beta1/VolumeAttachment");

    boolean isClusterScoped() {
        return CLUSTER_SCOPED.contains(apiVersion() + "/" + kind);
    }
}
