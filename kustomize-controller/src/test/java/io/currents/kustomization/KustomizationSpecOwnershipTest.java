package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller writes status only: a person (or a GitOps tool) who applies a Kustomization server-side keeps sole
 * ownership of its spec and can change it later without a field-manager conflict.
 */
@QuarkusTest
class KustomizationSpecOwnershipTest {

    @Test
    void aPersonApplyingTheSpecAgainAfterAReconcileMeetsNoConflict() {
        var s = new KustomizationScenario("ks-owner");
        String revision = s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("settings", s.namespace, Map.of("a", "1"))));
        String yaml = KustomizationScenario.kustomization("app", "repo", "", null);
        applyAsPerson(s, yaml);
        s.awaitApplied("app", revision);

        Kustomization k = s.get("app");
        assertThat(k.getMetadata().getManagedFields())
                .filteredOn(e -> !"person".equals(e.getManager()))
                .extracting(ManagedFieldsEntry::getFieldsV1)
                .noneMatch(fields -> fields != null && fields.getAdditionalProperties().containsKey("f:spec"));

        // Without force: a field the controller co-owned would make this fail with 409 Conflict.
        applyAsPerson(s, yaml.replace("interval: 10m", "interval: 5m").replace("timeout: 30s", "timeout: 20s"));
        assertThat(s.get("app").getSpec().getInterval()).isEqualTo("5m");
    }

    private static void applyAsPerson(KustomizationScenario s, String yaml) {
        Kustomization k = s.client.getKubernetesSerialization().unmarshal(yaml, Kustomization.class);
        k.getMetadata().setNamespace(s.namespace);
        s.client.resource(k).fieldManager("person").serverSideApply();
    }
}
