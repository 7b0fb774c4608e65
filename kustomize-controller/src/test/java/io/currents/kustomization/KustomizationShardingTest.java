package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A controller with {@code watch-label-selector} (a shard) reconciles only the Kustomizations the selector matches:
 * the others, of another shard or of none, get no finalizer, no status and nothing applied; relabelling one into the
 * shard hands it over.
 */
@QuarkusTest
@TestProfile(ShardProfile.class)
class KustomizationShardingTest {

    @Test
    void onlyKustomizationsLabelledForTheShardAreReconciled() {
        var s = new KustomizationScenario("ks-shard");
        s.commit("repo", Map.of(
                "mine/cm.yaml", KustomizationScenario.configMap("mine", s.namespace, Map.of("a", "1")),
                "theirs/cm.yaml", KustomizationScenario.configMap("theirs", s.namespace, Map.of("a", "1")),
                "unsharded/cm.yaml", KustomizationScenario.configMap("unsharded", s.namespace, Map.of("a", "1"))));
        // the ones the shard must leave alone first: by the time its own is Ready, it has seen (and skipped) them
        s.apply(labelled(KustomizationScenario.kustomization("theirs", "repo", "theirs", null), "shard2"));
        s.apply(KustomizationScenario.kustomization("unsharded", "repo", "unsharded", null));
        s.apply(labelled(KustomizationScenario.kustomization("mine", "repo", "mine", null), "shard1"));

        Kustomization mine = s.await("mine", k -> "True".equals(KustomizationScenario.readyStatus(k)));
        assertThat(mine.getMetadata().getFinalizers()).contains("finalizers.fluxcd.io");
        assertThat(s.object("v1", "ConfigMap", "mine")).isNotNull();

        for (String other : new String[]{"theirs", "unsharded"}) {
            Kustomization k = s.get(other);
            assertThat(k.getStatus() == null || k.getStatus().getConditions() == null || k.getStatus().getConditions().isEmpty())
                    .as(other + " has no status written by this shard").isTrue();
            assertThat(k.getMetadata().getFinalizers()).as(other + " has no finalizer").isNullOrEmpty();
            assertThat(s.object("v1", "ConfigMap", other)).as(other + " applied nothing").isNull();
        }

        s.client.resources(Kustomization.class).inNamespace(s.namespace).withName("theirs")
                .edit(k -> {
                    k.getMetadata().getLabels().put("sharding.fluxcd.io/key", "shard1");
                    return k;
                });
        s.await("theirs", k -> "True".equals(KustomizationScenario.readyStatus(k)));
        assertThat(s.object("v1", "ConfigMap", "theirs")).isNotNull();
        assertThat(s.get("unsharded").getMetadata().getFinalizers()).isNullOrEmpty();
    }

    private static String labelled(String kustomization, String shard) {
        return kustomization.replace("metadata:\n", "metadata:\n  labels:\n    sharding.fluxcd.io/key: " + shard + "\n");
    }
}
