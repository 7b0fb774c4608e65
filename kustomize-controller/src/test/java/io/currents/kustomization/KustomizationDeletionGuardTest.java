package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deletion guard: a prune that empties the inventory, or deletes more than the allowed share, is refused with
 * PruneBlocked, objects listed in status.blockedPrune and a Warning event, until that revision is approved.
 */
@QuarkusTest
class KustomizationDeletionGuardTest {

    @Test
    void aCommitThatEmptiesThePathIsBlockedUntilApproved() {
        var s = new KustomizationScenario("ks-guard-empty");
        String first = s.commit("repo", configMaps(s, "app/", 3, "v1"));
        s.apply(KustomizationScenario.kustomization("app", "repo", "app", null));
        s.awaitApplied("app", first);

        String emptied = s.commit("repo", Map.of("app/README.md", "moved elsewhere\n"));
        Kustomization blocked = s.awaitNotReady("app", "PruneBlocked");
        assertThat(KustomizationScenario.condition(blocked, "Ready").orElseThrow().getMessage())
                .contains("has no objects: pruning would delete all 3 objects");
        assertThat(blocked.getStatus().getBlockedPrune().getRevision()).isEqualTo(emptied);
        assertThat(blocked.getStatus().getBlockedPrune().getEntries()).hasSize(3);
        assertThat(blocked.getStatus().getInventory().getEntries()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(s.object("v1", "ConfigMap", "cm" + i)).isNotNull();
        }
        assertThat(warnings(s, "app")).anyMatch(e -> e.getMessage().contains("ConfigMap/" + s.namespace + "/cm0"));

        approve(s, "app", emptied);
        var k = s.awaitApplied("app", emptied);
        s.client.configMaps().inNamespace(s.namespace).withName("cm0").waitUntilCondition(cm -> cm == null, 30, TimeUnit.SECONDS);
        assertThat(k.getStatus().getInventory().getEntries()).isEmpty();
        assertThat(k.getStatus().getBlockedPrune()).isNull();
    }

    @Test
    void deletingSixtyPercentWithAFiftyPercentLimitIsBlockedButTheRestIsApplied() {
        var s = new KustomizationScenario("ks-guard-pct");
        String first = s.commit("repo", configMaps(s, "", 5, "v1"));
        create(s, "app", Map.of("currents.io/prune-max-percent", "50"));
        s.awaitApplied("app", first);

        Map<String, String> kept = new HashMap<>(configMaps(s, "", 2, "v2"));
        String second = s.commit("repo", kept);
        Kustomization blocked = s.awaitNotReady("app", "PruneBlocked");
        assertThat(KustomizationScenario.condition(blocked, "Ready").orElseThrow().getMessage())
                .contains("pruning would delete 3 of 5 objects (60%), more than the 50% allowed by currents.io/prune-max-percent");
        assertThat(blocked.getStatus().getBlockedPrune().getEntries()).extracting(e -> e.getId())
                .containsExactlyInAnyOrder(s.namespace + "_cm2__ConfigMap", s.namespace + "_cm3__ConfigMap", s.namespace + "_cm4__ConfigMap");
        assertThat(s.object("v1", "ConfigMap", "cm4")).isNotNull();
        // the apply part of the revision went through
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("cm0").get().getData()).containsEntry("v", "v2");

        approve(s, "app", second);
        s.awaitApplied("app", second);
        s.client.configMaps().inNamespace(s.namespace).withName("cm4").waitUntilCondition(cm -> cm == null, 30, TimeUnit.SECONDS);
        assertThat(s.object("v1", "ConfigMap", "cm2")).isNull();
        assertThat(s.object("v1", "ConfigMap", "cm0")).isNotNull();
    }

    @Test
    void aPruneWithinTheLimitsIsUnaffected() {
        var s = new KustomizationScenario("ks-guard-ok");
        String first = s.commit("repo", configMaps(s, "", 5, "v1"));
        create(s, "app", Map.of("currents.io/prune-max-percent", "50", "currents.io/prune-max-objects", "2"));
        s.awaitApplied("app", first);

        String second = s.commit("repo", configMaps(s, "", 4, "v1"));
        var k = s.awaitApplied("app", second);
        s.client.configMaps().inNamespace(s.namespace).withName("cm4").waitUntilCondition(cm -> cm == null, 30, TimeUnit.SECONDS);
        assertThat(k.getStatus().getBlockedPrune()).isNull();
        assertThat(warnings(s, "app")).noneMatch(e -> "PruneBlocked".equals(e.getReason()));
    }

    @Test
    void aMaxObjectsLimitBlocksAndALaterRevisionIsGuardedAgain() {
        var s = new KustomizationScenario("ks-guard-max");
        String first = s.commit("repo", configMaps(s, "", 4, "v1"));
        create(s, "app", Map.of("currents.io/prune-max-objects", "1"));
        s.awaitApplied("app", first);

        String second = s.commit("repo", configMaps(s, "", 2, "v1"));
        s.awaitNotReady("app", "PruneBlocked");
        approve(s, "app", second);
        s.awaitApplied("app", second);

        // the approval was for that revision only
        s.commit("repo", Map.of("x.yaml", KustomizationScenario.configMap("x", s.namespace, Map.of("a", "b"))));
        Kustomization blocked = s.awaitNotReady("app", "PruneBlocked");
        assertThat(KustomizationScenario.condition(blocked, "Ready").orElseThrow().getMessage())
                .contains("pruning would delete 2 objects, more than the 1 allowed by currents.io/prune-max-objects");
        assertThat(s.object("v1", "ConfigMap", "x")).isNotNull();
        assertThat(s.object("v1", "ConfigMap", "cm1")).isNotNull();
    }

    /** What {@code currents approve prune kustomization} writes. */
    static void approve(KustomizationScenario s, String name, String revision) {
        s.client.resources(Kustomization.class).inNamespace(s.namespace).withName(name).edit(k -> {
            k.getMetadata().getAnnotations().put("currents.io/prune-approved-revision", revision);
            return k;
        });
    }

    private static void create(KustomizationScenario s, String name, Map<String, String> annotations) {
        Kustomization k = s.client.getKubernetesSerialization().unmarshal(
                KustomizationScenario.kustomization(name, "repo", "", null), Kustomization.class);
        k.getMetadata().setNamespace(s.namespace);
        k.getMetadata().setAnnotations(new HashMap<>(annotations));
        s.client.resource(k).create();
    }

    private static Map<String, String> configMaps(KustomizationScenario s, String dir, int n, String value) {
        Map<String, String> files = new HashMap<>();
        for (int i = 0; i < n; i++) {
            files.put(dir + "cm" + i + ".yaml", KustomizationScenario.configMap("cm" + i, s.namespace, Map.of("v", value)));
        }
        return files;
    }

    private static java.util.List<Event> warnings(KustomizationScenario s, String name) {
        return s.events(name).stream().filter(e -> "Warning".equals(e.getType())).toList();
    }
}
