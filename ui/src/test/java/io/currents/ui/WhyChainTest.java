package io.currents.ui;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.currents.ui.UiTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class WhyChainTest extends UiPageTest {

    @Test
    void aKustomizationWhoseGitRepositoryIsNotReadyLeadsToTheSourcesError() {
        String ns = namespace("ui-why-src");
        gitRepository(ns, "repo", "https://git.invalid/repo", readyStatus("False", "GitOperationFailed",
                "failed to checkout and determine revision: unable to clone 'https://git.invalid/repo': dial tcp: lookup git.invalid: no such host"));
        kustomization(ns, "base", "repo", "path: ./",
                readyStatus("False", "ArtifactFailed", "Source artifact not found, retrying in 30s"));
        kustomization(ns, "apps", "repo", "path: ./apps, dependsOn: [{name: base}]",
                readyStatus("False", "DependencyNotReady", "dependency '" + ns + "/base' is not ready"));
        awaitInStore("Kustomization", ns, "apps");
        awaitInStore("GitRepository", ns, "repo");

        String page = get(base, "/objects/Kustomization/" + ns + "/apps/why", TOKEN).body();
        assertThat(page).contains("id=\"why-chain\"");
        String rootCause = page.substring(page.indexOf("id=\"root-cause\""));
        assertThat(rootCause).contains("GitRepository " + ns + "/repo", "GitOperationFailed", "no such host");
        assertThat(page.indexOf("Kustomization " + ns + "/apps")).isLessThan(page.indexOf("GitRepository " + ns + "/repo"));
    }

    @Test
    void aBuildErrorIsTheRootCauseWithTheFileAndLineTheControllerReported() {
        String ns = namespace("ui-why-build");
        gitRepository(ns, "repo", "https://example.invalid/repo",
                readyStatus("True", "Succeeded", "stored artifact for revision 'main@sha1:3333'"));
        String error = "kustomize build failed: apps/deployment.yaml: line 12: mapping values are not allowed in this context";
        kustomization(ns, "apps", "repo", "path: ./apps", readyStatus("False", "BuildFailed", error));
        awaitInStore("Kustomization", ns, "apps");
        awaitInStore("GitRepository", ns, "repo");

        String page = get(base, "/objects/Kustomization/" + ns + "/apps/why", TOKEN).body();
        String rootCause = page.substring(page.indexOf("id=\"root-cause\""));
        assertThat(rootCause).contains("Kustomization " + ns + "/apps", "BuildFailed", "apps/deployment.yaml: line 12");
        assertThat(page).doesNotContain(">GitRepository " + ns + "/repo<");
    }

    @Test
    void aFailingHealthCheckNamesTheObject() {
        String ns = namespace("ui-why-health");
        gitRepository(ns, "repo", "https://example.invalid/repo", readyStatus("True", "Succeeded", "stored artifact"));
        kustomization(ns, "web", "repo", "path: ./web, wait: true", readyStatus("False", "HealthCheckFailed",
                "health check failed after 30s: timeout waiting for: [Deployment/" + ns + "/web status: 'InProgress']"));
        awaitInStore("Kustomization", ns, "web");

        String page = get(base, "/objects/Kustomization/" + ns + "/web/why", TOKEN).body();
        String rootCause = page.substring(page.indexOf("id=\"root-cause\""));
        assertThat(rootCause).contains("Deployment " + ns + "/web", "InProgress");
    }
}
