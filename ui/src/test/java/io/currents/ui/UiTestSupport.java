package io.currents.ui;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Creating Flux objects with a status as their controller would write it, and reading the UI's pages over HTTP. */
final class UiTestSupport {

    static final ResourceDefinitionContext GIT = context("source.toolkit.fluxcd.io", "v1", "GitRepository", "gitrepositories");
    static final ResourceDefinitionContext KS = context("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations");
    static final ResourceDefinitionContext HR = context("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases");

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private UiTestSupport() {
    }

    static KubernetesClient kube() {
        return ControlPlane.shared().client();
    }

    static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind).withPlural(plural)
                .withNamespaced(true).build();
    }

    /** Creates the object from YAML, then writes its status (the status subresource), as a controller would. */
    static GenericKubernetesResource create(ResourceDefinitionContext context, String yaml, String statusYaml) {
        GenericKubernetesResource object = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        GenericKubernetesResource created = kube().genericKubernetesResources(context).resource(object).create();
        if (statusYaml != null) {
            created.setAdditionalProperty("status", Serialization.unmarshal(statusYaml, Map.class));
            created = kube().genericKubernetesResources(context).resource(created).updateStatus();
        }
        return created;
    }

    /** A GitRepository of {@code url}, with {@code statusYaml} written as source-controller would (null: no status). */
    static GenericKubernetesResource gitRepository(String namespace, String name, String url, String statusYaml) {
        return create(GIT, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: %s, namespace: %s}
                spec: {url: "%s", interval: 1m}
                """.formatted(name, namespace, url), statusYaml);
    }

    /**
     * A pruning Kustomization of the GitRepository {@code source}, with the further spec fields {@code spec} (flow-style
     * YAML: {@code "path: ./apps, wait: true"}) and {@code statusYaml} written as kustomize-controller would.
     */
    static GenericKubernetesResource kustomization(String namespace, String name, String source, String spec, String statusYaml) {
        return create(KS, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: %s, namespace: %s}
                spec: {interval: 1m, prune: true, sourceRef: {kind: GitRepository, name: %s}, %s}
                """.formatted(name, namespace, source, spec), statusYaml);
    }

    static String readyStatus(String status, String reason, String message) {
        return "conditions:\n- type: Ready\n  status: \"" + status + "\"\n  reason: " + reason + "\n  message: '" + message.replace("'", "''")
                + "'\n  lastTransitionTime: \"" + Instant.now().toString().replaceAll("\\.\\d+Z", "Z") + "\"\n";
    }

    static HttpResponse<String> get(URI base, String path, String token) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/html")
                .header("Authorization", "Bearer " + token).GET().build());
    }

    static HttpResponse<String> post(URI base, String path, String token, String form) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/html")
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CSRF token of a page's forms. */
    static String csrf(String html) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF token on the page");
        }
        return m.group(1);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
