package io.currents.helm.controller;

import com.marcnuri.helm.ReleaseHistory;
import io.currents.api.helm.v2.HelmRelease;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Failed installs and upgrades: Helm's message in the conditions, retries with uninstall or rollback between them, then Stalled. */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseRemediationTest {

    /** A chart whose ConfigMap the API server rejects (invalid name). */
    static java.util.Map<String, String> rejectedChart(String version) {
        var chart = HelmScenario.configMapChart("demo", version);
        return HelmScenario.withTemplate(chart, "bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: Not_A_Valid_Name
                data:
                  a: b
                """);
    }

    @Test
    void aFailedUpgradeIsRolledBackAndThePreviousReleaseRestored() {
        var s = new HelmScenario("hr-rollback");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                values:
                  greeting: first
                upgrade:
                  remediation:
                    retries: 1
                """));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");

        s.publishForRelease("app", rejectedChart("2.0.0"));
        HelmRelease stalled = s.await("app", hr -> "True".equals(HelmScenario.status(hr, "Stalled")));
        assertThat(HelmScenario.reason(stalled, "Stalled")).isEqualTo("RetriesExceeded");
        assertThat(HelmScenario.message(stalled, "Stalled")).isEqualTo("Failed to upgrade after 2 attempt(s)");
        assertThat(HelmScenario.reason(stalled, "Ready")).isEqualTo("UpgradeFailed");
        assertThat(HelmScenario.message(stalled, "Ready"))
                .startsWith("Helm upgrade failed for release " + s.namespace + "/app with chart demo@2.0.0: ")
                .contains("Not_A_Valid_Name");
        assertThat(HelmScenario.reason(stalled, "Released")).isEqualTo("UpgradeFailed");
        assertThat(HelmScenario.status(stalled, "Remediated")).isEqualTo("True");
        assertThat(HelmScenario.reason(stalled, "Remediated")).isEqualTo("RollbackSucceeded");
        assertThat(HelmScenario.message(stalled, "Remediated"))
                .startsWith("Helm rollback to previous release " + s.namespace + "/app.v");
        assertThat(stalled.getStatus().getUpgradeFailures()).isEqualTo(2L);
        assertThat(stalled.getStatus().getFailures()).isEqualTo(2L);

        // Helm sees the rollback: the newest version is deployed with the first chart and values.
        List<ReleaseHistory> history = s.helmHistory("app");
        ReleaseHistory newest = history.stream().max(java.util.Comparator.comparingInt(ReleaseHistory::getRevision)).orElseThrow();
        assertThat(newest.getStatus()).isEqualTo("deployed");
        assertThat(newest.getChart()).isEqualTo("demo-1.0.0");
        assertThat(newest.getDescription()).startsWith("Rollback to ");
        assertThat(history).anyMatch(h -> "failed".equals(h.getStatus()) && "demo-2.0.0".equals(h.getChart()));
        assertThat(s.configMap("app-config").getData()).containsEntry("greeting", "first").containsEntry("chartVersion", "1.0.0");
        assertThat(stalled.getStatus().getHistory().getFirst().getChartVersion()).isEqualTo("1.0.0");
        assertThat(stalled.getStatus().getHistory().getFirst().getStatus()).isEqualTo("deployed");
        assertThat(s.events("app")).anyMatch(e -> "RollbackSucceeded".equals(e.getReason()));

        // Stalled means no more attempts until something changes.
        int versions = s.helmHistory("app").size();
        s.reconcileNow("app");
        assertThat(s.helmHistory("app")).hasSize(versions);

        // A fixed chart gets a fresh set of attempts and succeeds.
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "2.0.1"));
        HelmRelease fixed = s.awaitReady("app", "UpgradeSucceeded");
        assertThat(fixed.getStatus().getUpgradeFailures()).isZero();
        assertThat(HelmScenario.status(fixed, "Stalled")).isEmpty();
        assertThat(s.configMap("app-config").getData()).containsEntry("chartVersion", "2.0.1");
    }

    @Test
    void aFailedInstallIsUninstalledAndRetriedUntilTheRetriesAreUsedUp() {
        var s = new HelmScenario("hr-install-retries");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                install:
                  remediation:
                    retries: 2
                """));
        s.publishForRelease("app", rejectedChart("1.0.0"));
        HelmRelease stalled = s.await("app", hr -> "True".equals(HelmScenario.status(hr, "Stalled")));
        assertThat(HelmScenario.message(stalled, "Stalled")).isEqualTo("Failed to install after 3 attempt(s)");
        assertThat(HelmScenario.reason(stalled, "Ready")).isEqualTo("InstallFailed");
        assertThat(HelmScenario.message(stalled, "Ready")).startsWith("Helm install failed for release " + s.namespace + "/app with chart demo@1.0.0: ");
        assertThat(stalled.getStatus().getInstallFailures()).isEqualTo(3L);
        assertThat(HelmScenario.reason(stalled, "Remediated")).isEqualTo("UninstallSucceeded");
        // remediateLastFailure defaults to true with retries: the last failed release is uninstalled too.
        assertThat(s.helmList(true)).isEmpty();
        assertThat(s.configMap("app-config")).isNull();
        assertThat(s.events("app").stream().filter(e -> "InstallFailed".equals(e.getReason())).count()).isGreaterThanOrEqualTo(1);
    }

    /**
     * Helm refuses a chart that does not render before it records a release: as in Flux, that failure is not counted
     * against the remediation's retries (nothing to remediate, the cluster as it was); the install is retried with
     * backoff instead of stalling, so a fix elsewhere (a values Secret, a CRD) is picked up without a spec change.
     */
    @Test
    void aChartThatDoesNotRenderFailsTheInstallWithHelmsMessageAndIsRetried() {
        var s = new HelmScenario("hr-render");
        var chart = HelmScenario.configMapChart("demo", "1.0.0");
        HelmScenario.withTemplate(chart, "fail.yaml", "{{ fail \"the value 'size' is required\" }}\n");
        s.apply(HelmScenario.helmRelease("app", "demo", ""));
        s.publishForRelease("app", chart);
        HelmRelease failing = s.await("app", hr -> "InstallFailed".equals(HelmScenario.reason(hr, "Ready"))
                && hr.getStatus().getFailures() != null && hr.getStatus().getFailures() >= 2);
        assertThat(HelmScenario.status(failing, "Ready")).isEqualTo("False");
        assertThat(HelmScenario.message(failing, "Ready")).contains("the value 'size' is required");
        assertThat(HelmScenario.reason(failing, "Released")).isEqualTo("InstallFailed");
        assertThat(HelmScenario.status(failing, "Stalled")).as("retried, not stalled").isEmpty();
        assertThat(failing.getStatus().getInstallFailures()).as("no release recorded: not counted").isIn(null, 0L);
        assertThat(HelmScenario.status(failing, "Remediated")).isEmpty();
        assertThat(s.helmList(true)).as("Helm recorded nothing").isEmpty();
    }
}
