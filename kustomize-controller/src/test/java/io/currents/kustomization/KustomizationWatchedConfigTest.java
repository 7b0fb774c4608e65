package io.currents.kustomization;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flux's {@code reconcile.fluxcd.io/watch: Enabled}: a labelled ConfigMap of {@code postBuild.substituteFrom} re-applies
 * its Kustomization as soon as it changes, long before the 10m interval; an unlabelled one waits for the interval.
 */
@QuarkusTest
class KustomizationWatchedConfigTest {

    @Test
    void aLabelledConfigMapReappliesItsKustomizationsAndAnUnlabelledOneDoesNot() {
        var s = new KustomizationScenario("ks-watch");
        vars(s, "watched-vars", true, "one");
        vars(s, "plain-vars", false, "one");
        String revision = s.commit("repo", Map.of("app.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: out-${NAME}
                  namespace: %s
                data:
                  value: ${VALUE}
                """.formatted(s.namespace)));
        for (String name : new String[]{"watched", "plain"}) {
            s.apply(KustomizationScenario.kustomization(name, "repo", "", """
                    postBuild:
                      substitute:
                        NAME: %s
                      substituteFrom:
                        - kind: ConfigMap
                          name: %s-vars
                    """.formatted(name, name)));
            s.awaitApplied(name, revision);
        }
        assertThat(value(s, "out-watched")).isEqualTo("one");
        assertThat(value(s, "out-plain")).isEqualTo("one");

        // The unlabelled one changes first, so the labelled one's re-apply proves the time the other had.
        change(s, "plain-vars", "two");
        long start = System.nanoTime();
        change(s, "watched-vars", "two");
        s.client.configMaps().inNamespace(s.namespace).withName("out-watched")
                .waitUntilCondition(cm -> cm != null && "two".equals(cm.getData().get("value")), 30, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("labelled ConfigMap change re-applied in %d ms (interval 10m)%n", took.toMillis());
        assertThat(took).isLessThan(Duration.ofSeconds(30));

        sleepAtLeast(Duration.ofSeconds(3).minus(took));
        assertThat(value(s, "out-plain")).as("an unlabelled ConfigMap does not trigger a reconcile").isEqualTo("one");
    }

    private static void vars(KustomizationScenario s, String name, boolean watched, String value) {
        var meta = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(s.namespace);
        if (watched) {
            meta.addToLabels("reconcile.fluxcd.io/watch", "Enabled");
        }
        s.client.configMaps().inNamespace(s.namespace).resource(meta.endMetadata().addToData("VALUE", value).build()).create();
    }

    private static void change(KustomizationScenario s, String name, String value) {
        s.client.configMaps().inNamespace(s.namespace).withName(name)
                .edit(cm -> new ConfigMapBuilder(cm).addToData("VALUE", value).build());
    }

    private static String value(KustomizationScenario s, String name) {
        return s.client.configMaps().inNamespace(s.namespace).withName(name).get().getData().get("value");
    }

    private static void sleepAtLeast(Duration d) {
        if (!d.isNegative()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
