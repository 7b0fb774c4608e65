package io.currents.helm.controller;

import io.currents.runtime.helm.SecretValues;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.helm.v2.HelmReleaseSpec;
import io.currents.api.helm.v2.HelmReleaseStatus;
import io.currents.api.helm.v2.Upgrade;
import io.currents.runtime.apply.ApplyException;
import io.currents.runtime.events.EventRecorder;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Map;

/**
 * A release's Helm actions as Flux's helm-controller runs them: install, upgrade and test, each recorded in the
 * Released, TestSuccess and Remediated conditions and in an event; a failure counted and remediated (uninstall or
 * rollback) as the {@link ReleasePlan} decides; drift detected or corrected. Each action ends the reconcile: it
 * returns how the release is Ready or throws why it is not.
 */
final class ReleaseActions {

    private static final Logger LOG = Logger.getLogger(ReleaseActions.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HelmRelease hr;
    private final HelmReleaseStatus status;
    private final Conditions conditions;
    private final ReleasePlan plan;
    private final HelmActions helm;
    private final ReleaseStorage storage;
    private final EventRecorder events;
    private final Map<String, String> eventMetadata;
    private final SecretValues secrets;
    private final KubernetesClient cluster;

    ReleaseActions(HelmRelease hr, HelmReleaseStatus status, Conditions conditions, ReleasePlan plan, HelmActions helm,
                   ReleaseStorage storage, EventRecorder events, Map<String, String> eventMetadata, SecretValues secrets,
                   KubernetesClient cluster) {
        this.cluster = cluster;
        this.hr = hr;
        this.status = status;
        this.conditions = conditions;
        this.plan = plan;
        this.helm = helm;
        this.storage = storage;
        this.events = events;
        this.eventMetadata = eventMetadata;
        this.secrets = secrets;
    }

    Ready install(Path chart, ObjectNode values, ChartMetadata metadata, String subject, Duration defaultTimeout)
            throws ReconcileFailure, IOException {
        var install = hr.getSpec().getInstall();
        Duration timeout = FluxDuration.parseOr(install == null ? null : install.getTimeout(), defaultTimeout);
        boolean createNamespace = install != null && Boolean.TRUE.equals(install.getCreateNamespace());
        Integer before = latestVersion();
        try {
            if (ChartCrds.CREATE_REPLACE.equals(HelmActions.installCrds(install))) {
                applyCrds(chart, ChartCrds.CREATE_REPLACE, timeout);
            }
            helm.install(chart, values, install, timeout, createNamespace, hr.getSpec());
        } catch (HelmActions.HelmFailure e) {
            String message = "Helm install failed for release " + subject + " with chart " + metadata.nameAndVersion() + ": " + e.getMessage();
            if (Objects.equals(before, latestVersion())) {
                throw failedWithoutRecord(HelmRelease.INSTALL_FAILED_REASON, message);
            }
            throw failed(ReleasePlan.INSTALL, HelmRelease.INSTALL_FAILED_REASON, message, timeout);
        }
        if (before == null) {
            storage.readFirstVersion();
        }
        StoredRelease released = storage.latest().orElseThrow(() -> new IOException("release " + subject + " not found after install"));
        if (install == null || !Boolean.TRUE.equals(install.getDisableWait())) {
            String waitFailure = pollerWait(released, install == null || !Boolean.TRUE.equals(install.getDisableWaitForJobs()), timeout);
            if (waitFailure != null) {
                String message = "Helm install failed for release " + subject + " with chart " + metadata.nameAndVersion() + ": " + waitFailure;
                throw failed(ReleasePlan.INSTALL, HelmRelease.INSTALL_FAILED_REASON, message, timeout);
            }
        }
        String message = "Helm install succeeded for release " + released.fullName() + " with chart " + released.chart();
        return succeeded(HelmRelease.INSTALL_SUCCEEDED_REASON, message, timeout);
    }

    Ready upgrade(Path chart, ObjectNode values, ChartMetadata metadata, String subject, Duration defaultTimeout, boolean force)
            throws ReconcileFailure, IOException {
        Upgrade upgrade = hr.getSpec().getUpgrade();
        Duration timeout = FluxDuration.parseOr(upgrade == null ? null : upgrade.getTimeout(), defaultTimeout);
        Upgrade options = upgrade == null ? new Upgrade() : upgrade;
        if (force) {
            options = JSON.convertValue(options, Upgrade.class);
            options.setForce(true);
        }
        Integer before = latestVersion();
        try {
            String crds = HelmActions.upgradeCrds(upgrade);
            boolean replacedCrds = !ChartCrds.SKIP.equals(crds) && applyCrds(chart, crds, timeout);
            long validationDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                try {
                    helm.upgrade(chart, values, options, timeout, null, hr.getSpec());
                    break;
                } catch (HelmActions.HelmFailure e) {
                    // Helm validates against the OpenAPI document the API server publishes a moment after a CRD
                    // changed; a new field can be "unknown" for that moment (Helm fails before recording anything).
                    if (!replacedCrds || e.getMessage() == null || !e.getMessage().contains("error validating data")
                            || System.nanoTime() > validationDeadline) {
                        throw e;
                    }
                    sleep(Duration.ofSeconds(1));
                }
            }
        } catch (HelmActions.HelmFailure e) {
            String message = "Helm upgrade failed for release " + subject + " with chart " + metadata.nameAndVersion() + ": " + e.getMessage();
            if (Objects.equals(before, latestVersion())) {
                throw failedWithoutRecord(HelmRelease.UPGRADE_FAILED_REASON, message);
            }
            storage.trim(plan.maxHistory());
            throw failed(ReleasePlan.UPGRADE, HelmRelease.UPGRADE_FAILED_REASON, message, timeout);
        }
        StoredRelease released = storage.latest().orElseThrow(() -> new IOException("release " + subject + " not found after upgrade"));
        if (!Boolean.TRUE.equals(options.getDisableWait())) {
            String waitFailure = pollerWait(released, !Boolean.TRUE.equals(options.getDisableWaitForJobs()), timeout);
            if (waitFailure != null) {
                String message = "Helm upgrade failed for release " + subject + " with chart " + metadata.nameAndVersion() + ": " + waitFailure;
                storage.trim(plan.maxHistory());
                throw failed(ReleasePlan.UPGRADE, HelmRelease.UPGRADE_FAILED_REASON, message, timeout);
            }
        }
        storage.trim(plan.maxHistory());
        released = storage.latest().orElseThrow(() -> new IOException("release " + subject + " not found after upgrade"));
        String message = "Helm upgrade succeeded for release " + released.fullName() + " with chart " + released.chart();
        return succeeded(HelmRelease.UPGRADE_SUCCEEDED_REASON, message, timeout);
    }

