package io.currents.helm.controller;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flux's {@code reconcile.fluxcd.io/watch: Enabled}: a labelled ConfigMap of {@code valuesFrom} upgrades its release as
 * soon as it changes, long before the 1h interval. Currents' default goes further: an unlabelled one upgrades too, after
 * the debounce ({@code watch-referenced-configs-debounce}, 2s), where Flux waits for the interval.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseWatchedValuesTest {

    @Test
    void aLabelledConfigMapUpgradesItsReleaseAtOnceAndAnUnlabelledOneAfterTheDebounce() {
        var s = new HelmScenario("hr-watch");
        values(s, "watched-values", true, "one");
        values(s, "plain-values", false, "one");
        var chart = HelmScenario.configMapChart("demo", "1.0.0");
        for (String name : new String[]{"watched", "plain"}) {
            s.apply(HelmScenario.helmRelease(name, "demo", """
                    valuesFrom:
                      - kind: ConfigMap
                        name: %s-values
                    """.formatted(name)));
            s.publishForRelease(name, chart);
            s.awaitReady(name, "InstallSucceeded");
        }
        assertThat(s.configMap("watched-config").getData()).containsEntry("greeting", "one");
        assertThat(s.configMap("plain-config").getData()).containsEntry("greeting", "one");

        // The unlabelled one changes first, so the labelled one's upgrade proves the time the other had.
        change(s, "plain-values", "two");
        long start = System.nanoTime();
        change(s, "watched-values", "two");
        var upgraded = s.await("watched", hr -> "UpgradeSucceeded".equals(HelmScenario.reason(hr, "Ready")), 60);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("labelled ConfigMap change upgraded the release in %d ms (interval 1h)%n", took.toMillis());
        assertThat(upgraded.getStatus().getHistory().getFirst().getVersion()).isEqualTo(2);
        assertThat(s.configMap("watched-config").getData()).containsEntry("greeting", "two");

        // the unlabelled change, made first, waits out the 2s debounce (edits in a row cause one upgrade), then upgrades
        long plainStart = System.nanoTime();
        s.await("plain", hr -> "UpgradeSucceeded".equals(HelmScenario.reason(hr, "Ready")), 60);
        System.out.printf("unlabelled ConfigMap change upgraded the release %d ms after the labelled one's (debounce 2s, interval 1h)%n",
                Duration.ofNanos(System.nanoTime() - plainStart).toMillis());
        assertThat(s.configMap("plain-config").getData()).containsEntry("greeting", "two");
        assertThat(s.helmHistory("plain")).as("one upgrade for the change").hasSize(2);
    }

    private static void values(HelmScenario s, String name, boolean watched, String greeting) {
        var meta = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(s.namespace);
        if (watched) {
            meta.addToLabels("reconcile.fluxcd.io/watch", "Enabled");
        }
        s.client.configMaps().inNamespace(s.namespace).resource(meta.endMetadata().addToData("values.yaml", "greeting: " + greeting + "\n").build())
                .create();
    }

    private static void change(HelmScenario s, String name, String greeting) {
        s.client.configMaps().inNamespace(s.namespace).withName(name)
                .edit(cm -> new ConfigMapBuilder(cm).addToData("values.yaml", "greeting: " + greeting + "\n").build());
    }
}
