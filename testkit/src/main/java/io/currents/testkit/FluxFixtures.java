package io.currents.testkit;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Toolkit objects written with the status a controller would have given them, for tests and benchmarks of what reads
 * status (the UI, the CLI's tables) without running the controllers: the object is created, then its status
 * subresource is written as Flux's controllers write it (conditions with Flux's reasons, artifact, inventory entries
 * {@code <namespace>_<name>_<group>_<kind>}). Controllers running against the same API server would replace that
 * status with their own: a test with controllers about (the e2e suite's) stops them while it reads the fixtures.
 */
public record FluxFixtures(KubernetesClient kube, String namespace) {

    /** A condition as Flux writes it. */
    public record Condition(String type, String status, String reason, String message) {

        public static Condition ready(String message) {
            return new Condition("Ready", "True", "ReconciliationSucceeded", message);
        }

        public static Condition notReady(String reason, String message) {
            return new Condition("Ready", "False", reason, message);
        }
    }

    /** A GitRepository of {@code url} with its status: an artifact at {@code revision} when ready. */
    public GenericKubernetesResource gitRepository(String name, String url, String revision, Condition... conditions) {
        Map<String, Object> status = status(conditions);
        if (revision != null) {
            status.put("artifact", Map.of("revision", revision, "digest", "sha256:" + "0".repeat(64),
                    "path", "gitrepository/" + namespace + "/" + name + "/artifact.tar.gz",
                    "url", "http://source-controller.currents-system.svc.cluster.local./gitrepository/" + namespace + "/" + name + "/artifact.tar.gz",
                    "lastUpdateTime", Instant.now().toString()));
        }
        return write("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  interval: 1m
                  url: %s
                  ref:
                    branch: main
                """.formatted(name, namespace, url), status);
    }

    /**
     * A Kustomization of the GitRepository {@code source} with its status; {@code inventory} lists the objects it
     * applied (ConfigMaps of this namespace), {@code dependsOn} other Kustomizations of this namespace.
     */
    public GenericKubernetesResource kustomization(String name, String source, String revision, List<String> dependsOn,
                                                   List<String> inventory, Condition... conditions) {
        StringBuilder depends = new StringBuilder();
        if (!dependsOn.isEmpty()) {
            depends.append("  dependsOn:\n");
            dependsOn.forEach(d -> depends.append("    - name: ").append(d).append('\n'));
        }
        Map<String, Object> status = status(conditions);
        if (revision != null) {
            status.put("lastAppliedRevision", revision);
            status.put("lastAttemptedRevision", revision);
        }
        List<Map<String, String>> entries = new ArrayList<>();
        inventory.forEach(cm -> entries.add(Map.of("id", namespace + "_" + cm + "__ConfigMap", "v", "v1")));
        status.put("inventory", Map.of("entries", entries));
        return write("""
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  interval: 10m
                  path: ./apps/%s
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: %s
                %s""".formatted(name, namespace, name, source, depends), status);
    }

    /** ConfigMaps as a Kustomization applies them (the labels kustomize-controller sets). */
    public void configMaps(String owner, List<String> names) {
        for (String name : names) {
            kube.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                    .addToLabels("kustomize.toolkit.fluxcd.io/name", owner)
                    .addToLabels("kustomize.toolkit.fluxcd.io/namespace", namespace).endMetadata()
                    .addToData("owner", owner).build()).serverSideApply();
        }
    }

    private Map<String, Object> status(Condition... conditions) {
        Map<String, Object> status = new LinkedHashMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        String now = Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z");
        for (Condition c : conditions) {
            list.add(Map.of("type", c.type(), "status", c.status(), "reason", c.reason(), "message", c.message(),
                    "lastTransitionTime", now, "observedGeneration", 1));
        }
        status.put("conditions", list);
        status.put("observedGeneration", 1);
        return status;
    }

    private GenericKubernetesResource write(String yaml, Map<String, Object> status) {
        GenericKubernetesResource object = kube.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        GenericKubernetesResource created = kube.resource(object).fieldManager("fixtures").forceConflicts().serverSideApply();
        // a merge patch of the status subresource, not a PUT: a controller watching the namespace may add its
        // finalizer between the apply and this write, and a PUT carrying the applied resourceVersion then fails (409)
        String patch = kube.getKubernetesSerialization().asJson(Map.of("status", status));
        return kube.resource(created).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
}