    /**
     * Flux's poller wait (its default strategy): the release's objects polled until Current by kstatus or the
     * healthCheckExprs, Jobs included unless disabled. A failure is recorded in Helm's record of the version (failed, as
     * Helm records a failed wait) and returned; null when every object is ready or the legacy strategy is used.
     */
    private String pollerWait(StoredRelease released, boolean jobs, Duration timeout) throws IOException {
        if (!ReleaseWait.poller(hr.getSpec())) {
            return null;
        }
        try {
            ReleaseWait.of(cluster, hr.getSpec()).await(released, jobs, timeout);
            return null;
        } catch (HelmActions.HelmFailure e) {
            storage.markFailed(released, "Release \"" + released.name() + "\" failed: " + e.getMessage());
            return e.getMessage();
        }
    }

    /** The chart's CRDs created (and replaced) before Helm acts, as Flux does for {@code crds: Create/CreateReplace}. */
    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns whether any CRD was created or replaced. */
    private boolean applyCrds(Path chart, String policy, Duration timeout) throws HelmActions.HelmFailure {
        if (!ChartCrds.CREATE.equals(policy) && !ChartCrds.CREATE_REPLACE.equals(policy)) {
            throw new HelmActions.HelmFailure("invalid CRD policy '" + policy + "': one of Skip, Create, CreateReplace", null);
        }
        try {
            List<String> changed = ChartCrds.apply(cluster, ChartCrds.read(chart), policy, timeout);
            if (!changed.isEmpty()) {
                LOG.infof("%s applied CustomResourceDefinitions (%s): %s", HelmReleaseReconciler.key(hr), policy, String.join(", ", changed));
            }
            return !changed.isEmpty();
        } catch (IOException e) {
            throw new HelmActions.HelmFailure("failed to apply CustomResourceDefinitions: " + e.getMessage(), e);
        } catch (KubernetesClientException e) {
            throw new HelmActions.HelmFailure("failed to apply CustomResourceDefinitions: " + ChartCrds.describe(e), e);
        }
    }

