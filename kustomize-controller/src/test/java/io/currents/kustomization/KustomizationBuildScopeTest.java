package io.currents.kustomization;

import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a build may read, as Flux builds: remote bases are fetched (the default, no-remote-bases=false), any file
 * inside the artifact may be loaded even outside the kustomization's directory, and nothing outside the artifact;
 * helm charts are not rendered (Flux's kustomize-controller builds without --enable-helm).
 */
@QuarkusTest
@QuarkusTestResource(value = KustomizeControllerTestResource.class, restrictToAnnotatedClass = false)
class KustomizationBuildScopeTest {

    static Path root;
    static TestRepo remote;
    static GitHttpServer git;

    @BeforeAll
    static void startGitServer() throws IOException {
        root = Files.createTempDirectory("ks-remote-base");
        remote = TestRepo.create(root, "platform");
        remote.commit("main", Map.of(
                "base/kustomization.yaml", "resources:\n- settings.yaml\n",
                "base/settings.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: platform-settings
                        data:
                          tier: "remote"
                        """), "platform base");
        git = GitHttpServer.start(root);
    }

    @AfterAll
    static void stopGitServer() {
        git.close();
        remote.close();
    }

    @Test
    void aRemoteBaseIsFetchedAndPatchedByTheOverlay() {
        var s = new KustomizationScenario("ks-remote");
        String revision = s.commit("repo", Map.of("apps/kustomization.yaml", """
                namespace: %s
                resources:
                - %s//base?ref=main
                patches:
                - patch: |
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: platform-settings
                    data:
                      overlay: "applied"
                """.formatted(s.namespace, git.url(remote))));
        s.apply(KustomizationScenario.kustomization("apps", "repo", "apps", null));

        s.awaitApplied("apps", revision);
        assertThat(s.object("v1", "ConfigMap", "platform-settings").getAdditionalProperties().get("data"))
                .isEqualTo(Map.of("tier", "remote", "overlay", "applied"));
    }

    @Test
    void filesOutsideTheKustomizationButInsideTheArtifactAreLoaded() {
        var s = new KustomizationScenario("ks-scope");
        String revision = s.commit("repo", Map.of(
                "common/settings.env", "region=eu-west\n",
                "apps/kustomization.yaml", """
                        namespace: %s
                        configMapGenerator:
                        - name: shared
                          envs:
                          - ../common/settings.env
                        generatorOptions:
                          disableNameSuffixHash: true
                        """.formatted(s.namespace)));
        s.apply(KustomizationScenario.kustomization("apps", "repo", "apps", null));

        s.awaitApplied("apps", revision);
        assertThat(s.object("v1", "ConfigMap", "shared").getAdditionalProperties().get("data"))
                .isEqualTo(Map.of("region", "eu-west"));
    }

    @Test
    void aFileOutsideTheArtifactFailsTheBuildAndAppliesNothing() {
        var s = new KustomizationScenario("ks-escape");
        s.commit("repo", Map.of("apps/kustomization.yaml", """
                namespace: %s
                configMapGenerator:
                - name: stolen
                  files:
                  - ../../../../../../../../etc/hostname
                """.formatted(s.namespace)));
        s.apply(KustomizationScenario.kustomization("apps", "repo", "apps", null));

        var k = s.awaitNotReady("apps", "BuildFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("kustomize build failed").contains("etc/hostname");
        assertThat(s.client.configMaps().inNamespace(s.namespace).list().getItems())
                .noneMatch(cm -> cm.getMetadata().getName().startsWith("stolen"));
    }

    @Test
    void helmChartsAreNotRenderedAsFluxLeavesHelmOff() {
        var s = new KustomizationScenario("ks-helm");
        s.commit("repo", Map.of(
                "apps/kustomization.yaml", """
                        namespace: %s
                        helmCharts:
                        - name: web
                          releaseName: shop
                        """.formatted(s.namespace),
                "apps/charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n",
                "apps/charts/web/templates/cm.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: {{ .Release.Name }}-web
                        """));
        s.apply(KustomizationScenario.kustomization("apps", "repo", "apps", null));

        var k = s.awaitNotReady("apps", "BuildFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("kustomize build failed").contains("must specify --enable-helm");
        assertThat(s.client.configMaps().inNamespace(s.namespace).list().getItems())
                .noneMatch(cm -> cm.getMetadata().getName().equals("shop-web"));
    }
}
