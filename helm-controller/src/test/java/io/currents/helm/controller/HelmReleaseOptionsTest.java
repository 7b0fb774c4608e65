package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Release placement and ordering options: releaseName, targetNamespace with createNamespace, dependsOn, forceAt, resetAt. */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseOptionsTest {

    @Test
    void targetNamespaceIsCreatedAndTheDefaultReleaseNameIsPrefixedWithIt() {
        var s = new HelmScenario("hr-target");
        String target = s.namespace + "-apps";
        s.apply(HelmScenario.helmRelease("app", "demo", """
                targetNamespace: %s
                install:
                  createNamespace: true
                """.formatted(target)));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        HelmRelease installed = s.awaitReady("app", "InstallSucceeded");
        String release = target + "-app";
        assertThat(HelmScenario.message(installed, "Ready")).contains(target + "/" + release + ".v1");
        // Stored where Flux stores it: the HelmRelease's namespace; the objects go to the target namespace.
        assertThat(installed.getStatus().getStorageNamespace()).isEqualTo(s.namespace);
        assertThat(s.client.namespaces().withName(target).get()).isNotNull();
        assertThat(s.client.configMaps().inNamespace(target).withName(release + "-config").get()).isNotNull();
        assertThat(s.releaseSecret(release, 1)).isNotNull();
        assertThat(s.client.secrets().inNamespace(target).withName("sh.helm.release.v1." + release + ".v1").get()).isNull();
    }

    @Test
    void optionsThisControllerDoesNotApplyAreNamedInAWarningAndTheReleaseStillInstalls() {
        var s = new HelmScenario("hr-unapplied");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                install:
                  disableTakeOwnership: true
                  serverSideApply: true
                """));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        var installed = s.awaitReady("app", "InstallSucceeded");
        String note = "spec.install.disableTakeOwnership, spec.install.serverSideApply are set "
                + "but not supported by this helm-controller (see docs/helm-controller.md)";
        assertThat(s.events("app")).anyMatch(e -> "UnsupportedOptions".equals(e.getReason()) && "Warning".equals(e.getType())
                && e.getMessage().equals(note));
        assertThat(HelmScenario.message(installed, "Ready")).endsWith("; " + note);
    }

    @Test
    void releaseNameIsUsedAsGiven() {
        var s = new HelmScenario("hr-name");
        s.apply(HelmScenario.helmRelease("app", "demo", "releaseName: custom\n"));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");
        assertThat(s.configMap("custom-config")).isNotNull();
        assertThat(s.helmList(false).getFirst().getName()).isEqualTo("custom");
    }

    @Test
    void aReleaseWaitsForItsDependency() {
        var s = new HelmScenario("hr-deps");
        s.apply(HelmScenario.helmRelease("db", "demo", "suspend: true\n"));
        s.apply(HelmScenario.helmRelease("app", "demo", """
                dependsOn:
                  - name: db
                """));
        HelmRelease waiting = s.awaitCondition("app", "Ready", "False", "DependencyNotReady");
        assertThat(HelmScenario.message(waiting, "Ready")).isEqualTo("dependency '" + s.namespace + "/db' is not ready");

        s.edit("db", hr -> {
            hr.getSpec().setSuspend(false);
            return hr;
        });
        s.publishForRelease("db", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("db", "InstallSucceeded");
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");
        assertThat(s.configMap("app-config")).isNotNull();
    }

    @Test
    void forceAtUpgradesAnUnchangedReleaseAndResetAtAllowsNewAttempts() {
        var s = new HelmScenario("hr-force");
        s.apply(HelmScenario.helmRelease("app", "demo", ""));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("app", "InstallSucceeded");

        HelmRelease forced = s.reconcileNow("app", Map.of("reconcile.fluxcd.io/forceAt", true));
        forced = s.awaitReady("app", "UpgradeSucceeded");
        assertThat(forced.getStatus().getLastHandledForceAt()).isEqualTo(forced.getStatus().getLastHandledReconcileAt());
        assertThat(s.helmHistory("app")).hasSize(2);

        // Used-up retries (a chart that cannot be released) stay stalled until resetAt.
        s.publishForRelease("app", HelmReleaseRemediationTest.rejectedChart("2.0.0"));
        s.await("app", hr -> "True".equals(HelmScenario.status(hr, "Stalled")));
        int versions = s.helmHistory("app").size();
        s.reconcileNow("app", Map.of("reconcile.fluxcd.io/resetAt", true));
        HelmRelease retried = s.await("app", hr -> hr.getStatus().getLastHandledResetAt() != null
                && "True".equals(HelmScenario.status(hr, "Stalled")));
        assertThat(s.helmHistory("app").size()).isGreaterThan(versions);
        assertThat(retried.getStatus().getUpgradeFailures()).isEqualTo(1L);
    }
}
