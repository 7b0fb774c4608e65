package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spec.postRenderers} (kustomize patches and image overrides) and {@code spec.commonMetadata} change the rendered
 * objects before Helm applies them; a changed post-renderer upgrades the release; {@code disableHooks} leaves hooks out.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleasePostRenderTest {

    @Test
    void postRendererPatchesImagesAndCommonMetadataAreVisibleInTheLiveObjects() {
        var s = new HelmScenario("hr-postrender");
        s.apply(HelmScenario.helmRelease("app", "web", postRenderSpec("patched")));
        s.publishForRelease("app", webChart("1.0.0"));
        HelmRelease installed = s.awaitReady("app", "InstallSucceeded");

        Deployment deployment = s.client.apps().deployments().inNamespace(s.namespace).withName("app-web").get();
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .isEqualTo("registry.example.com/team/nginx:1.27.1");
        assertThat(deployment.getMetadata().getLabels()).containsEntry("team", "payments");
        ConfigMap config = s.configMap("app-config");
        assertThat(config.getData()).containsEntry("greeting", "patched");
        assertThat(config.getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(config.getMetadata().getAnnotations()).containsEntry("owner", "platform");
        assertThat(installed.getStatus().getObservedPostRenderersDigest()).startsWith("sha256:");
        assertThat(installed.getStatus().getObservedCommonMetadataDigest()).startsWith("sha256:");
        // Helm's record is the post-rendered manifest, under the original chart's name and version.
        assertThat(installed.getStatus().getHistory().getFirst().getChartName()).isEqualTo("web");
        assertThat(installed.getStatus().getHistory().getFirst().getChartVersion()).isEqualTo("1.0.0");

        // Only the post-renderer changes: a new release with the new patch.
        s.edit("app", hr -> {
            hr.getSpec().getPostRenderers().getFirst().getKustomize().getPatches().getFirst()
                    .setPatch(patch("changed"));
            return hr;
        });
        HelmRelease upgraded = s.awaitReady("app", "UpgradeSucceeded");
        assertThat(upgraded.getStatus().getHistory().getFirst().getVersion()).isEqualTo(2);
        assertThat(s.configMap("app-config").getData()).containsEntry("greeting", "changed");
        assertThat(upgraded.getStatus().getObservedPostRenderersDigest()).isNotEqualTo(installed.getStatus().getObservedPostRenderersDigest());
    }

    @Test
    void disableHooksLeavesTheChartsHooksOut() {
        var s = new HelmScenario("hr-nohooks");
        s.apply(HelmScenario.helmRelease("app", "web", """
                install:
                  disableHooks: true
                  disableWait: true
                """));
        var chart = webChart("1.0.0");
        HelmScenario.withTemplate(chart, "hook.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-hook
                  annotations:
                    helm.sh/hook: pre-install,pre-upgrade
                data:
                  ran: "yes"
                """);
        s.publishForRelease("app", chart);
        s.awaitReady("app", "InstallSucceeded");
        assertThat(s.configMap("app-config")).isNotNull();
        assertThat(s.configMap("app-hook")).as("the pre-install hook did not run").isNull();
    }

    @Test
    void hooksArePostRenderedWithTheTemplatesUnlessTheStrategyIsNohooks() {
        var s = new HelmScenario("hr-prstrategy");
        String common = """
                install:
                  disableWait: true
                commonMetadata:
                  labels:
                    team: payments
                """;
        s.apply(HelmScenario.helmRelease("combined", "web", common));
        s.apply(HelmScenario.helmRelease("nohooks", "web", common + "postRenderStrategy: nohooks\n"));
        var chart = HelmScenario.withTemplate(webChart("1.0.0"), "hook.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-hook
                  annotations:
                    helm.sh/hook: post-install
                data:
                  ran: "yes"
                """);
        s.publishForRelease("combined", chart);
        s.publishForRelease("nohooks", chart);
        s.awaitReady("combined", "InstallSucceeded");
        s.awaitReady("nohooks", "InstallSucceeded");

        assertThat(s.configMap("combined-hook").getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(s.configMap("combined-config").getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(s.configMap("nohooks-hook").getMetadata().getLabels()).as("hooks are left alone with nohooks")
                .doesNotContainKey("team");
        assertThat(s.configMap("nohooks-config").getMetadata().getLabels()).containsEntry("team", "payments");
    }

    private static String postRenderSpec(String greeting) {
        return """
                install:
                  disableWait: true
                upgrade:
                  disableWait: true
                commonMetadata:
                  labels:
                    team: payments
                  annotations:
                    owner: platform
                postRenderers:
                  - kustomize:
                      patches:
                        - target:
                            kind: ConfigMap
                            name: app-config
                          patch: |
                %s
                      images:
                        - name: nginx
                          newName: registry.example.com/team/nginx
                          newTag: "1.27.1"
                """.formatted(patch(greeting).indent(16).stripTrailing());
    }

    private static String patch(String greeting) {
        return """
                - op: replace
                  path: /data/greeting
                  value: %s
                """.formatted(greeting);
    }

    /** A chart with a ConfigMap and a zero-replica Deployment of image nginx:1.25. */
    static Map<String, String> webChart(String version) {
        Map<String, String> chart = HelmScenario.configMapChart("web", version);
        HelmScenario.withTemplate(chart, "deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ .Release.Name }}-web
                spec:
                  replicas: 0
                  selector:
                    matchLabels:
                      app: web
                  template:
                    metadata:
                      labels:
                        app: web
                    spec:
                      containers:
                        - name: web
                          image: nginx:1.25
                """);
        return chart;
    }
}