    /** After a successful install or upgrade: Released=True, then the tests when enabled. */
    private Ready succeeded(String reason, String message, Duration timeout) throws ReconcileFailure, IOException {
        status.setObservedPostRenderersDigest(RenderedChart.postRenderersDigest(hr.getSpec()));
        status.setObservedCommonMetadataDigest(RenderedChart.commonMetadataDigest(hr.getSpec()));
        conditions.markTrue(HelmRelease.RELEASED_CONDITION, reason, message);
        conditions.delete(HelmRelease.TEST_SUCCESS_CONDITION);
        event(EventRecorder.NORMAL, reason, message);
        if (plan.testsEnabled()) {
            return test(timeout);
        }
        ReleaseStatus.record(status, storage);
        return Ready.of(reason, message).reported();
    }

    /** Runs the release's test hooks: TestSuccess, and Ready unless failures are ignored. */
    Ready test(Duration defaultTimeout) throws ReconcileFailure, IOException {
        Duration timeout = FluxDuration.parseOr(hr.getSpec().getTest().getTimeout(), defaultTimeout);
        String action = ReleasePlan.lastAction(status);
        HelmActions.HelmFailure failure = null;
        try {
            helm.test(timeout);
        } catch (HelmActions.HelmFailure e) {
            failure = e;
        }
        StoredRelease tested = storage.latest().orElseThrow(() -> new IOException("release not found after test"));
        if (failure == null) {
            int hooks = tested.testHooks().size();
            String message = "Helm test succeeded for release " + tested.fullName() + " with chart " + tested.chart() + ": "
                    + (hooks == 0 ? "no test hooks" : hooks + " test hook" + (hooks == 1 ? "" : "s") + " completed successfully");
            conditions.markTrue(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_SUCCEEDED_REASON, message);
            event(EventRecorder.NORMAL, HelmRelease.TEST_SUCCEEDED_REASON, message);
            ReleaseStatus.record(status, storage);
            return Ready.of(HelmRelease.TEST_SUCCEEDED_REASON, message).reported();
        }
        String message = "Helm test failed for release " + tested.fullName() + " with chart " + tested.chart() + ": " + failure.getMessage();
        conditions.markFalse(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_FAILED_REASON, message);
        if (plan.ignoreTestFailures(action)) {
            event(EventRecorder.WARNING, HelmRelease.TEST_FAILED_REASON, message);
            ReleaseStatus.record(status, storage);
            Condition released = Conditions.find(status.getConditions(), HelmRelease.RELEASED_CONDITION).orElse(null);
            return Ready.of(released == null ? HelmRelease.TEST_FAILED_REASON : released.getReason(),
                    released == null ? message : released.getMessage()).reported();
        }
        throw failed(action, HelmRelease.TEST_FAILED_REASON, message, timeout);
    }

    /** The version of the newest release record, null when there is none. */
    private Integer latestVersion() throws IOException {
        return storage.newestVersion();
    }

    /**
     * A failed install or upgrade that left no new release record: Helm gave up before it recorded anything (the
     * cluster unreachable, a chart that does not render, a manifest the API server refuses to validate). As in Flux,
     * it counts in {@code status.failures} but not against the remediation's retries: the cluster is as it was, there is
     * nothing to remediate, and the action is retried with the controller's backoff (never Stalled for it).
     */
    private ReconcileFailure failedWithoutRecord(String reason, String message) throws IOException {
        status.setFailures(ReleasePlan.nz(status.getFailures()) + 1);
        conditions.markFalse(HelmRelease.RELEASED_CONDITION, reason, message);
        event(EventRecorder.WARNING, reason, message);
        ReleaseStatus.record(status, storage);
        return ReconcileFailure.retry(reason, message).reported();
    }

