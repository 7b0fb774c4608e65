package io.currents.ui;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.ControlPlaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static io.currents.ui.UiTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class WhyChainTest {

    static final String TOKEN = "test-login-token";

    @TestHTTPResource("/")
    URI base;

    @Inject
    ObjectStore store;

    @Test
    void aKustomizationWhoseGitRepositoryIsNotReadyLeadsToTheSourcesError() {
        String ns = ControlPlane.shared().createNamespace("ui-why-src");
        create(GIT, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: repo, namespace: %s}
                spec: {url: "https://git.invalid/repo", interval: 1m}
                """.formatted(ns), readyStatus("False", "GitOperationFailed",
                "failed to checkout and determine revision: unable to clone 'https://git.invalid/repo': dial tcp: lookup git.invalid: no such host"));
        create(KS, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: base, namespace: %s}
                spec: {interval: 1m, path: ./, prune: true, sourceRef: {kind: GitRepository, name: repo}}
                """.formatted(ns), readyStatus("False", "ArtifactFailed", "Source artifact not found, retrying in 30s"));
        create(KS, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: apps, namespace: %s}
                spec: {interval: 1m, path: ./apps, prune: true, dependsOn: [{name: base}], sourceRef: {kind: GitRepository, name: repo}}
                """.formatted(ns), readyStatus("False", "DependencyNotReady", "dependency '" + ns + "/base' is not ready"));
        await(() -> store.summary("Kustomization", ns, "apps").isPresent() && store.summary("GitRepository", ns, "repo").isPresent(),
                "the objects in the store");

        String page = get(base, "/objects/Kustomization/" + ns + "/apps/why", TOKEN).body();
        assertThat(page).contains("id=\"why-chain\"");
        String rootCause = page.substring(page.indexOf("id=\"root-cause\""));
        assertThat(rootCause).contains("GitRepository " + ns + "/repo", "GitOperationFailed", "no such host");
        assertThat(page.indexOf("Kustomization " + ns + "/apps")).isLessThan(page.indexOf("GitRepository " + ns + "/repo"));
    }

    @Test
    void aBuildErrorIsTheRootCauseWithTheFileAndLineTheControllerReported() {
        String ns = ControlPlane.shared().createNamespace("ui-why-build");
        create(GIT, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: repo, namespace: %s}
                spec: {url: "https://example.invalid/repo", interval: 1m}
                """.formatted(ns), readyStatus("True", "Succeeded", "stored artifact for revision 'main@sha1:3333'"));
        String error = "kustomize build failed: apps/deployment.yaml: line 12: mapping values are not allowed in this context";
        create(KS, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: apps, namespace: %s}
                spec: {interval: 1m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: repo}}
                """.formatted(ns), readyStatus("False", "BuildFailed", error));
        await(() -> store.summary("Kustomization", ns, "apps").isPresent() && store.summary("GitRepository", ns, "repo").isPresent(),
                "the objects in the store");

        String page = get(base, "/objects/Kustomization/" + ns + "/apps/why", TOKEN).body();
        String rootCause = page.substring(page.indexOf("id=\"root-cause\""));
        assertThat(rootCause).contains("Kustomization " + ns + "/apps", "BuildFailed", "apps/deployment.yaml: line 12");
        assertThat(page).doesNotContain(">GitRepository " + ns + "/repo<");
    }

    @Test
    void aFailingHealthCheckNamesTheObject() {
        String ns = ControlPlane.shared().createNamespace("ui-why-health");
        create(GIT, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: repo, namespace: %s}
                spec: {url: "https://example.invalid/repo", interval: 1m}
                """.formatted(ns), readyStatus("True", "Succeeded", "stored artifact"));
        create(KS, """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: web, namespace: %s}
                spec: {interval: 1m, path: ./web, prune: true, wait: true, sourceRef: {kind: GitRepository, name: repo}}
                """.formatted(ns), readyStatus("False", "HealthCheckFailed",
                "health check failed after 30s: timeout waiting for: [Deployment/" + ns + "/web status: 'InProgress']"));
        await(() -> store.summary("Kustomization", ns, "web").isPresent(), "the objects in the store");

        String page = get(base, "/objects/Kustomization/" + ns + "/web/why", TOKEN).body();
        String rootCause = page.substring(page.indexOf("id=\"root-cause\""));
        assertThat(rootCause).contains("Deployment " + ns + "/web", "InProgress");
    }
}
