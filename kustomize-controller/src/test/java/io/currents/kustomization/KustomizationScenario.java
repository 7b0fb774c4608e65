package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.artifact.ArtifactServer;
import io.currents.testkit.artifact.PublishedArtifact;
import io.currents.testkit.artifact.TestSources;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * What the Kustomization behaviour tests do to the cluster and check on it, each in a namespace of its own:
 * publish "commits" as artifacts behind a GitRepository, apply Kustomizations, wait for their conditions.
 */
final class KustomizationScenario {

    private static final ArtifactServer ARTIFACTS = ArtifactServer.start();
    private static final AtomicInteger COMMITS = new AtomicInteger();

    final KubernetesClient client = ControlPlane.shared().client();
    final String namespace;
    final TestSources sources = new TestSources(client);

    KustomizationScenario(String prefix) {
        this.namespace = ControlPlane.shared().createNamespace(prefix);
    }

    private KustomizationScenario(String namespace, boolean fixed) {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .serverSideApply();
        this.namespace = namespace;
    }

    /** A scenario in a namespace of a fixed name (created if missing), for a controller configured to watch only it. */
    static KustomizationScenario inNamespace(String namespace) {
        return new KustomizationScenario(namespace, true);
    }

    /** Publishes the files as a new commit of the GitRepository {@code name} (created on first use); returns the revision. */
    String commit(String repository, Map<String, String> files) {
        int n = COMMITS.incrementAndGet();
        String sha = sha1(namespace + "/" + repository + "/" + n);
        String revision = "main@sha1:" + sha;
        PublishedArtifact artifact = ARTIFACTS.publish("gitrepository/" + namespace + "/" + repository + "/" + sha + ".tar.gz", revision, files);
        sources.gitRepository(namespace, repository, artifact);
        return revision;
    }

    /** Publishes the files as a new artifact of the source {@code kind}/{@code name} (OCIRepository, Bucket, ...); returns the revision. */
    String publish(String kind, String name, Map<String, String> files) {
        int n = COMMITS.incrementAndGet();
        String digest = sha1(namespace + "/" + kind + "/" + name + "/" + n);
        String hex = digest + digest.substring(0, 24);
        // Flux's revision formats: an OCI tag and manifest digest, a Bucket's digest of its object list.
        String revision = "Bucket".equals(kind) ? "sha256:" + hex : "latest@sha256:" + hex;
        PublishedArtifact artifact = ARTIFACTS.publish(kind.toLowerCase(java.util.Locale.ROOT) + "/" + namespace + "/" + name + "/" + digest + ".tar.gz",
                revision, files);
        sources.publish(kind, namespace, name, artifact);
        return revision;
    }

    /** Points the GitRepository at an artifact whose digest does not match what is served. */
    String commitWithWrongDigest(String repository, Map<String, String> files) {
        int n = COMMITS.incrementAndGet();
        String sha = sha1(namespace + "/" + repository + "/" + n);
        String revision = "main@sha1:" + sha;
        PublishedArtifact artifact = ARTIFACTS.publish("gitrepository/" + namespace + "/" + repository + "/" + sha + ".tar.gz", revision, files);
        sources.gitRepository(namespace, repository, artifact.withDigest("sha256:" + "0".repeat(64)));
        return revision;
    }

    Kustomization apply(String yaml) {
        Kustomization k = client.getKubernetesSerialization().unmarshal(yaml, Kustomization.class);
        k.getMetadata().setNamespace(namespace);
        return client.resource(k).create();
    }

    Kustomization get(String name) {
        return client.resources(Kustomization.class).inNamespace(namespace).withName(name).get();
    }

    Kustomization await(String name, Predicate<Kustomization> condition) {
        return await(name, condition, 90);
    }

    Kustomization await(String name, Predicate<Kustomization> condition, int seconds) {
        try {
            return client.resources(Kustomization.class).inNamespace(namespace).withName(name)
                    .waitUntilCondition(k -> k != null && condition.test(k), seconds, TimeUnit.SECONDS);
        } catch (KubernetesClientTimeoutException e) {
            Kustomization last = get(name);
            throw new AssertionError("Kustomization " + namespace + "/" + name + " did not reach the expected state; last seen:\n"
                    + (last == null ? "(gone)" : client.getKubernetesSerialization().asYaml(last)), e);
        }
    }

    /** Waits until the Kustomization is Ready for its generation and has applied {@code revision}. */
    Kustomization awaitApplied(String name, String revision) {
        return await(name, k -> "True".equals(readyStatus(k)) && k.getStatus() != null
                && revision.equals(k.getStatus().getLastAppliedRevision())
                && k.getMetadata().getGeneration().equals(k.getStatus().getObservedGeneration()));
    }

    Kustomization awaitNotReady(String name, String reason) {
        return await(name, k -> "False".equals(readyStatus(k)) && reason.equals(condition(k, "Ready").map(Condition::getReason).orElse("")));
    }

    /** Annotates the Kustomization with a reconcile request and waits until the controller has handled it. */
    Kustomization reconcileNow(String name) {
        String token = Instant.now().toString() + System.nanoTime();
        client.resources(Kustomization.class).inNamespace(namespace).withName(name).edit(k -> {
            k.getMetadata().getAnnotations().put("reconcile.fluxcd.io/requestedAt", token);
            return k;
        });
        return await(name, k -> k.getStatus() != null && token.equals(k.getStatus().getLastHandledReconcileAt()));
    }

    GenericKubernetesResource object(String apiVersion, String kind, String name) {
        return client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
    }

    List<Event> events(String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && "Kustomization".equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    static String readyStatus(Kustomization k) {
        return condition(k, "Ready").map(Condition::getStatus).orElse("");
    }

    static Optional<Condition> condition(Kustomization k, String type) {
        if (k.getStatus() == null || k.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return k.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Kustomization of {@code ./<path>} from the GitRepository {@code repository}. */
    static String kustomization(String name, String repository, String path, String extraSpec) {
        return """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  retryInterval: 2s
                  timeout: 30s
                  path: ./%s
                  prune: true
                  sourceRef:
                    kind: GitRepository
                    name: %s
                %s""".formatted(name, path, repository, extraSpec == null ? "" : extraSpec.indent(2));
    }

    static String configMap(String name, String namespace, Map<String, String> data) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                data:
                """.formatted(name, namespace));
        data.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        return yaml.toString();
    }
}
