package io.currents.kustomization;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Post-build substitution: variables from a ConfigMap and inline, defaults, escapes and the per-object opt-out. */
@QuarkusTest
class KustomizationSubstitutionTest {

    @Test
    void variablesFromAConfigMapAreSubstituted() {
        var s = new KustomizationScenario("ks-subst");
        s.client.configMaps().inNamespace(s.namespace).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("cluster-vars").endMetadata()
                .addToData("CLUSTER", "prod-eu").addToData("REPLICAS", "0").build()).create();
        String revision = s.commit("repo", Map.of("app.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: %s
                data:
                  cluster: ${CLUSTER}
                  region: ${REGION:=eu-west-1}
                  literal: $${CLUSTER}
                  owner: ${OWNER}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: untouched
                  namespace: %s
                  annotations:
                    kustomize.toolkit.fluxcd.io/substitute: disabled
                data:
                  cluster: ${CLUSTER}
                """.formatted(s.namespace, s.namespace)));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", """
                postBuild:
                  substitute:
                    OWNER: team-a
                  substituteFrom:
                    - kind: ConfigMap
                      name: cluster-vars
                    - kind: Secret
                      name: not-there
                      optional: true
                """));
        s.awaitApplied("app", revision);

        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("settings").get().getData())
                .containsEntry("cluster", "prod-eu")
                .containsEntry("region", "eu-west-1")
                .containsEntry("literal", "${CLUSTER}")
                .containsEntry("owner", "team-a");
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("untouched").get().getData())
                .containsEntry("cluster", "${CLUSTER}");
    }
}
