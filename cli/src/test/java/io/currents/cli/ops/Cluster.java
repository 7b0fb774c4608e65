package io.currents.cli.ops;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The real API server the behaviour tests run the CLI against (the shared control plane with the Flux CRDs), and
 * helpers to create objects and to write their status as a controller would.
 */
final class Cluster {

    private static volatile boolean crdsApplied;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Cluster() {
    }

    static ControlPlane plane() {
        ControlPlane plane = ControlPlane.shared();
        if (!crdsApplied) {
            synchronized (Cluster.class) {
                if (!crdsApplied) {
                    plane.applyCrds(ControlPlane.projectRoot().resolve("manifests/crds"));
                    crdsApplied = true;
                }
            }
        }
        return plane;
    }

    /**
     * Applies the CRDs again when another test class of this JVM removed them (uninstall tests delete the toolkit
     * CRDs of the shared control plane), waiting for a deletion in progress to finish first.
     */
    private static synchronized void ensureCrds() {
        var crds = plane().client().apiextensions().v1().customResourceDefinitions();
        for (FluxKind kind : FluxKind.values()) {
            String name = kind.plural() + "." + kind.group();
            var crd = crds.withName(name).get();
            if (crd != null && crd.getMetadata().getDeletionTimestamp() == null) {
                continue;
            }
            if (crd != null) {
                crds.withName(name).waitUntilCondition(c -> c == null, 60, java.util.concurrent.TimeUnit.SECONDS);
            }
            plane().applyCrds(ControlPlane.projectRoot().resolve("manifests/crds"));
            return;
        }
    }

    static KubernetesClient client() {
        return plane().client();
    }

    static String namespace(String prefix) {
        ensureCrds();
        return plane().createNamespace(prefix);
    }

    /** Runs the CLI against this cluster in the namespace. */
    static Cli.Run run(String namespace, String... args) {
        return run(new java.io.StringWriter(), namespace, args);
    }

    /** Runs the CLI with stdout going to {@code out} as it is printed. */
    static Cli.Run run(java.io.StringWriter out, String namespace, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--kubeconfig", plane().kubeconfigPath().toString(), "-n", namespace));
        return Cli.run(out, all.toArray(String[]::new));
    }

    /** Creates the object described by the YAML in the namespace. */
    static GenericKubernetesResource create(String namespace, String yaml) {
        GenericKubernetesResource object = SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class);
        object.getMetadata().setNamespace(namespace);
        return client().genericKubernetesResources(object.getApiVersion(), object.getKind()).inNamespace(namespace)
                .resource(object).create();
    }

    static GenericKubernetesResource get(FluxKind kind, String namespace, String name) {
        return FluxObjects.get(client(), kind, namespace, name);
    }

    /** Edits the status subresource, as a controller writes it (retrying on conflicts). */
    static void status(FluxKind kind, String namespace, String name, Consumer<Map<String, Object>> edit) {
        for (int attempt = 0; ; attempt++) {
            GenericKubernetesResource object = get(kind, namespace, name);
            Map<String, Object> status = new LinkedHashMap<>(FluxObjects.status(object));
            edit.accept(status);
            object.getAdditionalProperties().put("status", status);
            try {
                client().genericKubernetesResources(kind.context()).inNamespace(namespace).resource(object).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt > 5) {
                    throw e;
                }
            }
        }
    }

    /** A GitRepository (https://git.example.com/fleet.git, branch main) for the test Kustomizations to point at. */
    static void gitRepository(String namespace, String name) {
        create(namespace, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: %s}
                spec: {url: "https://git.example.com/fleet.git", interval: 1m, ref: {branch: main}}
                """.formatted(name));
    }

    /** A Kustomization of {@code path} in the fleet GitRepository, pruning, every 10 minutes. */
    static void kustomization(String namespace, String name, String path) {
        create(namespace, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: %s}
                spec: {interval: 10m, path: %s, prune: true, sourceRef: {kind: GitRepository, name: fleet}}
                """.formatted(name, path));
    }

    /** The status a source-controller writes with the artifact of a revision: {@code {artifact: ...}}. */
    static Map<String, Object> artifact(String revision) {
        return Map.of("artifact", Map.of("revision", revision, "digest", "sha256:00", "path", "p", "url", "http://x/p",
                "lastUpdateTime", "2026-11-23T10:00:00Z"));
    }

    /** Writes a GitRepository status as source-controller does once it stored the revision's artifact. */
    static void storedArtifact(String namespace, String name, String revision, String readyTime) {
        status(FluxKind.GIT_REPOSITORY, namespace, name, s -> {
            s.putAll(artifact(revision));
            s.put("conditions", List.of(ready("True", "Succeeded", "stored artifact for revision '" + revision + "'", readyTime)));
        });
    }

    /** Writes a Kustomization status as kustomize-controller does once it applied the revision. */
    static void appliedRevision(String namespace, String name, String revision, String readyTime) {
        status(FluxKind.KUSTOMIZATION, namespace, name, s -> {
            s.put("lastAppliedRevision", revision);
            s.put("conditions", List.of(ready("True", "ReconciliationSucceeded", "Applied revision: " + revision, readyTime)));
        });
    }

    static Map<String, Object> ready(String status, String reason, String message, String time) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "Ready");
        c.put("status", status);
        c.put("reason", reason);
        c.put("message", message);
        c.put("lastTransitionTime", time);
        c.put("observedGeneration", 1);
        return c;
    }
}
