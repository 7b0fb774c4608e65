package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.helm.v2.HelmReleaseSpec;
import io.currents.api.helm.v2.HelmReleaseStatus;
import io.currents.api.meta.FluxMeta;
import io.currents.runtime.reconcile.Conditions;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The decisions of a HelmRelease reconcile, taken from its spec, its status and Helm's latest release alone (no
 * cluster, no Helm): which action the release needs (install, upgrade, test or none), when retries are used up,
 * whether and how a failure is remediated, and the names Flux gives the release.
 */
final class ReleasePlan {

    /** What the release needs this time. */
    enum Action { INSTALL, UPGRADE, TEST, NONE }

    static final String INSTALL = "install";
    static final String UPGRADE = "upgrade";

    /** What to do after a failed install, upgrade or test. */
    record AfterFailure(boolean remediate, boolean retriesLeft, String strategy) {
    }

    private final HelmRelease hr;
    private final HelmReleaseSpec spec;

    ReleasePlan(HelmRelease hr) {
        this.hr = hr;
        this.spec = hr.getSpec();
    }

    // --- names ---

    /** Flux's default release name: {@code [<targetNamespace>-]<name>}, shortened with a hash past Helm's 53 characters. */
    String releaseName() {
        String name = spec.getReleaseName();
        if (name != null && !name.isEmpty()) {
            return name;
        }
        String target = spec.getTargetNamespace();
        name = target == null || target.isEmpty() ? hr.getMetadata().getName() : target + "-" + hr.getMetadata().getName();
        if (name.length() > 53) {
            name = name.substring(0, 40) + "-" + StoredRelease.sha256(name.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        }
        return name;
    }

    String targetNamespace() {
        String target = spec.getTargetNamespace();
        return target == null || target.isEmpty() ? hr.getMetadata().getNamespace() : target;
    }

    /** Where Helm's records of the release are kept, as Flux: {@code spec.storageNamespace}, else the HelmRelease's namespace. */
    String storageNamespace() {
        String storage = spec.getStorageNamespace();
        return storage == null || storage.isEmpty() ? hr.getMetadata().getNamespace() : storage;
    }

    int maxHistory() {
        return spec.getMaxHistory() == null ? HelmRelease.DEFAULT_MAX_HISTORY : spec.getMaxHistory();
    }

    // --- the action ---

    /**
     * Whether the desired state differs from the last one attempted (generation, chart version or values): a new state
     * starts the failure counts afresh.
     */
    static boolean isNewState(HelmReleaseStatus status, Long generation, String chartVersion, String configDigest) {
        return !Objects.equals(status.getLastAttemptedGeneration(), generation)
                || !Objects.equals(status.getLastAttemptedRevision(), chartVersion)
                || !Objects.equals(status.getLastAttemptedConfigDigest(), configDigest);
    }

    /**
     * The value of {@code annotation} (Flux's {@code reconcile.fluxcd.io/forceAt} or {@code resetAt}) when it asks for
     * something not handled yet: Flux acts on them only together with a reconcile request of the same value.
     */
    static Optional<String> pendingRequest(Map<String, String> annotations, String annotation, String lastHandled) {
        String value = annotations == null ? null : annotations.get(annotation);
        if (value == null || value.isEmpty() || !value.equals(annotations.get(FluxMeta.RECONCILE_REQUEST_ANNOTATION))) {
            return Optional.empty();
        }
        return value.equals(lastHandled) ? Optional.empty() : Optional.of(value);
    }

    /**
     * The action the release needs: install over nothing (or an uninstalled release), upgrade a release that is not
     * deployed or differs in chart or values (or when forced), test a deployed release whose tests never ran, else none.
     *
     * @param testsRecorded whether the status recorded the result of this release's tests ({@link #testsRecorded})
     */
    Action next(StoredRelease latest, String chartName, String chartVersion, String configDigest, boolean force,
                boolean testsRecorded) {
        if (latest == null || "uninstalled".equals(latest.status())) {
            return Action.INSTALL;
        }
        if (!latest.isDeployed()) {
            // failed, pending-*, superseded-as-latest: only an upgrade makes it current again.
            return Action.UPGRADE;
        }
        if (force || !chartName.equals(latest.chartName()) || !chartVersion.equals(latest.chartVersion())
                || !configDigest.equals(latest.configDigest())) {
            return Action.UPGRADE;
        }
        if (testsEnabled() && !latest.testHooks().isEmpty() && !testsRecorded) {
            return Action.TEST;
        }
        return Action.NONE;
    }

    /**
     * Whether the status holds the result of the tests of {@code latest}: a TestSuccess condition written together with
     * a history whose newest snapshot is this release. A controller killed during the test (Helm's record then shows the
     * hooks started, still running) or between the test and its status write leaves the status of the release before:
     * its TestSuccess is not this release's, and the tests run again, as Flux runs a release whose snapshot has no test
     * result (its "untested" state).
     */
    static boolean testsRecorded(HelmReleaseStatus status, StoredRelease latest) {
        if (status == null || latest == null || Conditions.find(status.getConditions(), HelmRelease.TEST_SUCCESS_CONDITION).isEmpty()) {
            return false;
        }
        var history = status.getHistory();
        return history != null && !history.isEmpty() && history.getFirst().getVersion() != null
                && history.getFirst().getVersion() == latest.version();
    }

    /**
     * Why the release recorded in the status is no longer the one to keep, as Flux decides it: another release name or
     * release namespace, or another chart name unless {@code upgrade.chartNameChangeStrategy: InPlaceUpdate}; that
     * release is uninstalled and the new one installed. A moved storage namespace is not a reason here: the records
     * are moved instead (see ReleaseStorage).
     */
    Optional<String> targetChange(io.currents.api.helm.v2.Snapshot current, String chartName) {
        if (current == null) {
            return Optional.empty();
        }
        if (!targetNamespace().equals(current.getNamespace())) {
            return Optional.of("release namespace changed from '" + current.getNamespace() + "' to '" + targetNamespace() + "'");
        }
        if (!releaseName().equals(current.getName())) {
            return Optional.of("release name changed from '" + current.getName() + "' to '" + releaseName() + "'");
        }
        var upgrade = spec.getUpgrade();
        boolean inPlace = upgrade != null && "InPlaceUpdate".equals(upgrade.getChartNameChangeStrategy());
        if (!inPlace && current.getChartName() != null && !current.getChartName().equals(chartName)) {
            return Optional.of("chart name changed from '" + current.getChartName() + "' to '" + chartName + "'");
        }
        return Optional.empty();
    }

    /**
     * Whether the post-renderers or the common metadata differ from those of the last successful release (Flux's
     * {@code observedPostRenderersDigest}, {@code observedCommonMetadataDigest}): the objects change, so an upgrade is due.
     */
    boolean renderingChanged(HelmReleaseStatus status) {
        return !Objects.equals(status.getObservedPostRenderersDigest(), RenderedChart.postRenderersDigest(spec))
                || !Objects.equals(status.getObservedCommonMetadataDigest(), RenderedChart.commonMetadataDigest(spec));
    }

    /**
     * Whether an install or upgrade must not be tried again: the last attempted action used up its retries and
     * nothing (a new state, a reset or force request) gives it new ones.
     */
    boolean retriesExhausted(HelmReleaseStatus status, boolean newState, boolean reset, boolean force) {
        String lastAction = status.getLastAttemptedReleaseAction();
        return lastAction != null && exhausted(lastAction, status) && !newState && !reset && !force;
    }

    /**
     * The retry interval when the action's strategy is {@code RetryOnFailure} ({@code retryInterval}, default 5m): a
     * failure is then retried (a failed install with an upgrade) without remediation; empty for RemediateOnFailure.
     */
    Optional<java.time.Duration> retryOnFailure(String action) {
        String name;
        String interval;
        if (INSTALL.equals(action)) {
            var strategy = spec.getInstall() == null ? null : spec.getInstall().getStrategy();
            name = strategy == null ? null : strategy.getName();
            interval = strategy == null ? null : strategy.getRetryInterval();
        } else {
            var strategy = spec.getUpgrade() == null ? null : spec.getUpgrade().getStrategy();
            name = strategy == null ? null : strategy.getName();
            interval = strategy == null ? null : strategy.getRetryInterval();
        }
        if (!"RetryOnFailure".equals(name)) {
            return Optional.empty();
        }
        return Optional.of(io.currents.runtime.reconcile.FluxDuration.parseOr(interval, java.time.Duration.ofMinutes(5)));
    }

    /** Whether the failures of {@code action} have used up its retries (Flux: failures > retries, none for -1). */
    boolean exhausted(String action, HelmReleaseStatus status) {
        if (retryOnFailure(action).isPresent()) {
            return false;
        }
        long failures = failures(action, status);
        int retries = retries(action);
        return failures > 0 && retries >= 0 && failures > retries;
    }

    /**
     * Whether a release in sync stays failed because its tests failed: tests are enabled, their failures are not
     * ignored for the last action, and TestSuccess is False.
     */
    boolean failedTestsStand(HelmReleaseStatus status) {
        return testsEnabled() && !ignoreTestFailures(lastAction(status))
                && Conditions.isFalse(status.getConditions(), HelmRelease.TEST_SUCCESS_CONDITION);
    }

    /** The install or upgrade last attempted ({@code install} before any). */
    static String lastAction(HelmReleaseStatus status) {
        return Objects.requireNonNullElse(status.getLastAttemptedReleaseAction(), INSTALL);
    }

    static long failures(String action, HelmReleaseStatus status) {
        return INSTALL.equals(action) ? nz(status.getInstallFailures()) : nz(status.getUpgradeFailures());
    }

    // --- failures ---

    /**
     * After the {@code failures}-th failure of {@code action}: remediate while retries remain (or for the last
     * failure when {@code remediateLastFailure}, which defaults to true when retries are set), with the action's
     * strategy (an install is uninstalled; an upgrade rolled back unless its remediation says uninstall).
     */
    AfterFailure afterFailure(String action, long failures) {
        if (retryOnFailure(action).isPresent()) {
            // RetryOnFailure: nothing is remediated and the action is tried again after its interval, without end.
            return new AfterFailure(false, true, remediationStrategy(action));
        }
        int retries = retries(action);
        Boolean remediateLastFailure = INSTALL.equals(action)
                ? spec.getInstall() == null || spec.getInstall().getRemediation() == null ? null : spec.getInstall().getRemediation().getRemediateLastFailure()
                : spec.getUpgrade() == null || spec.getUpgrade().getRemediation() == null ? null : spec.getUpgrade().getRemediation().getRemediateLastFailure();
        boolean remediateLast = remediateLastFailure != null ? remediateLastFailure : retries != 0;
        boolean retriesLeft = retries < 0 || failures <= retries;
        return new AfterFailure(retriesLeft || remediateLast, retriesLeft, remediationStrategy(action));
    }

    /** {@code spec.install.remediation.retries} or {@code spec.upgrade.remediation.retries}, 0 when unset. */
    int retries(String action) {
        Integer retries = INSTALL.equals(action)
                ? spec.getInstall() == null || spec.getInstall().getRemediation() == null ? null : spec.getInstall().getRemediation().getRetries()
                : spec.getUpgrade() == null || spec.getUpgrade().getRemediation() == null ? null : spec.getUpgrade().getRemediation().getRetries();
        return retries == null ? 0 : retries;
    }

    String remediationStrategy(String action) {
        if (INSTALL.equals(action)) {
            return HelmRelease.REMEDIATION_UNINSTALL;
        }
        var remediation = spec.getUpgrade() == null ? null : spec.getUpgrade().getRemediation();
        return remediation != null && remediation.getStrategy() != null ? remediation.getStrategy() : HelmRelease.REMEDIATION_ROLLBACK;
    }

    boolean testsEnabled() {
        return spec.getTest() != null && Boolean.TRUE.equals(spec.getTest().getEnable());
    }

    /** {@code spec.test.ignoreFailures}, else the action's {@code remediation.ignoreTestFailures}, else false. */
    boolean ignoreTestFailures(String action) {
        if (spec.getTest() != null && spec.getTest().getIgnoreFailures() != null) {
            return spec.getTest().getIgnoreFailures();
        }
        if (INSTALL.equals(action) && spec.getInstall() != null && spec.getInstall().getRemediation() != null
                && spec.getInstall().getRemediation().getIgnoreTestFailures() != null) {
            return spec.getInstall().getRemediation().getIgnoreTestFailures();
        }
        if (UPGRADE.equals(action) && spec.getUpgrade() != null && spec.getUpgrade().getRemediation() != null
                && spec.getUpgrade().getRemediation().getIgnoreTestFailures() != null) {
            return spec.getUpgrade().getRemediation().getIgnoreTestFailures();
        }
        return false;
    }

    static long nz(Long value) {
        return value == null ? 0 : value;
    }
}