    /**
     * A failed install, upgrade or test: count it, remediate while retries remain (or for the last failure when the
     * plan says so), and fail the reconcile: retried in a second, or stalled once the retries are used up.
     */
    private ReconcileFailure failed(String action, String reason, String message, Duration timeout) throws IOException {
        status.setFailures(ReleasePlan.nz(status.getFailures()) + 1);
        long failures;
        if (ReleasePlan.INSTALL.equals(action)) {
            status.setInstallFailures(ReleasePlan.nz(status.getInstallFailures()) + 1);
            failures = status.getInstallFailures();
        } else {
            status.setUpgradeFailures(ReleasePlan.nz(status.getUpgradeFailures()) + 1);
            failures = status.getUpgradeFailures();
        }
        if (!HelmRelease.TEST_FAILED_REASON.equals(reason)) {
            conditions.markFalse(HelmRelease.RELEASED_CONDITION, reason, message);
        }
        event(EventRecorder.WARNING, reason, message);
        ReleasePlan.AfterFailure next = plan.afterFailure(action, failures);
        if (next.remediate()) {
            remediate(next.strategy(), timeout);
        }
        ReleaseStatus.record(status, storage);
        if (!next.retriesLeft()) {
            conditions.markFalse(Conditions.READY, reason, message);
            return ReconcileFailure.stalled(HelmReleaseReconciler.RETRIES_EXCEEDED_REASON,
                    "Failed to " + action + " after " + failures + " attempt(s)").keepingReady().reported();
        }
        return ReconcileFailure.retry(reason, message).requeueAfter(plan.retryOnFailure(action).orElse(Duration.ofSeconds(1))).reported();
    }

    private void remediate(String strategy, Duration timeout) throws IOException {
        HelmReleaseSpec spec = hr.getSpec();
        StoredRelease current = storage.latest().orElse(null);
        if (current == null || "uninstalled".equals(current.status())) {
            // Nothing was released (e.g. the chart did not render): nothing to remediate.
            return;
        }
        if (HelmRelease.REMEDIATION_ROLLBACK.equals(strategy)) {
            StoredRelease previous = storage.previousGood(current.version(), plan.ignoreTestFailures(ReleasePlan.UPGRADE)).orElse(null);
            if (previous == null) {
                String message = "Helm rollback of release " + current.fullName() + " failed: no previous successful release to roll back to";
                conditions.markFalse(HelmRelease.REMEDIATED_CONDITION, HelmRelease.ROLLBACK_FAILED_REASON, message);
                event(EventRecorder.WARNING, HelmRelease.ROLLBACK_FAILED_REASON, message);
                return;
            }
            var rollback = spec.getRollback();
            Duration rollbackTimeout = FluxDuration.parseOr(rollback == null ? null : rollback.getTimeout(), timeout);
            try {
                helm.rollback(previous, rollbackTimeout, rollback);
                if (rollback != null && Boolean.TRUE.equals(rollback.getRecreate())) {
                    recreatePods(previous);
                }
                storage.trim(plan.maxHistory());
                String message = "Helm rollback to previous release " + previous.fullName() + " with chart " + previous.chart() + " succeeded";
                conditions.markTrue(HelmRelease.REMEDIATED_CONDITION, HelmRelease.ROLLBACK_SUCCEEDED_REASON, message);
                event(EventRecorder.NORMAL, HelmRelease.ROLLBACK_SUCCEEDED_REASON, message);
            } catch (HelmActions.HelmFailure e) {
                String message = "Helm rollback to previous release " + previous.fullName() + " with chart " + previous.chart() + " failed: " + e.getMessage();
                conditions.markFalse(HelmRelease.REMEDIATED_CONDITION, HelmRelease.ROLLBACK_FAILED_REASON, message);
                event(EventRecorder.WARNING, HelmRelease.ROLLBACK_FAILED_REASON, message);
            }
            return;
        }
        try {
            helm.uninstall(spec.getUninstall(), current, cluster, timeout);
            String message = "Helm uninstall succeeded for release " + current.fullName() + " with chart " + current.chart();
            conditions.markTrue(HelmRelease.REMEDIATED_CONDITION, HelmRelease.UNINSTALL_SUCCEEDED_REASON, message);
            event(EventRecorder.NORMAL, HelmRelease.UNINSTALL_SUCCEEDED_REASON, message);
        } catch (HelmActions.HelmFailure e) {
            String message = "Helm uninstall failed for release " + current.fullName() + " with chart " + current.chart() + ": " + e.getMessage();
            conditions.markFalse(HelmRelease.REMEDIATED_CONDITION, HelmRelease.UNINSTALL_FAILED_REASON, message);
            event(EventRecorder.WARNING, HelmRelease.UNINSTALL_FAILED_REASON, message);
        }
    }

