package io.currents.helm.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.helm.v2.HelmReleaseStatus;
import io.currents.api.helm.v2.Install;
import io.currents.api.helm.v2.InstallRemediation;
import io.currents.api.helm.v2.Test;
import io.currents.api.helm.v2.Upgrade;
import io.currents.api.helm.v2.UpgradeRemediation;
import io.currents.api.meta.FluxMeta;
import io.currents.runtime.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The release decisions of helm-controller, taken without a cluster or Helm: what to do, when to stop, how to remediate. */
class ReleasePlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectNode VALUES = JSON.createObjectNode().put("replicas", 2);
    private static final String DIGEST = ReleaseValues.digest(VALUES);

    @org.junit.jupiter.api.Test
    void nothingReleasedYetIsInstalled() {
        assertThat(plan(release()).next(null, "app", "1.0.0", DIGEST, false, false)).isEqualTo(ReleasePlan.Action.INSTALL);
        assertThat(plan(release()).next(stored("uninstalled", "app", "1.0.0", VALUES), "app", "1.0.0", DIGEST, false, false))
                .isEqualTo(ReleasePlan.Action.INSTALL);
    }

    @org.junit.jupiter.api.Test
    void aReleaseThatIsNotDeployedIsUpgradedEvenWithTheSameChartAndValues() {
        assertThat(plan(release()).next(stored("failed", "app", "1.0.0", VALUES), "app", "1.0.0", DIGEST, false, false))
                .isEqualTo(ReleasePlan.Action.UPGRADE);
    }

    @org.junit.jupiter.api.Test
    void aNewChartVersionNewValuesOrAForceRequestUpgrades() {
        StoredRelease deployed = stored("deployed", "app", "1.0.0", VALUES);
        ReleasePlan plan = plan(release());
        assertThat(plan.next(deployed, "app", "1.1.0", DIGEST, false, false)).isEqualTo(ReleasePlan.Action.UPGRADE);
        assertThat(plan.next(deployed, "app", "1.0.0", ReleaseValues.digest(JSON.createObjectNode()), false, false))
                .isEqualTo(ReleasePlan.Action.UPGRADE);
        assertThat(plan.next(deployed, "app", "1.0.0", DIGEST, true, false)).isEqualTo(ReleasePlan.Action.UPGRADE);
        assertThat(plan.next(deployed, "app", "1.0.0", DIGEST, false, false)).isEqualTo(ReleasePlan.Action.NONE);
    }

    @org.junit.jupiter.api.Test
    void aDeployedReleaseWhoseTestsNeverRanIsTestedWhenTestsAreEnabled() {
        StoredRelease untested = stored("deployed", "app", "1.0.0", VALUES, new StoredRelease.Hook("smoke", "Pod", List.of("test"), "", null, null, null));
        HelmRelease hr = release();
        assertThat(plan(hr).next(untested, "app", "1.0.0", DIGEST, false, false)).isEqualTo(ReleasePlan.Action.NONE);
        Test test = new Test();
        test.setEnable(true);
        hr.getSpec().setTest(test);
        assertThat(plan(hr).next(untested, "app", "1.0.0", DIGEST, false, false)).isEqualTo(ReleasePlan.Action.TEST);
        assertThat(plan(hr).next(untested, "app", "1.0.0", DIGEST, false, true)).as("a recorded result is not tested again")
                .isEqualTo(ReleasePlan.Action.NONE);
    }

    @org.junit.jupiter.api.Test
    void aTestCutShortByAKilledControllerRunsAgainUntilTheStatusRecordsThisReleasesResult() {
        HelmRelease hr = release();
        Test test = new Test();
        test.setEnable(true);
        hr.getSpec().setTest(test);
        // Helm's record of v2 when helm-controller was SIGKILLed during its test: the hook started and is still running
        StoredRelease v2 = new StoredRelease("web", "apps", 2, "deployed", "app", "1.0.0", "1.0", VALUES, "",
                List.of(new StoredRelease.Hook("smoke", "Job", List.of("test"), "", "2026-12-05T13:00:00Z", null, "Running")),
                null, null, null, JSON.createObjectNode(), "sha256:0");
        // the status the killed process left: v1's snapshot and v1's passed test
        HelmReleaseStatus status = new HelmReleaseStatus();
        status.setConditions(new ArrayList<>());
        Conditions.of(status.getConditions(), 1L, Clock.systemUTC())
                .markTrue(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_SUCCEEDED_REASON, "Helm test succeeded for release apps/web.v1");
        io.currents.api.helm.v2.Snapshot v1 = new io.currents.api.helm.v2.Snapshot();
        v1.setVersion(1);
        status.setHistory(new ArrayList<>(List.of(v1)));

        assertThat(ReleasePlan.testsRecorded(status, v2)).as("v1's TestSuccess is not v2's").isFalse();
        assertThat(plan(hr).next(v2, "app", "1.0.0", DIGEST, false, ReleasePlan.testsRecorded(status, v2)))
                .as("the test cut short runs again").isEqualTo(ReleasePlan.Action.TEST);

        v1.setVersion(2);
        assertThat(ReleasePlan.testsRecorded(status, v2)).as("the status holds v2 and a test result").isTrue();
        assertThat(plan(hr).next(v2, "app", "1.0.0", DIGEST, false, true)).isEqualTo(ReleasePlan.Action.NONE);
        status.getConditions().clear();
        assertThat(ReleasePlan.testsRecorded(status, v2)).as("v2 in the history, but no test result").isFalse();
    }

    @org.junit.jupiter.api.Test
    void retriesAreUsedUpWhenFailuresExceedThemAndOnlyANewStateOrARequestGivesNewOnes() {
        HelmRelease hr = release();
        hr.getSpec().setUpgrade(upgrade(2, null, null));
        ReleasePlan plan = plan(hr);
        HelmReleaseStatus status = new HelmReleaseStatus();
        status.setLastAttemptedReleaseAction(ReleasePlan.UPGRADE);
        status.setUpgradeFailures(2L);
        assertThat(plan.retriesExhausted(status, false, false, false)).isFalse();
        status.setUpgradeFailures(3L);
        assertThat(plan.retriesExhausted(status, false, false, false)).isTrue();
        assertThat(plan.retriesExhausted(status, true, false, false)).as("a new chart or values").isFalse();
        assertThat(plan.retriesExhausted(status, false, true, false)).as("reconcile.fluxcd.io/resetAt").isFalse();
        assertThat(plan.retriesExhausted(status, false, false, true)).as("reconcile.fluxcd.io/forceAt").isFalse();

        hr.getSpec().setUpgrade(upgrade(-1, null, null));
        assertThat(plan(hr).retriesExhausted(status, false, false, false)).as("-1 retries forever").isFalse();
    }

    @org.junit.jupiter.api.Test
    void withoutRetriesAFailureIsNotRemediatedUnlessRemediateLastFailureSaysSo() {
        HelmRelease hr = release();
        ReleasePlan.AfterFailure first = plan(hr).afterFailure(ReleasePlan.INSTALL, 1);
        assertThat(first.retriesLeft()).isFalse();
        assertThat(first.remediate()).isFalse();

        Install install = new Install();
        InstallRemediation remediation = new InstallRemediation();
        remediation.setRemediateLastFailure(true);
        install.setRemediation(remediation);
        hr.getSpec().setInstall(install);
        ReleasePlan.AfterFailure remediated = plan(hr).afterFailure(ReleasePlan.INSTALL, 1);
        assertThat(remediated.remediate()).isTrue();
        assertThat(remediated.strategy()).isEqualTo(HelmRelease.REMEDIATION_UNINSTALL);
    }

    @org.junit.jupiter.api.Test
    void withRetriesEveryFailureIsRemediatedAndTheLastOneByDefaultToo() {
        HelmRelease hr = release();
        hr.getSpec().setUpgrade(upgrade(2, null, null));
        ReleasePlan plan = plan(hr);
        assertThat(plan.afterFailure(ReleasePlan.UPGRADE, 2)).isEqualTo(new ReleasePlan.AfterFailure(true, true, HelmRelease.REMEDIATION_ROLLBACK));
        assertThat(plan.afterFailure(ReleasePlan.UPGRADE, 3)).isEqualTo(new ReleasePlan.AfterFailure(true, false, HelmRelease.REMEDIATION_ROLLBACK));

        hr.getSpec().setUpgrade(upgrade(2, false, HelmRelease.REMEDIATION_UNINSTALL));
        assertThat(plan(hr).afterFailure(ReleasePlan.UPGRADE, 3))
                .isEqualTo(new ReleasePlan.AfterFailure(false, false, HelmRelease.REMEDIATION_UNINSTALL));
    }

    @org.junit.jupiter.api.Test
    void testFailuresAreIgnoredBySpecTestFirstThenByTheActionsRemediation() {
        HelmRelease hr = release();
        UpgradeRemediation remediation = new UpgradeRemediation();
        remediation.setIgnoreTestFailures(true);
        Upgrade upgrade = new Upgrade();
        upgrade.setRemediation(remediation);
        hr.getSpec().setUpgrade(upgrade);
        assertThat(plan(hr).ignoreTestFailures(ReleasePlan.UPGRADE)).isTrue();
        assertThat(plan(hr).ignoreTestFailures(ReleasePlan.INSTALL)).isFalse();
        Test test = new Test();
        test.setIgnoreFailures(false);
        hr.getSpec().setTest(test);
        assertThat(plan(hr).ignoreTestFailures(ReleasePlan.UPGRADE)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void failedTestsKeepAReleaseInSyncFailed() {
        HelmRelease hr = release();
        Test test = new Test();
        test.setEnable(true);
        hr.getSpec().setTest(test);
        HelmReleaseStatus status = new HelmReleaseStatus();
        status.setConditions(new ArrayList<>());
        Conditions conditions = Conditions.of(status.getConditions(), 1L, Clock.systemUTC());
        assertThat(plan(hr).failedTestsStand(status)).isFalse();
        conditions.markFalse(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_FAILED_REASON, "smoke failed");
        assertThat(plan(hr).failedTestsStand(status)).isTrue();
        test.setIgnoreFailures(true);
        assertThat(plan(hr).failedTestsStand(status)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aForceOrResetRequestCountsOnlyTogetherWithAReconcileRequestOfTheSameValueAndOnlyOnce() {
        Map<String, String> annotations = Map.of(FluxMeta.FORCE_REQUEST_ANNOTATION, "t1", FluxMeta.RECONCILE_REQUEST_ANNOTATION, "t1");
        assertThat(ReleasePlan.pendingRequest(annotations, FluxMeta.FORCE_REQUEST_ANNOTATION, null)).contains("t1");
        assertThat(ReleasePlan.pendingRequest(annotations, FluxMeta.FORCE_REQUEST_ANNOTATION, "t1")).isEmpty();
        assertThat(ReleasePlan.pendingRequest(Map.of(FluxMeta.FORCE_REQUEST_ANNOTATION, "t1", FluxMeta.RECONCILE_REQUEST_ANNOTATION, "t0"),
                FluxMeta.FORCE_REQUEST_ANNOTATION, null)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theReleaseIsNamedAfterTheTargetNamespaceAndShortenedPastHelmsLimit() {
        HelmRelease hr = release();
        assertThat(plan(hr).releaseName()).isEqualTo("web");
        assertThat(plan(hr).targetNamespace()).isEqualTo("apps");
        hr.getSpec().setTargetNamespace("prod");
        assertThat(plan(hr).releaseName()).isEqualTo("prod-web");
        assertThat(plan(hr).targetNamespace()).isEqualTo("prod");
        hr.getSpec().setTargetNamespace("a-very-long-target-namespace-for-the-production-environment");
        assertThat(plan(hr).releaseName()).hasSize(53).startsWith("a-very-long-target-namespace-for-the-pro-")
                .matches(".*-[0-9a-f]{12}");
    }

    @org.junit.jupiter.api.Test
    void aNewGenerationChartVersionOrValuesIsANewState() {
        HelmReleaseStatus status = new HelmReleaseStatus();
        status.setLastAttemptedGeneration(3L);
        status.setLastAttemptedRevision("1.0.0");
        status.setLastAttemptedConfigDigest(DIGEST);
        assertThat(ReleasePlan.isNewState(status, 3L, "1.0.0", DIGEST)).isFalse();
        assertThat(ReleasePlan.isNewState(status, 4L, "1.0.0", DIGEST)).isTrue();
        assertThat(ReleasePlan.isNewState(status, 3L, "1.0.1", DIGEST)).isTrue();
        assertThat(ReleasePlan.isNewState(status, 3L, "1.0.0", "sha256:other")).isTrue();
    }

    private static ReleasePlan plan(HelmRelease hr) {
        return new ReleasePlan(hr);
    }

    private static HelmRelease release() {
        HelmRelease hr = new HelmRelease();
        hr.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("apps").withGeneration(1L).build());
        hr.setSpec(new io.currents.api.helm.v2.HelmReleaseSpec());
        hr.getSpec().setInterval("10m");
        return hr;
    }

    private static Upgrade upgrade(int retries, Boolean remediateLastFailure, String strategy) {
        UpgradeRemediation remediation = new UpgradeRemediation();
        remediation.setRetries(retries);
        remediation.setRemediateLastFailure(remediateLastFailure);
        remediation.setStrategy(strategy);
        Upgrade upgrade = new Upgrade();
        upgrade.setRemediation(remediation);
        return upgrade;
    }

    private static StoredRelease stored(String status, String chart, String version, ObjectNode values, StoredRelease.Hook... hooks) {
        return new StoredRelease("web", "apps", 1, status, chart, version, "1.0", values, "", List.of(hooks), null, null, null,
                JSON.createObjectNode(), "sha256:0");
    }
}
