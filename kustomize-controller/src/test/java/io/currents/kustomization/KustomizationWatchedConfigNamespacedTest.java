package io.currents.kustomization;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A controller that watches only some namespaces ({@link LockdownProfile}) watches the ConfigMaps and Secrets its
 * Kustomizations read in those namespaces only, and still re-applies on an unlabelled change after the debounce.
 */
@QuarkusTest
@TestProfile(LockdownProfile.class)
class KustomizationWatchedConfigNamespacedTest {

    @Test
    void anUnlabelledConfigMapInAWatchedNamespaceReappliesItsKustomization() {
        var s = KustomizationScenario.inNamespace(LockdownProfile.TENANT);
        LockdownProfile.grantDefaultServiceAccount(s.client, s.namespace);
        s.client.configMaps().inNamespace(s.namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("ns-watch-vars").withNamespace(s.namespace).endMetadata().addToData("VALUE", "one").build()).create();
        String revision = s.commit("ns-watch-repo", Map.of("app.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: ns-watch-out
                  namespace: %s
                data:
                  value: ${VALUE}
                """.formatted(s.namespace)));
        s.apply(KustomizationScenario.kustomization("ns-watch", "ns-watch-repo", "", """
                postBuild:
                  substituteFrom:
                    - kind: ConfigMap
                      name: ns-watch-vars
                """));
        s.awaitApplied("ns-watch", revision);
        assertThat(s.client.configMaps().inNamespace(s.namespace).withName("ns-watch-out").get().getData()).containsEntry("value", "one");

        long start = System.nanoTime();
        s.client.configMaps().inNamespace(s.namespace).withName("ns-watch-vars")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("VALUE", "two").build());
        s.client.configMaps().inNamespace(s.namespace).withName("ns-watch-out")
                .waitUntilCondition(cm -> cm != null && "two".equals(cm.getData().get("value")), 30, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("unlabelled ConfigMap change re-applied in %d ms by a namespace-scoped controller (debounce 2s, interval 10m)%n",
                took.toMillis());
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
}