    /**
     * {@code rollback.recreate}, as Helm's: the Pods of the target's Deployments, StatefulSets, DaemonSets and
     * ReplicaSets are deleted so that their controllers start them afresh.
     */
    private void recreatePods(StoredRelease target) throws IOException {
        for (var object : DriftDetector.objects(target)) {
            if (!List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet").contains(object.getKind())) {
                continue;
            }
            Object spec = object.getAdditionalProperties().get("spec");
            Object selector = spec instanceof Map<?, ?> m ? m.get("selector") : null;
            Object labels = selector instanceof Map<?, ?> sel ? sel.get("matchLabels") : null;
            if (!(labels instanceof Map<?, ?> matchLabels) || matchLabels.isEmpty()) {
                continue;
            }
            Map<String, String> match = new java.util.LinkedHashMap<>();
            matchLabels.forEach((k, v) -> match.put(String.valueOf(k), String.valueOf(v)));
            cluster.pods().inNamespace(object.getMetadata().getNamespace()).withLabels(match).delete();
        }
    }

    /** {@code spec.driftDetection}: a Warning event listing the drift ({@code warn}), or the drift corrected ({@code enabled}). */
    void detectDrift(KubernetesClient target, StoredRelease latest) throws ReconcileFailure {
        var drift = hr.getSpec().getDriftDetection();
        String mode = drift == null || drift.getMode() == null ? HelmRelease.DRIFT_DETECTION_DISABLED : drift.getMode();
        if (HelmRelease.DRIFT_DETECTION_DISABLED.equals(mode)) {
            return;
        }
        DriftDetector detector = new DriftDetector(target, drift.getIgnore());
        DriftDetector.Drift found;
        try {
            found = detector.detect(latest);
        } catch (IOException | ApplyException | KubernetesClientException e) {
            throw new ReconcileFailure(HelmRelease.RECONCILIATION_FAILED_REASON, "failed to diff release against cluster resources: "
                    + HelmReleaseReconciler.describe(e));
        }
        if (!found.any()) {
            return;
        }
        String diff = String.join("\n", found.lines());
        if (HelmRelease.DRIFT_DETECTION_WARN.equals(mode)) {
            event(EventRecorder.WARNING, HelmReleaseReconciler.DRIFT_DETECTED_REASON, "Cluster state of release " + latest.fullName()
                    + " has drifted from the desired state:\n" + diff);
            return;
        }
        try {
            List<String> corrected = detector.correct(found);
            event(EventRecorder.NORMAL, HelmReleaseReconciler.DRIFT_DETECTED_REASON, "Cluster state of release " + latest.fullName()
                    + " has been corrected:\n" + String.join("\n", corrected));
        } catch (ApplyException | KubernetesClientException e) {
            throw new ReconcileFailure(HelmRelease.RECONCILIATION_FAILED_REASON, "Failed to correct cluster state of release "
                    + latest.fullName() + ": " + HelmReleaseReconciler.describe(e));
        }
    }

    private void event(String type, String reason, String text) {
        String message = secrets.redact(text);
        String key = HelmReleaseReconciler.key(hr);
        if (EventRecorder.WARNING.equals(type)) {
            LOG.warnf("%s %s: %s", key, reason, message);
            events.warning(hr, reason, message, eventMetadata);
        } else {
            LOG.infof("%s %s: %s", key, reason, message);
            events.normal(hr, reason, message, eventMetadata);
        }
    }
}
