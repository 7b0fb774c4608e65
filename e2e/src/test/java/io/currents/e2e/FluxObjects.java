package io.currents.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;

/** Reads the Flux objects of a namespace as a user would with {@code kubectl get -o yaml}: conditions, artifact, inventory. */
record FluxObjects(KubernetesClient kube, String namespace) {

    GenericKubernetesResource gitRepository(String name) {
        return get("source.toolkit.fluxcd.io/v1", "GitRepository", name);
    }

    GenericKubernetesResource kustomization(String name) {
        return get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", name);
    }

    GenericKubernetesResource helmRelease(String name) {
        return get("helm.toolkit.fluxcd.io/v2", "HelmRelease", name);
    }

    GenericKubernetesResource get(String apiVersion, String kind, String name) {
        return kube.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
    }

    /** Applies a GitRepository of {@code url}'s main branch and a pruning Kustomization of its {@code path}, both named {@code name}. */
    void applyGitRepositoryAndKustomization(String name, String url, String path, String interval) {
        applyGitRepositoryAndKustomization(name, url, "main", path, interval);
    }

    /** Applies a GitRepository of {@code url}'s {@code branch} and a pruning Kustomization of its {@code path}, both named {@code name}. */
    void applyGitRepositoryAndKustomization(String name, String url, String branch, String path, String interval) {
        kube.resource("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: %1$s
                  namespace: %2$s
                spec:
                  interval: %4$s
                  timeout: 20s
                  url: %3$s
                  ref:
                    branch: %5$s
                """.formatted(name, namespace, url, interval, branch)).serverSideApply();
        applyKustomization(name, "GitRepository", name, path, interval);
    }

    /** Applies a pruning Kustomization {@code name} of {@code path} in the artifact of the source {@code kind}/{@code source}. */
    void applyKustomization(String name, String kind, String source, String path, String interval) {
        kube.resource("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: %1$s
                  namespace: %2$s
                spec:
                  interval: %4$s
                  retryInterval: 5s
                  timeout: 2m
                  sourceRef:
                    kind: %5$s
                    name: %6$s
                  path: %3$s
                  prune: true
                """.formatted(name, namespace, path, interval, kind, source)).serverSideApply();
    }

    /**
     * Sets {@code reconcile.fluxcd.io/requestedAt}, as {@code flux reconcile} does: a merge patch, which does not
     * conflict with the controller writing the object's status at the same moment.
     */
    void requestReconcile(String apiVersion, String kind, String name) {
        kube.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name)
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"" + java.time.Instant.now() + "\"}}}");
    }

    static Map<?, ?> condition(GenericKubernetesResource obj, String type) {
        if (obj == null || !(obj.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !(status.get("conditions") instanceof List<?> conditions)) {
            return Map.of();
        }
        return conditions.stream().filter(c -> c instanceof Map<?, ?> m && type.equals(m.get("type")))
                .map(c -> (Map<?, ?>) c).findFirst().orElse(Map.of());
    }

    static boolean ready(GenericKubernetesResource obj) {
        return "True".equals(condition(obj, "Ready").get("status"));
    }

    /** The Ready condition's reason when it is False, else null. */
    static String notReadyReason(GenericKubernetesResource obj) {
        Map<?, ?> ready = condition(obj, "Ready");
        return "False".equals(ready.get("status")) ? String.valueOf(ready.get("reason")) : null;
    }

    static String string(GenericKubernetesResource obj, String... path) {
        if (obj == null) {
            return null;
        }
        Object value = obj.getAdditionalProperties();
        for (String key : path) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(key);
        }
        return value == null ? null : value.toString();
    }

    /** The inventory's entry ids ({@code <namespace>_<name>_<group>_<kind>}). */
    static List<String> inventory(GenericKubernetesResource kustomization) {
        if (kustomization == null || !(kustomization.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !(status.get("inventory") instanceof Map<?, ?> inventory) || !(inventory.get("entries") instanceof List<?> entries)) {
            return List.of();
        }
        return entries.stream().map(e -> String.valueOf(((Map<?, ?>) e).get("id"))).toList();
    }

    /** Ready, reason and message of the Ready condition, and the revisions: what a failed wait prints. */
    static String describe(GenericKubernetesResource obj) {
        if (obj == null) {
            return "(absent)";
        }
        Map<?, ?> ready = condition(obj, "Ready");
        return obj.getKind() + "/" + obj.getMetadata().getName() + " Ready=" + ready.get("status") + " " + ready.get("reason")
                + " '" + ready.get("message") + "' artifact=" + string(obj, "status", "artifact", "revision")
                + " lastApplied=" + string(obj, "status", "lastAppliedRevision");
    }
}
