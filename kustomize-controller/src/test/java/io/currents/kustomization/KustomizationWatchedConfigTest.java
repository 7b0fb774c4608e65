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
 * its Kustomization as soon as it changes, long before the 10m interval. Currents' default goes further: an unlabelled
 * one re-applies too, after the debounce ({@code watch-referenced-configs-debounce}, 2s), where Flux waits for the interval.
 */
@QuarkusTest
class KustomizationWatchedConfigTest {

    @Test
    void aLabelledConfigMapReappliesAtOnceAndAnUnlabelledOneAfterTheDebounce() {
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

        // the unlabelled change was made before the labelled one: it waits out the 2s debounce (so edits in a row
        // cause one reconcile), then applies, long before the interval
        long plainStart = System.nanoTime();
        s.client.configMaps().inNamespace(s.namespace).withName("out-plain")
                .waitUntilCondition(cm -> cm != null && "two".equals(cm.getData().get("value")), 30, TimeUnit.SECONDS);
        System.out.printf("unlabelled ConfigMap change re-applied %d ms after the labelled one's (debounce 2s, interval 10m)%n",
                Duration.ofNanos(System.nanoTime() - plainStart).toMillis());
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
}
