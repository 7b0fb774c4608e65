package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the chart's name changes, the release is reinstalled (Flux's default {@code chartNameChangeStrategy: Reinstall})
 * or upgraded in place ({@code InPlaceUpdate}).
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseChartNameChangeTest {

    @Test
    void aNewChartNameReinstallsTheReleaseByDefault() {
        var s = new HelmScenario("hr-rename");
        s.publishChart("shared", HelmScenario.configMapChart("demo", "1.0.0"));
        s.apply(HelmScenario.bare("app", "chartRef:\n  kind: HelmChart\n  name: shared\n"));
        s.awaitReady("app", "InstallSucceeded");
        String uid = s.configMap("app-config").getMetadata().getUid();

        s.publishChart("shared", HelmScenario.configMapChart("renamed", "1.0.0"));
        HelmRelease reinstalled = s.await("app", hr -> "InstallSucceeded".equals(HelmScenario.reason(hr, "Ready"))
                && hr.getStatus().getHistory() != null && "renamed".equals(hr.getStatus().getHistory().getFirst().getChartName()));

        assertThat(reinstalled.getStatus().getHistory()).extracting(h -> h.getVersion() + ":" + h.getChartName() + ":" + h.getStatus())
                .containsExactly("1:renamed:deployed");
        assertThat(s.configMap("app-config").getMetadata().getUid()).as("recreated by the reinstall").isNotEqualTo(uid);
        assertThat(s.events("app")).anyMatch(e -> "UninstallSucceeded".equals(e.getReason())
                && e.getMessage().contains("chart name changed from 'demo' to 'renamed'"));
    }

    @Test
    void inPlaceUpdateUpgradesTheReleaseToTheRenamedChart() {
        var s = new HelmScenario("hr-rename-inplace");
        s.publishChart("shared", HelmScenario.configMapChart("demo", "1.0.0"));
        s.apply(HelmScenario.bare("app", """
                chartRef:
                  kind: HelmChart
                  name: shared
                upgrade:
                  chartNameChangeStrategy: InPlaceUpdate
                """));
        s.awaitReady("app", "InstallSucceeded");
        String uid = s.configMap("app-config").getMetadata().getUid();

        s.publishChart("shared", HelmScenario.configMapChart("renamed", "1.0.0"));
        HelmRelease upgraded = s.awaitReady("app", "UpgradeSucceeded");
        assertThat(upgraded.getStatus().getHistory()).extracting(h -> h.getVersion() + ":" + h.getChartName())
                .containsExactly("2:renamed", "1:demo");
        assertThat(s.configMap("app-config").getMetadata().getUid()).isEqualTo(uid);
    }
}
