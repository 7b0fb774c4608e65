package io.currents.kustomize;

import java.util.List;
import java.util.Set;

/** Group, version and kind of a Kubernetes type. */
final class Gvk {
    private final String group;
    private final String version;
    private final String kind;
    /** Computed on first use, as kyaml computes it when it makes the Gvk (the schema in use may change later). */
    private Boolean clusterScoped;

    Gvk(String group, String version, String kind) {
        this.group = group == null ? "" : group;
        this.version = version == null ? "" : version;
        this.kind = kind == null ? "" : kind;
    }

    String group() {
        return group;
    }

    String version() {
        return version;
    }

    String kind() {
        return kind;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gvk g && g.group.equals(group) && g.version.equals(version) && g.kind.equals(kind);
    }

    @Override
    public int hashCode() {
        return (group.hashCode() * 31 + version.hashCode()) * 31 + kind.hashCode();
    }

    static Gvk of(String apiVersion, String kind) {
        String g = "";
        String v = apiVersion == null ? "" : apiVersion;
        int slash = v.indexOf('/');
        if (slash >= 0) {
            g = v.substring(0, slash);
            v = v.substring(slash + 1);
        }
        return new Gvk(g, v, kind);
    }

    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    private static final List<String> ORDER_FIRST = List.of("Namespace", "ResourceQuota", "StorageClass",
            "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
            "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass",
            "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget");
    private static final List<String> ORDER_LAST = List.of("MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration");

    private static int typeOrder(String kind) {
        int i = ORDER_FIRST.indexOf(kind);
        if (i >= 0) {
            return -ORDER_FIRST.size() + i;
        }
        i = ORDER_LAST.indexOf(kind);
        return i >= 0 ? 1 + i : 0;
    }

    /** kustomize's Gvk.IsLessThan: by the kind's place in the legacy order, then by group, version, kind. */
    boolean isLessThan(Gvk o) {
        int a = typeOrder(kind);
        int b = typeOrder(o.kind);
        if (a != b) {
            return a < b;
        }
        return legacySortString().compareTo(o.legacySortString()) < 0;
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

    // kyaml's precomputed scope of the types of its built-in schema (Kubernetes 1.21): apiVersion/kind
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
            "admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration",
            "apiextensions.k8s.io/v1/CustomResourceDefinition",
            "apiextensions.k8s.io/v1beta1/CustomResourceDefinition", "apiregistration.k8s.io/v1/APIService",
            "apiregistration.k8s.io/v1beta1/APIService", "certificates.k8s.io/v1/CertificateSigningRequest",
            "certificates.k8s.io/v1beta1/CertificateSigningRequest",
            "flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema",
            "flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration", "networking.k8s.io/v1/IngressClass",
            "networking.k8s.io/v1beta1/IngressClass", "node.k8s.io/v1/RuntimeClass",
            "node.k8s.io/v1beta1/RuntimeClass", "policy/v1beta1/PodSecurityPolicy",
            "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
            "rbac.authorization.k8s.io/v1beta1/ClusterRole", "rbac.authorization.k8s.io/v1beta1/ClusterRoleBinding",
            "scheduling.k8s.io/v1/PriorityClass", "scheduling.k8s.io/v1beta1/PriorityClass",
            "storage.k8s.io/v1/CSIDriver", "storage.k8s.io/v1/CSINode", "storage.k8s.io/v1/StorageClass",
            "storage.k8s.io/v1/VolumeAttachment", "storage.k8s.io/v1beta1/CSIDriver",
            "storage.k8s.io/v1beta1/CSINode", "storage.k8s.io/v1beta1/StorageClass",
            "storage.k8s.io/v1beta1/VolumeAttachment", "v1/ComponentStatus", "v1/Namespace", "v1/Node",
            "v1/NodeProxyOptions", "v1/PersistentVolume");
    private static final Set<String> NAMESPACE_SCOPED = Set.of(
            "apps/v1/ControllerRevision", "apps/v1/DaemonSet", "apps/v1/Deployment", "apps/v1/ReplicaSet",
            "apps/v1/StatefulSet", "autoscaling/v1/HorizontalPodAutoscaler", "autoscaling/v1/Scale",
            "autoscaling/v2beta1/HorizontalPodAutoscaler", "autoscaling/v2beta2/HorizontalPodAutoscaler",
            "batch/v1/CronJob", "batch/v1/Job", "batch/v1beta1/CronJob", "coordination.k8s.io/v1/Lease",
            "coordination.k8s.io/v1beta1/Lease", "discovery.k8s.io/v1/EndpointSlice",
            "discovery.k8s.io/v1beta1/EndpointSlice", "events.k8s.io/v1/Event", "events.k8s.io/v1beta1/Event",
            "extensions/v1beta1/Ingress", "networking.k8s.io/v1/Ingress", "networking.k8s.io/v1/NetworkPolicy",
            "networking.k8s.io/v1beta1/Ingress", "policy/v1/PodDisruptionBudget",
            "policy/v1beta1/PodDisruptionBudget", "rbac.authorization.k8s.io/v1/Role",
            "rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1beta1/Role",
            "rbac.authorization.k8s.io/v1beta1/RoleBinding", "storage.k8s.io/v1beta1/CSIStorageCapacity",
            "v1/ConfigMap", "v1/Endpoints", "v1/Event", "v1/LimitRange", "v1/PersistentVolumeClaim", "v1/Pod",
            "v1/PodAttachOptions", "v1/PodExecOptions", "v1/PodPortForwardOptions", "v1/PodProxyOptions",
            "v1/PodTemplate", "v1/ReplicationController", "v1/ResourceQuota", "v1/Secret", "v1/Service",
            "v1/ServiceAccount", "v1/ServiceProxyOptions");

    /** kyaml's IsCertainlyClusterScoped: known, from the precomputed table or the schema in use, to be cluster-scoped. */
    boolean isClusterScoped() {
        Boolean c = clusterScoped;
        if (c == null) {
            String key = apiVersion() + "/" + kind;
            if (CLUSTER_SCOPED.contains(key)) {
                c = true;
            } else if (NAMESPACE_SCOPED.contains(key)) {
                c = false;
            } else {
                c = OpenApi.current().isCertainlyClusterScoped(apiVersion(), kind);
            }
            clusterScoped = c;
        }
        return c;
    }
}
