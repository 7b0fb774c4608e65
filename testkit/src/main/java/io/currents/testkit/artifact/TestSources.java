package io.currents.testkit.artifact;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates source objects (GitRepository, OCIRepository, Bucket) whose {@code status.artifact} points at an
 * {@link ArtifactServer}, written through the status subresource as source-controller would, so their
 * consumers can be tested without source-controller.
 */
public final class TestSources {

    public static final String API_VERSION = "source.toolkit.fluxcd.io/v1";

    private final KubernetesClient client;

    public TestSources(KubernetesClient client) {
        this.client = client;
    }

    /** Creates (or replaces the status of) a source of {@code kind} that is Ready with {@code artifact}. */
    public GenericKubernetesResource publish(String kind, String namespace, String name, PublishedArtifact artifact) {
        var resources = client.genericKubernetesResources(API_VERSION, kind).inNamespace(namespace);
        for (int attempt = 1; ; attempt++) {
            try {
                return publishOnce(resources, kind, namespace, name, artifact);
            } catch (KubernetesClientException e) {
                // a controller under test may write the object (a finalizer, an annotation) between our read and
                // our status write: read it again and retry, as any client of the API would
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private GenericKubernetesResource publishOnce(
            io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
                    io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
                    io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> resources,
            String kind, String namespace, String name, PublishedArtifact artifact) {
        GenericKubernetesResource existing = resources.withName(name).get();
        if (existing == null) {
            GenericKubernetesResource source = new GenericKubernetesResource();
            source.setApiVersion(API_VERSION);
            source.setKind(kind);
            source.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
            source.setAdditionalProperty("spec", spec(kind));
            existing = resources.resource(source).create();
        }
        existing.setAdditionalProperty("status", status(existing, artifact));
        return resources.resource(existing).updateStatus();
    }

    /** A GitRepository serving {@code artifact}. */
    public GenericKubernetesResource gitRepository(String namespace, String name, PublishedArtifact artifact) {
        return publish("GitRepository", namespace, name, artifact);
    }

    /** An OCIRepository serving {@code artifact}. */
    public GenericKubernetesResource ociRepository(String namespace, String name, PublishedArtifact artifact) {
        return publish("OCIRepository", namespace, name, artifact);
    }

    /** A HelmChart (of a HelmRepository named {@code charts}) serving {@code artifact}, a packaged chart. */
    public GenericKubernetesResource helmChart(String namespace, String name, PublishedArtifact artifact) {
        return publish("HelmChart", namespace, name, artifact);
    }

    /** A Bucket serving {@code artifact}. */
    public GenericKubernetesResource bucket(String namespace, String name, PublishedArtifact artifact) {
        return publish("Bucket", namespace, name, artifact);
    }

    private static Map<String, Object> spec(String kind) {
        Map<String, Object> spec = new LinkedHashMap<>();
        if (!"ExternalArtifact".equals(kind)) {
            spec.put("interval", "1h");
        }
        switch (kind) {
            case "GitRepository" -> spec.put("url", "https://git.example.invalid/repo.git");
            case "OCIRepository" -> spec.put("url", "oci://registry.example.invalid/repo");
            case "Bucket" -> {
                spec.put("bucketName", "artifacts");
                spec.put("endpoint", "s3.example.invalid");
            }
            case "HelmChart" -> {
                spec.put("chart", "chart");
                spec.put("sourceRef", Map.of("kind", "HelmRepository", "name", "charts"));
            }
            case "ExternalArtifact" -> spec.put("sourceRef", Map.of("apiVersion", "source.extensions.fluxcd.io/v1beta1",
                    "kind", "ArtifactGenerator", "name", "generator"));
            default -> throw new IllegalArgumentException("not a source kind: " + kind);
        }
        return spec;
    }

    private static Map<String, Object> status(GenericKubernetesResource source, PublishedArtifact artifact) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("type", "Ready");
        ready.put("status", "True");
        ready.put("reason", "Succeeded");
        ready.put("message", "stored artifact for revision '" + artifact.revision() + "'");
        ready.put("lastTransitionTime", now);
        ready.put("observedGeneration", source.getMetadata().getGeneration());
        List<Object> conditions = new ArrayList<>();
        conditions.add(ready);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", source.getMetadata().getGeneration());
        status.put("conditions", conditions);
        status.put("artifact", artifact.toStatus());
        return status;
    }
}
