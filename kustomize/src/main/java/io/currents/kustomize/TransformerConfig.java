package io.currents.kustomize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The field specs every built-in transformer uses (kustomize's default transformer configuration),
 * plus whatever a kustomization's {@code configurations} and {@code crds} add.
 */
final class TransformerConfig {
    /** A name-reference rule: objects of type {@code target} are referred to at these field specs. */
    record NameBackRef(Gvk target, List<FieldSpec> referrers) {
    }

    List<FieldSpec> namePrefix = new ArrayList<>();
    List<FieldSpec> nameSuffix = new ArrayList<>();
    List<FieldSpec> namespace = new ArrayList<>();
    List<FieldSpec> commonLabels = new ArrayList<>();
    List<FieldSpec> templateLabels = new ArrayList<>();
    List<FieldSpec> commonAnnotations = new ArrayList<>();
    List<FieldSpec> varReference = new ArrayList<>();
    List<FieldSpec> images = new ArrayList<>();
    List<FieldSpec> replicas = new ArrayList<>();
    List<NameBackRef> nameReference = new ArrayList<>();

    private static final String[] WORKLOADS_WITH_TEMPLATE = {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"};

    static TransformerConfig defaults() {
        TransformerConfig c = new TransformerConfig();
        c.namePrefix.add(FieldSpec.of("metadata/name", false));
        c.nameSuffix.add(FieldSpec.of("metadata/name", false));

        c.namespace.add(FieldSpec.of("metadata/namespace", true));
        c.namespace.add(FieldSpec.of("", "", "Namespace", "metadata/name", true));
        c.namespace.add(FieldSpec.of("", "", "RoleBinding", "subjects/namespace", true));
        c.namespace.add(FieldSpec.of("", "", "ClusterRoleBinding", "subjects/namespace", true));
        c.namespace.add(FieldSpec.of("apiregistration.k8s.io", "", "APIService", "spec/service/namespace", true));
        c.namespace.add(FieldSpec.of("apiextensions.k8s.io", "", "CustomResourceDefinition",
                "spec/conversion/webhook/clientConfig/service/namespace", false));

        // labels on pod templates (and the labels of the objects themselves)
        List<FieldSpec> meta = c.templateLabels;
        meta.add(FieldSpec.of("metadata/labels", true));
        meta.add(FieldSpec.of("", "v1", "ReplicationController", "spec/template/metadata/labels", true));
        meta.add(FieldSpec.of("", "", "Deployment", "spec/template/metadata/labels", true));
        meta.add(FieldSpec.of("", "", "ReplicaSet", "spec/template/metadata/labels", true));
        meta.add(FieldSpec.of("", "", "DaemonSet", "spec/template/metadata/labels", true));
        meta.add(FieldSpec.of("apps", "", "StatefulSet", "spec/template/metadata/labels", true));
        meta.add(FieldSpec.of("apps", "", "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true));
        meta.add(FieldSpec.of("batch", "", "Job", "spec/template/metadata/labels", true));
        meta.add(FieldSpec.of("batch", "", "CronJob", "spec/jobTemplate/metadata/labels", true));
        meta.add(FieldSpec.of("batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/labels", true));

        List<FieldSpec> cl = c.commonLabels;
        cl.add(FieldSpec.of("", "v1", "Service", "spec/selector", true));
        cl.add(FieldSpec.of("", "v1", "ReplicationController", "spec/selector", true));
        cl.add(FieldSpec.of("", "", "Deployment", "spec/selector/matchLabels", true));
        addAffinity(cl, "Deployment");
        cl.add(FieldSpec.of("", "", "ReplicaSet", "spec/selector/matchLabels", true));
        cl.add(FieldSpec.of("", "", "DaemonSet", "spec/selector/matchLabels", true));
        cl.add(FieldSpec.of("apps", "", "StatefulSet", "spec/selector/matchLabels", true));
        addAffinity(cl, "StatefulSet");
        cl.add(FieldSpec.of("batch", "", "Job", "spec/selector/matchLabels", false));
        cl.add(FieldSpec.of("batch", "", "CronJob", "spec/jobTemplate/spec/selector/matchLabels", false));
        cl.add(FieldSpec.of("policy", "", "PodDisruptionBudget", "spec/selector/matchLabels", false));
        cl.add(FieldSpec.of("networking.k8s.io", "", "NetworkPolicy", "spec/podSelector/matchLabels", false));
        cl.add(FieldSpec.of("networking.k8s.io", "", "NetworkPolicy", "spec/ingress/from/podSelector/matchLabels", false));
        cl.add(FieldSpec.of("networking.k8s.io", "", "NetworkPolicy", "spec/egress/to/podSelector/matchLabels", false));
        cl.addAll(meta);

        List<FieldSpec> ca = c.commonAnnotations;
        ca.add(FieldSpec.of("metadata/annotations", true));
        ca.add(FieldSpec.of("", "v1", "ReplicationController", "spec/template/metadata/annotations", true));
        ca.add(FieldSpec.of("", "", "Deployment", "spec/template/metadata/annotations", true));
        ca.add(FieldSpec.of("", "", "ReplicaSet", "spec/template/metadata/annotations", true));
        ca.add(FieldSpec.of("", "", "DaemonSet", "spec/template/metadata/annotations", true));
        ca.add(FieldSpec.of("", "", "StatefulSet", "spec/template/metadata/annotations", true));
        ca.add(FieldSpec.of("batch", "", "Job", "spec/template/metadata/annotations", true));
        ca.add(FieldSpec.of("batch", "", "CronJob", "spec/jobTemplate/metadata/annotations", true));
        ca.add(FieldSpec.of("batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/annotations", true));

        for (String p : new String[] {"spec/containers[]/image", "spec/initContainers[]/image",
                "spec/template/spec/containers[]/image", "spec/template/spec/initContainers[]/image"}) {
            c.images.add(FieldSpec.of(p, true));
        }
        for (String k : new String[] {"Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"}) {
            c.replicas.add(FieldSpec.of("", "", k, "spec/replicas", true));
        }
        addVarReferences(c.varReference);
        addNameReferences(c.nameReference);
        return c;
    }

    private static void addAffinity(List<FieldSpec> cl, String kind) {
        String base = "spec/template/spec/affinity/";
        cl.add(FieldSpec.of("apps", "", kind, base
                + "podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false));
        cl.add(FieldSpec.of("apps", "", kind, base
                + "podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false));
        cl.add(FieldSpec.of("apps", "", kind, base
                + "podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false));
        cl.add(FieldSpec.of("apps", "", kind, base
                + "podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false));
        cl.add(FieldSpec.of("apps", "", kind, "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false));
    }

    private static void addVarReferences(List<FieldSpec> v) {
        String[] podFields = {"containers/args", "containers/command", "containers/env/value",
                "containers/volumeMounts/mountPath", "initContainers/args", "initContainers/command",
                "initContainers/env/value", "initContainers/volumeMounts/mountPath", "volumes/nfs/server"};
        Map<String, String> podSpecs = new java.util.LinkedHashMap<>();
        podSpecs.put("CronJob", "spec/jobTemplate/spec/template/spec/");
        podSpecs.put("DaemonSet", "spec/template/spec/");
        podSpecs.put("Deployment", "spec/template/spec/");
        podSpecs.put("Job", "spec/template/spec/");
        podSpecs.put("Pod", "spec/");
        podSpecs.put("ReplicaSet", "spec/template/spec/");
        for (Map.Entry<String, String> e : podSpecs.entrySet()) {
            for (String f : podFields) {
                v.add(FieldSpec.of("", "", e.getKey(), e.getValue() + f, false));
            }
        }
        v.add(FieldSpec.of("", "", "Ingress", "spec/rules/host", false));
        v.add(FieldSpec.of("", "", "Ingress", "spec/tls/hosts", false));
        v.add(FieldSpec.of("", "", "Ingress", "spec/tls/secretName", false));
        v.add(FieldSpec.of("", "", "Service", "spec/ports/port", false));
        v.add(FieldSpec.of("", "", "Service", "spec/ports/targetPort", false));
        for (String f : podFields) {
            if (!f.startsWith("volumes")) {
                v.add(FieldSpec.of("", "", "StatefulSet", "spec/template/spec/" + f, false));
            }
        }
        v.add(FieldSpec.of("", "", "StatefulSet", "spec/volumeClaimTemplates/spec/nfs/server", false));
        v.add(FieldSpec.of("", "", "PersistentVolume", "spec/nfs/server", false));
        v.add(FieldSpec.of("metadata/labels", false));
        v.add(FieldSpec.of("metadata/annotations", false));
    }

    private static void podRefs(List<FieldSpec> out, String podVersion, String... fields) {
        for (String f : fields) {
            out.add(FieldSpec.of("", podVersion, "Pod", "spec/" + f, false));
        }
        for (String f : fields) {
            out.add(FieldSpec.of("", "", "PodTemplate", "template/spec/" + f, false));
        }
        for (String k : WORKLOADS_WITH_TEMPLATE) {
            for (String f : fields) {
                out.add(FieldSpec.of("", "", k, "spec/template/spec/" + f, false));
            }
        }
        for (String f : fields) {
            out.add(FieldSpec.of("", "", "CronJob", "spec/jobTemplate/spec/template/spec/" + f, false));
        }
    }

    private static void addNameReferences(List<NameBackRef> refs) {
        for (String k : new String[] {"Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"}) {
            refs.add(new NameBackRef(new Gvk("", "", k),
                    List.of(FieldSpec.of("", "", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name", false))));
        }
        List<FieldSpec> cm = new ArrayList<>();
        podRefs(cm, "v1", "volumes/configMap/name", "containers/env/valueFrom/configMapKeyRef/name",
                "initContainers/env/valueFrom/configMapKeyRef/name", "containers/envFrom/configMapRef/name",
                "initContainers/envFrom/configMapRef/name", "volumes/projected/sources/configMap/name");
        cm.add(FieldSpec.of("", "", "Node", "spec/configSource/configMap", false));
        cm.add(FieldSpec.of("", "", "Role", "rules/resourceNames", false));
        cm.add(FieldSpec.of("", "", "ClusterRole", "rules/resourceNames", false));
        cm.add(FieldSpec.of("", "", "Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap", false));
        refs.add(new NameBackRef(new Gvk("", "v1", "ConfigMap"), cm));

        List<FieldSpec> secret = new ArrayList<>();
        podRefs(secret, "v1", "volumes/secret/secretName", "containers/env/valueFrom/secretKeyRef/name",
                "initContainers/env/valueFrom/secretKeyRef/name", "containers/envFrom/secretRef/name",
                "initContainers/envFrom/secretRef/name", "imagePullSecrets/name",
                "volumes/projected/sources/secret/name");
        secret.add(FieldSpec.of("", "", "Ingress", "spec/tls/secretName", false));
        secret.add(FieldSpec.of("", "", "Ingress", "metadata/annotations/ingress.kubernetes.io\\/auth-secret", false));
        secret.add(FieldSpec.of("", "", "Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret", false));
        secret.add(FieldSpec.of("", "", "Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret", false));
        secret.add(FieldSpec.of("", "", "ServiceAccount", "imagePullSecrets/name", false));
        for (String p : new String[] {"secretName", "adminSecretName", "userSecretName", "secretRef"}) {
            secret.add(FieldSpec.of("", "", "StorageClass", "parameters/" + p, false));
        }
        secret.add(FieldSpec.of("", "", "Role", "rules/resourceNames", false));
        secret.add(FieldSpec.of("", "", "ClusterRole", "rules/resourceNames", false));
        secret.add(FieldSpec.of("serving.knative.dev", "v1", "Service", "spec/template/spec/containers/env/valueFrom/secretKeyRef/name", false));
        secret.add(FieldSpec.of("", "", "PersistentVolume", "spec/azureFile/secretName", false));
        refs.add(new NameBackRef(new Gvk("", "v1", "Secret"), secret));

        refs.add(new NameBackRef(new Gvk("", "v1", "Service"), List.of(
                FieldSpec.of("apps", "", "StatefulSet", "spec/serviceName", false),
                FieldSpec.of("", "", "Ingress", "spec/rules/http/paths/backend/serviceName", false),
                FieldSpec.of("", "", "Ingress", "spec/backend/serviceName", false),
                FieldSpec.of("", "", "Ingress", "spec/rules/http/paths/backend/service/name", false),
                FieldSpec.of("", "", "Ingress", "spec/defaultBackend/service/name", false),
                FieldSpec.of("apiregistration.k8s.io", "", "APIService", "spec/service/name", false),
                FieldSpec.of("admissionregistration.k8s.io", "", "ValidatingWebhookConfiguration", "webhooks/clientConfig/service", false),
                FieldSpec.of("admissionregistration.k8s.io", "", "MutatingWebhookConfiguration", "webhooks/clientConfig/service", false))));

        refs.add(new NameBackRef(new Gvk("rbac.authorization.k8s.io", "", "Role"), List.of(
                FieldSpec.of("rbac.authorization.k8s.io", "", "RoleBinding", "roleRef/name", false))));
        refs.add(new NameBackRef(new Gvk("rbac.authorization.k8s.io", "", "ClusterRole"), List.of(
                FieldSpec.of("rbac.authorization.k8s.io", "", "RoleBinding", "roleRef/name", false),
                FieldSpec.of("rbac.authorization.k8s.io", "", "ClusterRoleBinding", "roleRef/name", false))));

        List<FieldSpec> sa = new ArrayList<>();
        sa.add(FieldSpec.of("rbac.authorization.k8s.io", "", "RoleBinding", "subjects", false));
        sa.add(FieldSpec.of("rbac.authorization.k8s.io", "", "ClusterRoleBinding", "subjects", false));
        sa.add(FieldSpec.of("", "", "Pod", "spec/serviceAccountName", false));
        workloadRefs(sa, "serviceAccountName");
        refs.add(new NameBackRef(new Gvk("", "v1", "ServiceAccount"), sa));

        List<FieldSpec> pvc = new ArrayList<>();
        pvc.add(FieldSpec.of("", "", "Pod", "spec/volumes/persistentVolumeClaim/claimName", false));
        workloadRefs(pvc, "volumes/persistentVolumeClaim/claimName");
        refs.add(new NameBackRef(new Gvk("", "v1", "PersistentVolumeClaim"), pvc));

        refs.add(new NameBackRef(new Gvk("", "v1", "PersistentVolume"), List.of(
                FieldSpec.of("", "", "PersistentVolumeClaim", "spec/volumeName", false),
                FieldSpec.of("", "", "ClusterRole", "rules/resourceNames", false))));
        refs.add(new NameBackRef(new Gvk("storage.k8s.io", "v1", "StorageClass"), List.of(
                FieldSpec.of("", "", "PersistentVolume", "spec/storageClassName", false),
                FieldSpec.of("", "", "PersistentVolumeClaim", "spec/storageClassName", false),
                FieldSpec.of("", "", "StatefulSet", "spec/volumeClaimTemplates/spec/storageClassName", false))));

        List<FieldSpec> pc = new ArrayList<>();
        pc.add(FieldSpec.of("", "", "Pod", "spec/priorityClassName", false));
        workloadRefs(pc, "priorityClassName");
        refs.add(new NameBackRef(new Gvk("scheduling.k8s.io", "v1", "PriorityClass"), pc));

        refs.add(new NameBackRef(new Gvk("networking.k8s.io/v1", "v1", "IngressClass"), List.of(
                FieldSpec.of("", "", "Ingress", "spec/ingressClassName", false))));
    }

    private static void workloadRefs(List<FieldSpec> out, String field) {
        out.add(FieldSpec.of("", "", "StatefulSet", "spec/template/spec/" + field, false));
        out.add(FieldSpec.of("", "", "Deployment", "spec/template/spec/" + field, false));
        out.add(FieldSpec.of("", "", "ReplicationController", "spec/template/spec/" + field, false));
        out.add(FieldSpec.of("", "", "CronJob", "spec/jobTemplate/spec/template/spec/" + field, false));
        out.add(FieldSpec.of("", "", "Job", "spec/template/spec/" + field, false));
        out.add(FieldSpec.of("", "", "DaemonSet", "spec/template/spec/" + field, false));
    }

    /** Adds the field specs of another configuration (kustomize's MergeConfig), skipping duplicates. */
    void merge(TransformerConfig o) {
        mergeList(namePrefix, o.namePrefix);
        mergeList(nameSuffix, o.nameSuffix);
        mergeList(namespace, o.namespace);
        mergeList(commonLabels, o.commonLabels);
        mergeList(templateLabels, o.templateLabels);
        mergeList(commonAnnotations, o.commonAnnotations);
        mergeList(varReference, o.varReference);
        mergeList(images, o.images);
        mergeList(replicas, o.replicas);
        for (NameBackRef ref : o.nameReference) {
            boolean merged = false;
            for (int i = 0; i < nameReference.size(); i++) {
                NameBackRef mine = nameReference.get(i);
                if (mine.target().equals(ref.target())) {
                    List<FieldSpec> fs = new ArrayList<>(mine.referrers());
                    mergeList(fs, ref.referrers());
                    nameReference.set(i, new NameBackRef(mine.target(), fs));
                    merged = true;
                    break;
                }
            }
            if (!merged) {
                nameReference.add(ref);
            }
        }
    }

    static void mergeList(List<FieldSpec> into, List<FieldSpec> from) {
        for (FieldSpec f : from) {
            boolean dup = false;
            for (FieldSpec g : into) {
                if (g.gvk().equals(f.gvk()) && g.path().equals(f.path())) {
                    dup = true;
                    break;
                }
            }
            if (!dup) {
                into.add(f);
            }
        }
    }
}
