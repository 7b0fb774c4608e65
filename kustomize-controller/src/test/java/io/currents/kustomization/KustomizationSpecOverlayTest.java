package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Spec fields overlaid on the kustomization: targetNamespace, namePrefix, images, patches, commonMetadata; deleting with prune removes what was applied. */
@QuarkusTest
class KustomizationSpecOverlayTest {

    @Test
    void specFieldsAreOverlaidOntoTheBuildAndDeletionPrunesTheInventory() {
        var s = new KustomizationScenario("ks-overlay");
        String target = io.currents.testkit.ControlPlane.shared().createNamespace("ks-overlay-target");
        String revision = s.commit("repo", Map.of("app/deploy.yaml",
                KustomizationHealthCheckTest.deployment("web", "ignored", 0),
                "app/kustomization.yaml", "resources:\n  - deploy.yaml\nnamePrefix: app-\n"));
        s.apply(KustomizationScenario.kustomization("app", "repo", "app", """
                targetNamespace: %s
                namePrefix: team-
                images:
                  - name: busybox
                    newTag: "1.37"
                patches:
                  - patch: |
                      - op: add
                        path: /metadata/annotations
                        value: {patched: "yes"}
                    target:
                      kind: Deployment
                commonMetadata:
                  labels:
                    owner: team-a
                """.formatted(target)));
        s.awaitApplied("app", revision);

        var web = s.client.apps().deployments().inNamespace(target).withName("team-app-web").get();
        assertThat(web).isNotNull();
        assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.37");
        assertThat(web.getMetadata().getAnnotations()).containsEntry("patched", "yes");
        assertThat(web.getMetadata().getLabels()).containsEntry("owner", "team-a");
        assertThat(web.getSpec().getSelector().getMatchLabels()).doesNotContainKey("owner");

        s.client.resources(io.currents.api.kustomize.v1.Kustomization.class).inNamespace(s.namespace).withName("app").delete();
        s.client.apps().deployments().inNamespace(target).withName("team-app-web")
                .waitUntilCondition(d -> d == null || d.getMetadata().getDeletionTimestamp() != null, 30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
