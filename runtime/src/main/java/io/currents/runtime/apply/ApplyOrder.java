package io.currents.runtime.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The order in which objects are applied (and, reversed, deleted): definitions and namespaces before what
 * lives in them, RBAC and config before workloads, the rest by kind and name, as Flux sorts them.
 */
public final class ApplyOrder {

    private static final List<String> KIND_ORDER = List.of(
            "CustomResourceDefinition", "Namespace", "ResourceQuota", "StorageClass", "ServiceAccount",
            "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap",
            "Secret", "Service", "LimitRange", "PriorityClass", "Deployment", "StatefulSet", "CronJob",
            "PodDisruptionBudget", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");

    /** Sorts objects for applying. */
    public static final Comparator<HasMetadata> OBJECTS = Comparator
            .comparingInt((HasMetadata o) -> rank(o.getKind()))
            .thenComparing(HasMetadata::getKind)
            .thenComparing(o -> nullToEmpty(o.getMetadata().getNamespace()))
            .thenComparing(o -> o.getMetadata().getName());

    /** Sorts references for applying; reverse it for deleting. */
    public static final Comparator<ObjectRef> REFS = Comparator
            .comparingInt((ObjectRef r) -> rank(r.kind()))
            .thenComparing(ObjectRef::kind)
            .thenComparing(ObjectRef::namespace)
            .thenComparing(ObjectRef::name);

    private ApplyOrder() {
    }

    /** Whether two objects come in the same place of the order's kinds (their applies may overlap). */
    public static boolean sameRank(HasMetadata a, HasMetadata b) {
        return rank(a.getKind()) == rank(b.getKind()) && (rank(a.getKind()) < KIND_ORDER.size() || a.getKind().equals(b.getKind()));
    }

    private static int rank(String kind) {
        int i = KIND_ORDER.indexOf(kind);
        return i < 0 ? KIND_ORDER.size() : i;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** CRDs, Namespaces and ClusterRoles: what other objects may need to exist first (Flux's cluster definitions). */
    public static boolean isClusterDefinition(HasMetadata object) {
        String kind = object.getKind().toLowerCase(Locale.ROOT);
        String apiVersion = object.getApiVersion();
        return ("customresourcedefinition".equals(kind) && apiVersion.startsWith("apiextensions.k8s.io/"))
                || ("namespace".equals(kind) && "v1".equals(apiVersion))
                || ("clusterrole".equals(kind) && apiVersion.startsWith("rbac.authorization.k8s.io/"));
    }

    /** StorageClass, IngressClass, PriorityClass, GatewayClass…: applied after definitions, before the rest. */
    public static boolean isClassDefinition(HasMetadata object) {
        return object.getKind().endsWith("Class");
    }
}
