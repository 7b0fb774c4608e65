package io.currents.helm.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.helm.v2.HelmReleaseSpec;
import io.currents.api.helm.v2.HelmReleaseStatus;
import io.currents.api.helm.v2.Snapshot;
import io.currents.api.helm.v2.TestHookStatus;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.KubeConfigReference;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.OCIRepository;
import io.currents.runtime.Conditions;
import io.currents.runtime.ArtifactFetcher;
import io.currents.runtime.EventRecorder;
import io.currents.runtime.FluxDuration;
import io.currents.runtime.FluxUpdateFilter;
import io.currents.runtime.ManagedFieldsFreeStore;
import io.currents.runtime.ReconcileMetrics;
import io.currents.runtime.ReconcileRequest;
import io.currents.runtime.RequeuePolicy;
import io.currents.runtime.apply.ApplyException;
import io.currents.runtime.apply.ClusterAccess;
import io.currents.runtime.apply.KubeconfigPolicy;
import io.currents.runtime.build.ReconcileFailure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reconciles a HelmRelease: resolve the chart source (the owned HelmChart or {@code spec.chartRef}), download and
 * verify the chart, compose the values, then bring Helm's release to the desired chart and values (install, upgrade,
 * test), remediate failures (uninstall, rollback) within the configured retries, and detect or correct drift of the
 * released objects. Releases are made by Helm itself and stored as Helm stores them.
 */
@ControllerConfiguration(name = "helmrelease", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class, itemStore = ManagedFieldsFreeStore.class))
public class HelmReleaseReconciler implements Reconciler<HelmRelease>, Cleaner<HelmRelease> {

    static final String KIND = "HelmRelease";
    static final String SOURCE_INDEX = "chartSource";
    static final String VALUES_ERROR_REASON = "ValuesError";
    static final String RETRIES_EXCEEDED_REASON = "RetriesExceeded";
    /** Our own reason (Flux has no such event): options the API accepts that this controller does not apply. */
    static final String UNSUPPORTED_OPTIONS_REASON = "UnsupportedOptions";
    static final String DRIFT_DETECTED_REASON = "DriftDetected";
    static final String PENDING_RELEASE_REASON = "PendingRelease";
    private static final Logger LOG = Logger.getLogger(HelmReleaseReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_STATUS_HISTORY = 5;

    @Inject
    KubernetesClient client;
    @Inject
    EventRecorder events;
    @Inject
    ReconcileMetrics metrics;

    @ConfigProperty(name = "interval-jitter-percentage", defaultValue = "5")
    int jitterPercentage;
    @ConfigProperty(name = "requeue-dependency", defaultValue = "5s")
    String requeueDependency;
    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;
    @ConfigProperty(name = "default-service-account")
    Optional<String> defaultServiceAccount;
    @ConfigProperty(name = KubeconfigPolicy.EXEC_FLAG, defaultValue = "false")
    boolean insecureKubeconfigExec;
    @ConfigProperty(name = KubeconfigPolicy.TLS_FLAG, defaultValue = "false")
    boolean insecureKubeconfigTls;
    @ConfigProperty(name = "artifact-fetch-retries", defaultValue = "9")
    int artifactFetchRetries;
    @ConfigProperty(name = "max-artifact-size", defaultValue = "64Mi")
    String maxArtifactSize;

    private final Clock clock = Clock.systemUTC();
    private volatile RequeuePolicy requeue;
    private volatile ArtifactFetcher fetcher;

    // --- watches ---

    /** Watches HelmCharts and OCIRepositories: a new chart artifact reconciles the releases that use it. */
    @Override
    public List<EventSource<?, HelmRelease>> prepareEventSources(EventSourceContext<HelmRelease> context) {
        IndexerResourceCache<HelmRelease> primaries = context.getPrimaryCache();
        primaries.addIndexer(SOURCE_INDEX, hr -> {
            String key = hr.getSpec() == null ? null : ChartSources.sourceKey(hr);
            return key == null ? List.of() : List.of(key);
        });
        return List.of(watch("HelmChart", HelmChart.class, context), watch("OCIRepository", OCIRepository.class, context));
    }

    private <S extends HasMetadata> InformerEventSource<S, HelmRelease> watch(String kind, Class<S> type, EventSourceContext<HelmRelease> context) {
        IndexerResourceCache<HelmRelease> primaries = context.getPrimaryCache();
        var configuration = InformerEventSourceConfiguration.from(type, HelmRelease.class)
                .withName(kind)
                .withSecondaryToPrimaryMapper(source -> primaries.byIndex(SOURCE_INDEX,
                                kind + "/" + source.getMetadata().getNamespace() + "/" + source.getMetadata().getName())
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withOnUpdateFilter((updated, old) -> !Objects.equals(revisionOf(updated), revisionOf(old)))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    private static String revisionOf(HasMetadata source) {
        var a = ChartSources.artifactOf(source);
        return a == null ? null : a.getRevision() + "|" + a.getDigest();
    }

    // --- reconcile ---

    @Override
    public UpdateControl<HelmRelease> reconcile(HelmRelease hr, Context<HelmRelease> context) {
        long started = System.nanoTime();
        HelmReleaseSpec spec = hr.getSpec();
        HelmReleaseStatus status = hr.getStatus() == null ? new HelmReleaseStatus() : hr.getStatus();
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        HelmReleaseStatus before = JSON.convertValue(status, HelmReleaseStatus.class);
        String key = key(hr);
        ReconcileRequest.requestedAt(hr).ifPresent(status::setLastHandledReconcileAt);

        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        metrics.recordSuspend(hr, suspended);
        if (suspended) {
            LOG.debugf("%s is suspended", key);
            return finish(hr, before, status, null);
        }

        Conditions conditions = Conditions.of(status.getConditions(), hr.getMetadata().getGeneration(), clock);
        Duration interval = FluxDuration.parseOr(spec.getInterval(), Duration.ofMinutes(10));
        Run run = new Run(hr, status, conditions);
        if (!java.util.Objects.equals(status.getObservedGeneration(), hr.getMetadata().getGeneration())) {
            List<String> unapplied = UnappliedOptions.of(spec);
            if (!unapplied.isEmpty()) {
                // once per generation: these fields are accepted by the API but change nothing here
                String message = "spec." + String.join(", spec.", unapplied) + (unapplied.size() == 1 ? " is" : " are")
                        + " set but not applied by this helm-controller; see docs/helm-controller.md";
                LOG.warnf("%s %s: %s", key, UNSUPPORTED_OPTIONS_REASON, message);
                events.warning(hr, UNSUPPORTED_OPTIONS_REASON, message, Map.of());
            }
        }
        Duration next;
        try {
            reconcileRelease(run);
            next = run.requeueAfter != null ? run.requeueAfter : requeue().afterSuccess(key, interval);
        } catch (ReconcileFailure failure) {
            run.failure = failure;
            if (failure.isStalled() && RETRIES_EXCEEDED_REASON.equals(failure.reason())) {
                // Ready keeps the reason of the failure that used up the retries (InstallFailed, UpgradeFailed, TestFailed).
                conditions.set(Conditions.STALLED, Conditions.TRUE, failure.reason(), failure.getMessage());
                conditions.delete(Conditions.RECONCILING);
                if (!Conditions.isFalse(status.getConditions(), Conditions.READY)) {
                    conditions.markFalse(Conditions.READY, failure.reason(), failure.getMessage());
                }
                next = null;
            } else if (failure.isStalled()) {
                conditions.markStalled(failure.reason(), failure.getMessage());
                next = null;
            } else {
                conditions.markFailedWithRetry(failure.reason(), failure.getMessage());
                next = run.requeueAfter != null ? run.requeueAfter : requeue().afterFailure(key, interval);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure reconciling %s", key);
            String message = "reconciliation failed: " + describe(e);
            run.failure = new ReconcileFailure(HelmRelease.RECONCILIATION_FAILED_REASON, message);
            conditions.markFailedWithRetry(HelmRelease.RECONCILIATION_FAILED_REASON, message);
            next = requeue().afterFailure(key, interval);
        } finally {
            deleteTree(run.workDir);
        }
        status.setObservedGeneration(hr.getMetadata().getGeneration());
        run.secrets.redact(status.getConditions(), run.events);
        recordEvents(run, before, status);
        metrics.recordCondition(hr, status.getConditions(), Conditions.READY, false);
        metrics.recordDuration(hr, Duration.ofNanos(System.nanoTime() - started));
        return finish(hr, before, status, next);
    }

    /** The state of one reconcile, for the steps and the events at the end. */
    private static final class Run {
        final HelmRelease hr;
        final HelmReleaseStatus status;
        final Conditions conditions;
        final List<String[]> events = new ArrayList<>();
        final SecretValues secrets = new SecretValues();
        Path workDir;
        ReconcileFailure failure;
        Duration requeueAfter;
        String revision;

        Run(HelmRelease hr, HelmReleaseStatus status, Conditions conditions) {
            this.hr = hr;
            this.status = status;
            this.conditions = conditions;
        }

        void event(String type, String reason, String message) {
            events.add(new String[]{type, reason, message});
        }
    }

    /** What the release needs this time. */
    private enum Action { INSTALL, UPGRADE, TEST, NONE }

    private void reconcileRelease(Run run) throws ReconcileFailure {
        HelmRelease hr = run.hr;
        HelmReleaseSpec spec = hr.getSpec();
        HelmReleaseStatus status = run.status;
        String releaseName = releaseName(hr);
        String targetNamespace = targetNamespace(hr);
        String storageNamespace = storageNamespace(hr);

        // 1. Dependencies.
        checkDependencies(run);

        // 2. The chart source and its artifact; nothing released is touched when this fails.
        ChartSources sources = new ChartSources(client, noCrossNamespaceRefs);
        if (spec.getChartRef() != null && status.getHelmChart() != null) {
            // Moved from a chart template to chartRef: the HelmChart made for the template is no longer wanted.
            sources.deleteOwnedChart(hr, status.getHelmChart());
            status.setHelmChart(null);
        }
        ChartSources.Source source;
        try {
            source = sources.resolve(hr);
        } catch (ReconcileFailure f) {
            if (spec.getChart() != null && spec.getChartRef() == null) {
                status.setHelmChart(ChartSources.templateNamespace(hr) + "/" + ChartSources.helmChartName(hr));
            }
            run.requeueAfter = f.isStalled() ? null : dependencyInterval();
            throw f;
        }
        if (spec.getChartRef() == null) {
            status.setHelmChart(source.namespace() + "/" + source.name());
        }
        Path chart;
        ChartMetadata metadata;
        try {
            run.workDir = Files.createTempDirectory("helmrelease-" + hr.getMetadata().getNamespace() + "-" + hr.getMetadata().getName() + "-");
            chart = run.workDir.resolve("chart.tgz");
            fetcher().download(source.artifact(), chart);
        } catch (ArtifactFetcher.ArtifactNotFound e) {
            run.requeueAfter = dependencyInterval();
            throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, "Source is not ready, artifact not found, retrying in "
                    + FluxDuration.format(dependencyInterval()));
        } catch (IOException e) {
            throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, "failed to fetch chart from " + source.subject() + ": " + describe(e));
        }
        try {
            metadata = ChartMetadata.read(chart);
        } catch (IOException e) {
            throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, describe(e));
        }
        run.revision = metadata.version();

        // 3. Values.
        ObjectNode values;
        try {
            values = ReleaseValues.compose(client, hr, run.secrets);
        } catch (ReleaseValues.ValuesError e) {
            throw new ReconcileFailure(VALUES_ERROR_REASON, e.getMessage());
        }
        String configDigest = ReleaseValues.digest(values);

        // 4. A new desired state (or a reset request) starts the failure counts afresh.
        Long generation = hr.getMetadata().getGeneration();
        boolean newState = !Objects.equals(status.getLastAttemptedGeneration(), generation)
                || !Objects.equals(status.getLastAttemptedRevision(), metadata.version())
                || !Objects.equals(status.getLastAttemptedConfigDigest(), configDigest);
        Optional<String> resetAt = annotation(hr, FluxMeta.RESET_REQUEST_ANNOTATION)
                .filter(v -> !v.equals(status.getLastHandledResetAt()));
        if (newState || resetAt.isPresent()) {
            status.setFailures(0L);
            status.setInstallFailures(0L);
            status.setUpgradeFailures(0L);
            resetAt.ifPresent(status::setLastHandledResetAt);
        }
        Optional<String> forceAt = annotation(hr, FluxMeta.FORCE_REQUEST_ANNOTATION)
                .filter(v -> !v.equals(status.getLastHandledForceAt()));

        if (storageNamespace != null && !storageNamespace.equals(targetNamespace)) {
            throw ReconcileFailure.stalled(HelmRelease.INIT_FAILED_REASON, "spec.storageNamespace '" + storageNamespace
                    + "' differs from the target namespace '" + targetNamespace + "': this helm-controller stores releases in the"
                    + " namespace of the release (set spec.storageNamespace to the target namespace or leave it empty)");
        }
        status.setStorageNamespace(targetNamespace);

        Duration timeout = FluxDuration.parseOr(spec.getTimeout(), Duration.ofMinutes(5));
        try (Target target = target(hr, run.workDir)) {
            ReleaseStorage storage = new ReleaseStorage(target.client, targetNamespace, releaseName);
            StoredRelease latest = latest(storage);
            if (latest != null && latest.isPending()) {
                // A Helm action was cut short (e.g. the controller restarted mid-upgrade): Helm would refuse any
                // new action on a pending release, so mark it failed as Flux does and carry on.
                String message = "Unlocked Helm release " + latest.fullName() + " with chart " + latest.chart()
                        + " in " + latest.status() + " state";
                storage.unlock(latest);
                run.conditions.markFalse(HelmRelease.RELEASED_CONDITION, PENDING_RELEASE_REASON, message);
                run.event(EventRecorder.WARNING, PENDING_RELEASE_REASON, message);
                latest = latest(storage);
            }
            HelmActions helm = new HelmActions(target.kubeconfig.path(), run.workDir, releaseName, targetNamespace);

            Action action = decide(run, latest, metadata, configDigest, forceAt.isPresent());
            String subject = targetNamespace + "/" + releaseName;
            if (action == Action.INSTALL || action == Action.UPGRADE) {
                String lastAction = status.getLastAttemptedReleaseAction();
                if (lastAction != null && exhausted(run, lastAction) && !newState && resetAt.isEmpty() && forceAt.isEmpty()) {
                    long failures = "install".equals(lastAction) ? nz(status.getInstallFailures()) : nz(status.getUpgradeFailures());
                    snapshot(run, storage);
                    throw ReconcileFailure.stalled(RETRIES_EXCEEDED_REASON, "Failed to " + lastAction + " after " + failures + " attempt(s)");
                }
                run.conditions.markReconciling(Conditions.PROGRESSING, "Running '" + action.name().toLowerCase() + "' action with timeout of "
                        + FluxDuration.format(timeout));
                status.setLastAttemptedGeneration(generation);
                status.setLastAttemptedRevision(metadata.version());
                status.setLastAttemptedRevisionDigest(source.artifact().getDigest());
                status.setLastAttemptedConfigDigest(configDigest);
                forceAt.ifPresent(status::setLastHandledForceAt);
                long t0 = System.nanoTime();
                if (action == Action.INSTALL) {
                    status.setLastAttemptedReleaseAction("install");
                    install(run, helm, storage, chart, values, metadata, subject, timeout);
                } else {
                    status.setLastAttemptedReleaseAction("upgrade");
                    upgrade(run, helm, storage, chart, values, metadata, subject, timeout, forceAt.isPresent());
                }
                status.setLastAttemptedReleaseActionDuration(FluxDuration.format(Duration.ofNanos(System.nanoTime() - t0)));
            } else if (action == Action.TEST) {
                runTests(run, helm, storage, timeout);
            } else {
                // In sync: report the current release and look for drift.
                snapshot(run, storage);
                String lastAction = Objects.requireNonNullElse(status.getLastAttemptedReleaseAction(), "install");
                boolean testsEnabled = spec.getTest() != null && Boolean.TRUE.equals(spec.getTest().getEnable());
                if (testsEnabled) {
                    restoreTestResult(run, latest);
                }
                if (testsEnabled && !ignoreTestFailures(hr, lastAction)
                        && Conditions.isFalse(status.getConditions(), HelmRelease.TEST_SUCCESS_CONDITION)) {
                    // The release's tests failed and the retries are used up: it stays failed until something changes.
                    long failures = Math.max(1, "install".equals(lastAction) ? nz(status.getInstallFailures()) : nz(status.getUpgradeFailures()));
                    throw ReconcileFailure.stalled(RETRIES_EXCEEDED_REASON, "Failed to " + lastAction + " after " + failures + " attempt(s)");
                }
                if (!Conditions.isTrue(status.getConditions(), Conditions.READY)) {
                    Condition released = Conditions.find(status.getConditions(), HelmRelease.RELEASED_CONDITION).orElse(null);
                    String reason = released != null && Conditions.TRUE.equals(released.getStatus()) ? released.getReason()
                            : latest.version() == 1 ? HelmRelease.INSTALL_SUCCEEDED_REASON : HelmRelease.UPGRADE_SUCCEEDED_REASON;
                    String message = released != null && Conditions.TRUE.equals(released.getStatus()) ? released.getMessage()
                            : "Helm " + (latest.version() == 1 ? "install" : "upgrade") + " succeeded for release " + latest.fullName()
                            + " with chart " + latest.chart();
                    run.conditions.markTrue(HelmRelease.RELEASED_CONDITION, reason, message);
                    run.conditions.markReady(reason, message);
                }
                detectDrift(run, target, latest);
            }
        } catch (IOException e) {
            throw new ReconcileFailure(HelmRelease.GET_LAST_RELEASE_FAILED_REASON, "failed to read Helm release storage: " + describe(e));
        } catch (KubernetesClientException e) {
            throw new ReconcileFailure(HelmRelease.RECONCILIATION_FAILED_REASON, describe(e));
        }
    }

    private StoredRelease latest(ReleaseStorage storage) throws ReconcileFailure {
        try {
            return storage.latest().orElse(null);
        } catch (IOException | KubernetesClientException e) {
            throw new ReconcileFailure(HelmRelease.GET_LAST_RELEASE_FAILED_REASON, "failed to get last release revision: " + describe(e));
        }
    }

    /**
     * Sets TestSuccess from Helm's own record of the release's test hooks when the status has none: a reconcile that
     * started from a cached copy older than the last status write would otherwise call a release whose tests failed Ready.
     */
    private static void restoreTestResult(Run run, StoredRelease latest) {
        List<StoredRelease.Hook> hooks = latest.testHooks();
        if (hooks.isEmpty() || hooks.stream().anyMatch(h -> h.started() == null)
                || Conditions.find(run.status.getConditions(), HelmRelease.TEST_SUCCESS_CONDITION).isPresent()) {
            return;
        }
        if (hooks.stream().anyMatch(h -> "Failed".equals(h.phase()))) {
            String message = "Helm test failed for release " + latest.fullName() + " with chart " + latest.chart();
            run.conditions.markFalse(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_FAILED_REASON, message);
            if (!ignoreTestFailures(run.hr, Objects.requireNonNullElse(run.status.getLastAttemptedReleaseAction(), "install"))) {
                run.conditions.markFalse(Conditions.READY, HelmRelease.TEST_FAILED_REASON, message);
            }
        } else {
            run.conditions.markTrue(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_SUCCEEDED_REASON, "Helm test succeeded for release "
                    + latest.fullName() + " with chart " + latest.chart() + ": " + hooks.size() + " test hook"
                    + (hooks.size() == 1 ? "" : "s") + " completed successfully");
        }
    }

    private Action decide(Run run, StoredRelease latest, ChartMetadata chart, String configDigest, boolean force) {
        if (latest == null || "uninstalled".equals(latest.status())) {
            return Action.INSTALL;
        }
        if (!latest.isDeployed()) {
            // failed, pending-*, superseded-as-latest: only an upgrade (or install over nothing) makes it current again.
            return Action.UPGRADE;
        }
        if (force || !chart.name().equals(latest.chartName()) || !chart.version().equals(latest.chartVersion())
                || !configDigest.equals(latest.configDigest())) {
            return Action.UPGRADE;
        }
        var test = run.hr.getSpec().getTest();
        if (test != null && Boolean.TRUE.equals(test.getEnable()) && !latest.testHooks().isEmpty()
                && latest.testHooks().stream().allMatch(h -> h.started() == null)
                && !Conditions.find(run.status.getConditions(), HelmRelease.TEST_SUCCESS_CONDITION).isPresent()) {
            return Action.TEST;
        }
        return Action.NONE;
    }

    /** Whether the failures of {@code action} have used up its retries (Flux: failures > retries). */
    private boolean exhausted(Run run, String action) {
        var spec = run.hr.getSpec();
        if ("install".equals(action)) {
            int retries = spec.getInstall() == null || spec.getInstall().getRemediation() == null || spec.getInstall().getRemediation().getRetries() == null
                    ? 0 : spec.getInstall().getRemediation().getRetries();
            return nz(run.status.getInstallFailures()) > 0 && (retries >= 0 && nz(run.status.getInstallFailures()) > retries);
        }
        int retries = upgradeRetries(run.hr);
        return nz(run.status.getUpgradeFailures()) > 0 && (retries >= 0 && nz(run.status.getUpgradeFailures()) > retries);
    }

    private void install(Run run, HelmActions helm, ReleaseStorage storage, Path chart, ObjectNode values, ChartMetadata metadata,
                         String subject, Duration defaultTimeout) throws ReconcileFailure, IOException {
        var spec = run.hr.getSpec();
        var install = spec.getInstall();
        Duration timeout = FluxDuration.parseOr(install == null ? null : install.getTimeout(), defaultTimeout);
        boolean createNamespace = install != null && Boolean.TRUE.equals(install.getCreateNamespace());
        try {
            helm.install(chart, values, install, timeout, createNamespace);
        } catch (HelmActions.HelmFailure e) {
            String message = "Helm install failed for release " + subject + " with chart " + metadata.nameAndVersion() + ": " + e.getMessage();
            failed(run, "install", HelmRelease.INSTALL_FAILED_REASON, message, helm, storage, timeout);
            return;
        }
        StoredRelease released = storage.latest().orElseThrow(() -> new IOException("release " + subject + " not found after install"));
        String message = "Helm install succeeded for release " + released.fullName() + " with chart " + released.chart();
        succeeded(run, "install", HelmRelease.INSTALL_SUCCEEDED_REASON, message, helm, storage, timeout);
    }

    private void upgrade(Run run, HelmActions helm, ReleaseStorage storage, Path chart, ObjectNode values, ChartMetadata metadata,
                         String subject, Duration defaultTimeout, boolean force) throws ReconcileFailure, IOException {
        var spec = run.hr.getSpec();
        var upgrade = spec.getUpgrade();
        Duration timeout = FluxDuration.parseOr(upgrade == null ? null : upgrade.getTimeout(), defaultTimeout);
        var options = upgrade == null ? new io.currents.api.helm.v2.Upgrade() : upgrade;
        if (force) {
            options = JSON.convertValue(options, io.currents.api.helm.v2.Upgrade.class);
            options.setForce(true);
        }
        try {
            helm.upgrade(chart, values, options, timeout, null);
        } catch (HelmActions.HelmFailure e) {
            String message = "Helm upgrade failed for release " + subject + " with chart " + metadata.nameAndVersion() + ": " + e.getMessage();
            storage.trim(maxHistory(run.hr));
            failed(run, "upgrade", HelmRelease.UPGRADE_FAILED_REASON, message, helm, storage, timeout);
            return;
        }
        storage.trim(maxHistory(run.hr));
        StoredRelease released = storage.latest().orElseThrow(() -> new IOException("release " + subject + " not found after upgrade"));
        String message = "Helm upgrade succeeded for release " + released.fullName() + " with chart " + released.chart();
        succeeded(run, "upgrade", HelmRelease.UPGRADE_SUCCEEDED_REASON, message, helm, storage, timeout);
    }

    /** After a successful install or upgrade: Released=True, then the tests when enabled. */
    private void succeeded(Run run, String action, String reason, String message, HelmActions helm, ReleaseStorage storage,
                           Duration timeout) throws ReconcileFailure, IOException {
        run.conditions.markTrue(HelmRelease.RELEASED_CONDITION, reason, message);
        run.conditions.delete(HelmRelease.TEST_SUCCESS_CONDITION);
        run.event(EventRecorder.NORMAL, reason, message);
        var test = run.hr.getSpec().getTest();
        if (test != null && Boolean.TRUE.equals(test.getEnable())) {
            runTests(run, helm, storage, timeout);
            return;
        }
        snapshot(run, storage);
        run.conditions.markReady(reason, message);
    }

    private void runTests(Run run, HelmActions helm, ReleaseStorage storage, Duration defaultTimeout) throws ReconcileFailure, IOException {
        var test = run.hr.getSpec().getTest();
        Duration timeout = FluxDuration.parseOr(test.getTimeout(), defaultTimeout);
        String action = Objects.requireNonNullElse(run.status.getLastAttemptedReleaseAction(), "install");
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
            run.conditions.markTrue(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_SUCCEEDED_REASON, message);
            run.event(EventRecorder.NORMAL, HelmRelease.TEST_SUCCEEDED_REASON, message);
            snapshot(run, storage);
            run.conditions.markReady(HelmRelease.TEST_SUCCEEDED_REASON, message);
            return;
        }
        String message = "Helm test failed for release " + tested.fullName() + " with chart " + tested.chart() + ": " + failure.getMessage();
        run.conditions.markFalse(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_FAILED_REASON, message);
        if (ignoreTestFailures(run.hr, action)) {
            run.event(EventRecorder.WARNING, HelmRelease.TEST_FAILED_REASON, message);
            snapshot(run, storage);
            Condition released = Conditions.find(run.status.getConditions(), HelmRelease.RELEASED_CONDITION).orElse(null);
            run.conditions.markReady(released == null ? HelmRelease.TEST_FAILED_REASON : released.getReason(),
                    released == null ? message : released.getMessage());
            return;
        }
        failed(run, action, HelmRelease.TEST_FAILED_REASON, message, helm, storage, timeout);
    }

    /**
     * A failed install, upgrade or test: count it, remediate while retries remain (or for the last failure when
     * {@code remediateLastFailure}), and fail the reconcile: with a retry, or stalled once the retries are used up.
     */
    private void failed(Run run, String action, String reason, String message, HelmActions helm, ReleaseStorage storage,
                        Duration timeout) throws ReconcileFailure, IOException {
        HelmReleaseStatus status = run.status;
        status.setFailures(nz(status.getFailures()) + 1);
        long failures;
        int retries;
        boolean remediateLast;
        if ("install".equals(action)) {
            status.setInstallFailures(nz(status.getInstallFailures()) + 1);
            failures = status.getInstallFailures();
            var r = run.hr.getSpec().getInstall() == null ? null : run.hr.getSpec().getInstall().getRemediation();
            retries = r == null || r.getRetries() == null ? 0 : r.getRetries();
            remediateLast = r != null && r.getRemediateLastFailure() != null ? r.getRemediateLastFailure() : retries != 0;
        } else {
            status.setUpgradeFailures(nz(status.getUpgradeFailures()) + 1);
            failures = status.getUpgradeFailures();
            var r = run.hr.getSpec().getUpgrade() == null ? null : run.hr.getSpec().getUpgrade().getRemediation();
            retries = upgradeRetries(run.hr);
            remediateLast = r != null && r.getRemediateLastFailure() != null ? r.getRemediateLastFailure() : retries != 0;
        }
        if (!HelmRelease.TEST_FAILED_REASON.equals(reason)) {
            run.conditions.markFalse(HelmRelease.RELEASED_CONDITION, reason, message);
        }
        run.event(EventRecorder.WARNING, reason, message);
        boolean retriesLeft = retries < 0 || failures <= retries;
        if (retriesLeft || remediateLast) {
            remediate(run, action, helm, storage, timeout);
        }
        snapshot(run, storage);
        if (!retriesLeft) {
            run.conditions.markFalse(Conditions.READY, reason, message);
            throw ReconcileFailure.stalled(RETRIES_EXCEEDED_REASON, "Failed to " + action + " after " + failures + " attempt(s)");
        }
        run.requeueAfter = Duration.ofSeconds(1);
        throw new ReconcileFailure(reason, message);
    }

    private void remediate(Run run, String action, HelmActions helm, ReleaseStorage storage, Duration timeout) throws IOException {
        var spec = run.hr.getSpec();
        StoredRelease current = storage.latest().orElse(null);
        if (current == null || "uninstalled".equals(current.status())) {
            // Nothing was released (e.g. the chart did not render): nothing to remediate.
            return;
        }
        String strategy = "install".equals(action) ? HelmRelease.REMEDIATION_UNINSTALL
                : spec.getUpgrade() != null && spec.getUpgrade().getRemediation() != null && spec.getUpgrade().getRemediation().getStrategy() != null
                ? spec.getUpgrade().getRemediation().getStrategy() : HelmRelease.REMEDIATION_ROLLBACK;
        var uninstall = spec.getUninstall();
        if (HelmRelease.REMEDIATION_ROLLBACK.equals(strategy)) {
            StoredRelease previous = storage.previousGood(current.version()).orElse(null);
            if (previous == null) {
                String message = "Helm rollback of release " + current.fullName() + " failed: no previous successful release to roll back to";
                run.conditions.markFalse(HelmRelease.REMEDIATED_CONDITION, HelmRelease.ROLLBACK_FAILED_REASON, message);
                run.event(EventRecorder.WARNING, HelmRelease.ROLLBACK_FAILED_REASON, message);
                return;
            }
            var rollback = spec.getRollback();
            Duration rollbackTimeout = FluxDuration.parseOr(rollback == null ? null : rollback.getTimeout(), timeout);
            try {
                helm.rollback(previous, rollbackTimeout, spec.getUpgrade());
                storage.trim(maxHistory(run.hr));
                String message = "Helm rollback to previous release " + previous.fullName() + " with chart " + previous.chart() + " succeeded";
                run.conditions.markTrue(HelmRelease.REMEDIATED_CONDITION, HelmRelease.ROLLBACK_SUCCEEDED_REASON, message);
                run.event(EventRecorder.NORMAL, HelmRelease.ROLLBACK_SUCCEEDED_REASON, message);
            } catch (HelmActions.HelmFailure e) {
                String message = "Helm rollback to previous release " + previous.fullName() + " with chart " + previous.chart() + " failed: " + e.getMessage();
                run.conditions.markFalse(HelmRelease.REMEDIATED_CONDITION, HelmRelease.ROLLBACK_FAILED_REASON, message);
                run.event(EventRecorder.WARNING, HelmRelease.ROLLBACK_FAILED_REASON, message);
            }
            return;
        }
        try {
            helm.uninstall(uninstall);
            String message = "Helm uninstall succeeded for release " + current.fullName() + " with chart " + current.chart();
            run.conditions.markTrue(HelmRelease.REMEDIATED_CONDITION, HelmRelease.UNINSTALL_SUCCEEDED_REASON, message);
            run.event(EventRecorder.NORMAL, HelmRelease.UNINSTALL_SUCCEEDED_REASON, message);
        } catch (HelmActions.HelmFailure e) {
            String message = "Helm uninstall failed for release " + current.fullName() + " with chart " + current.chart() + ": " + e.getMessage();
            run.conditions.markFalse(HelmRelease.REMEDIATED_CONDITION, HelmRelease.UNINSTALL_FAILED_REASON, message);
            run.event(EventRecorder.WARNING, HelmRelease.UNINSTALL_FAILED_REASON, message);
        }
    }

    private void detectDrift(Run run, Target target, StoredRelease latest) throws ReconcileFailure {
        var drift = run.hr.getSpec().getDriftDetection();
        String mode = drift == null || drift.getMode() == null ? HelmRelease.DRIFT_DETECTION_DISABLED : drift.getMode();
        if (HelmRelease.DRIFT_DETECTION_DISABLED.equals(mode)) {
            return;
        }
        DriftDetector detector = new DriftDetector(target.client, new DriftIgnoreRules(drift.getIgnore()));
        DriftDetector.Drift found;
        try {
            found = detector.detect(latest);
        } catch (IOException | ApplyException | KubernetesClientException e) {
            throw new ReconcileFailure(HelmRelease.RECONCILIATION_FAILED_REASON, "failed to diff release against cluster resources: " + describe(e));
        }
        if (!found.any()) {
            return;
        }
        String diff = String.join("\n", found.lines());
        if (HelmRelease.DRIFT_DETECTION_WARN.equals(mode)) {
            run.event(EventRecorder.WARNING, DRIFT_DETECTED_REASON, "Cluster state of release " + latest.fullName() + " has drifted from the desired state:\n" + diff);
            return;
        }
        try {
            List<String> corrected = detector.correct(found);
            run.event(EventRecorder.NORMAL, DRIFT_DETECTED_REASON, "Cluster state of release " + latest.fullName()
                    + " has been corrected:\n" + String.join("\n", corrected));
        } catch (ApplyException | KubernetesClientException e) {
            throw new ReconcileFailure(HelmRelease.RECONCILIATION_FAILED_REASON, "Failed to correct cluster state of release "
                    + latest.fullName() + ": " + describe(e));
        }
    }

    /** {@code status.history}: the newest stored versions of the release, newest first, as Flux's snapshots. */
    private void snapshot(Run run, ReleaseStorage storage) throws IOException {
        List<Snapshot> history = new ArrayList<>();
        for (StoredRelease r : storage.history()) {
            if (history.size() == MAX_STATUS_HISTORY) {
                break;
            }
            Snapshot s = new Snapshot();
            s.setApiVersion("v1");
            s.setDigest(r.digest());
            s.setName(r.name());
            s.setNamespace(r.namespace());
            s.setVersion(r.version());
            s.setStatus(r.status());
            s.setChartName(r.chartName());
            s.setChartVersion(r.chartVersion());
            s.setAppVersion(r.appVersion());
            s.setConfigDigest(r.configDigest());
            s.setFirstDeployed(r.firstDeployed());
            s.setLastDeployed(r.lastDeployed());
            s.setDeleted(r.deleted());
            Map<String, TestHookStatus> hooks = new LinkedHashMap<>();
            for (StoredRelease.Hook hook : r.testHooks()) {
                if (hook.started() != null) {
                    TestHookStatus h = new TestHookStatus();
                    h.setLastStarted(hook.started());
                    h.setLastCompleted(hook.completed());
                    h.setPhase(hook.phase());
                    hooks.put(hook.name(), h);
                }
            }
            s.setTestHooks(hooks.isEmpty() ? null : hooks);
            history.add(s);
        }
        run.status.setHistory(history.isEmpty() ? null : history);
        run.status.setInventory(inventory(storage));
        history.stream().findFirst().ifPresent(s -> run.status.setLastReleaseRevision(s.getVersion()));
    }

    /** {@code status.inventory}: the objects of the newest release's manifest, as Flux lists them. */
    private static io.currents.api.meta.ResourceInventory inventory(ReleaseStorage storage) throws IOException {
        StoredRelease latest = storage.latest().orElse(null);
        if (latest == null || "uninstalled".equals(latest.status())) {
            return null;
        }
        List<io.currents.api.meta.ResourceRef> entries = new ArrayList<>();
        for (var object : DriftDetector.objects(latest)) {
            String apiVersion = object.getApiVersion();
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String namespace = object.getMetadata().getNamespace() == null ? "" : object.getMetadata().getNamespace();
            entries.add(new io.currents.api.meta.ResourceRef(namespace + "_" + object.getMetadata().getName() + "_" + group + "_"
                    + object.getKind(), version));
        }
        entries.sort(Comparator.comparing(io.currents.api.meta.ResourceRef::getId));
        io.currents.api.meta.ResourceInventory inventory = new io.currents.api.meta.ResourceInventory();
        inventory.setEntries(entries);
        return inventory;
    }

    // --- dependencies ---

    private void checkDependencies(Run run) throws ReconcileFailure {
        var refs = run.hr.getSpec().getDependsOn();
        if (refs == null) {
            return;
        }
        for (var ref : refs) {
            String namespace = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? run.hr.getMetadata().getNamespace() : ref.getNamespace();
            String name = namespace + "/" + ref.getName();
            if (name.equals(run.hr.getMetadata().getNamespace() + "/" + run.hr.getMetadata().getName())) {
                throw ReconcileFailure.stalled(HelmRelease.DEPENDENCY_NOT_READY_REASON, "circular dependency detected: " + name + " depends on itself");
            }
            HelmRelease dep;
            try {
                dep = client.resources(HelmRelease.class).inNamespace(namespace).withName(ref.getName()).get();
            } catch (KubernetesClientException e) {
                dep = null;
            }
            run.requeueAfter = dependencyInterval();
            if (dep == null) {
                throw new ReconcileFailure(HelmRelease.DEPENDENCY_NOT_READY_REASON, "dependency '" + name + "' not found");
            }
            var status = dep.getStatus();
            if (status == null || !Objects.equals(status.getObservedGeneration(), dep.getMetadata().getGeneration())
                    || !Conditions.isTrue(status.getConditions(), Conditions.READY)) {
                throw new ReconcileFailure(HelmRelease.DEPENDENCY_NOT_READY_REASON, "dependency '" + name + "' is not ready");
            }
            run.requeueAfter = null;
        }
    }

    // --- where Helm runs ---

    /** The cluster and identity a release is made with: a client for reads and a kubeconfig file for Helm. */
    private static final class Target implements AutoCloseable {
        final KubernetesClient client;
        final HelmKubeconfig kubeconfig;
        final boolean own;

        Target(KubernetesClient client, HelmKubeconfig kubeconfig, boolean own) {
            this.client = client;
            this.kubeconfig = kubeconfig;
            this.own = own;
        }

        @Override
        public void close() {
            kubeconfig.close();
            if (!own) {
                client.close();
            }
        }
    }

    private Target target(HelmRelease hr, Path workDir) throws ReconcileFailure {
        String namespace = hr.getMetadata().getNamespace();
        String serviceAccount = hr.getSpec().getServiceAccountName() != null && !hr.getSpec().getServiceAccountName().isBlank()
                ? hr.getSpec().getServiceAccountName() : defaultServiceAccount.orElse("").trim();
        Config config = client.getConfiguration();
        boolean own = true;
        KubeConfigReference kubeConfig = hr.getSpec().getKubeConfig();
        if (kubeConfig != null) {
            if (kubeConfig.getSecretRef() == null || kubeConfig.getSecretRef().getName() == null) {
                throw ReconcileFailure.stalled(HelmRelease.INIT_FAILED_REASON,
                        "spec.kubeConfig.configMapRef (workload identity) is not supported; use spec.kubeConfig.secretRef");
            }
            String name = kubeConfig.getSecretRef().getName();
            Secret secret;
            try {
                secret = client.secrets().inNamespace(namespace).withName(name).get();
            } catch (KubernetesClientException e) {
                throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, "failed to get KubeConfig secret '" + namespace + "/" + name + "': " + e.getMessage());
            }
            if (secret == null) {
                throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, "KubeConfig secret '" + namespace + "/" + name + "' not found");
            }
            try {
                config = ClusterAccess.fromKubeconfig(ClusterAccess.kubeconfig(secret, kubeConfig.getSecretRef().getKey()),
                        new KubeconfigPolicy(insecureKubeconfigExec, insecureKubeconfigTls));
            } catch (RuntimeException e) {
                throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, "failed to build kube client: " + e.getMessage());
            }
            own = false;
        }
        if (!serviceAccount.isEmpty()) {
            config = ClusterAccess.impersonating(config, namespace, serviceAccount);
            own = false;
        }
        try {
            HelmKubeconfig file = HelmKubeconfig.write(config, workDir, kubeConfig == null);
            KubernetesClient targetClient = own ? client : new KubernetesClientBuilder().withConfig(config).build();
            return new Target(targetClient, file, own);
        } catch (IOException e) {
            throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, "cannot write kubeconfig for Helm: " + describe(e));
        }
    }

    // --- events ---

    private void recordEvents(Run run, HelmReleaseStatus before, HelmReleaseStatus after) {
        HelmRelease hr = run.hr;
        Map<String, String> meta = run.revision == null ? Map.of() : Map.of(FluxMeta.REVISION_METADATA_KEY, run.revision);
        for (String[] e : run.events) {
            if (EventRecorder.WARNING.equals(e[0])) {
                LOG.warnf("%s %s: %s", key(hr), e[1], e[2]);
                events.warning(hr, e[1], e[2], meta);
            } else {
                LOG.infof("%s %s: %s", key(hr), e[1], e[2]);
                events.normal(hr, e[1], e[2], meta);
            }
        }
        if (run.failure != null && run.events.isEmpty()) {
            Condition oldReady = Conditions.find(before.getConditions(), Conditions.READY).orElse(null);
            Condition newReady = Conditions.find(after.getConditions(), Conditions.READY).orElse(null);
            boolean changed = oldReady == null || newReady == null || !Objects.equals(oldReady.getStatus(), newReady.getStatus())
                    || !Objects.equals(oldReady.getMessage(), newReady.getMessage());
            if (changed) {
                String message = run.secrets.redact(run.failure.getMessage());
                LOG.warnf("%s reconciliation failed: %s", key(hr), message);
                events.warning(hr, run.failure.reason(), message, meta);
            }
        }
    }

    // --- deletion ---

    /** On deletion: uninstall the release (unless suspended), delete the HelmChart made for it, then let go. */
    @Override
    public DeleteControl cleanup(HelmRelease hr, Context<HelmRelease> context) {
        String key = key(hr);
        requeue().forget(key);
        metrics.recordCondition(hr, List.of(), Conditions.READY, true);
        HelmReleaseStatus status = hr.getStatus();
        if (Boolean.TRUE.equals(hr.getSpec().getSuspend())) {
            return DeleteControl.defaultDelete();
        }
        Path workDir = null;
        try {
            if (status != null && status.getHistory() != null && !status.getHistory().isEmpty() && canReach(hr, key)) {
                workDir = Files.createTempDirectory("helmrelease-delete-");
                try (Target target = target(hr, workDir)) {
                    String namespace = targetNamespace(hr);
                    String releaseName = releaseName(hr);
                    StoredRelease latest = new ReleaseStorage(target.client, namespace, releaseName).latest().orElse(null);
                    if (latest != null && !"uninstalled".equals(latest.status())) {
                        var uninstall = hr.getSpec().getUninstall();
                        new HelmActions(target.kubeconfig.path(), workDir, releaseName, namespace)
                                .uninstall(uninstall);
                        String message = "Helm uninstall succeeded for release " + latest.fullName() + " with chart " + latest.chart();
                        LOG.infof("%s %s", key, message);
                        events.normal(hr, HelmRelease.UNINSTALL_SUCCEEDED_REASON, message, Map.of());
                    }
                }
            }
            if (status != null && status.getHelmChart() != null) {
                new ChartSources(client, noCrossNamespaceRefs).deleteOwnedChart(hr, status.getHelmChart());
            }
            return DeleteControl.defaultDelete();
        } catch (ReconcileFailure | HelmActions.HelmFailure | IOException | KubernetesClientException e) {
            String message = "Helm uninstall failed: " + describe(e);
            LOG.warnf("%s %s", key, message);
            events.warning(hr, HelmRelease.UNINSTALL_FAILED_REASON, message, Map.of());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(10));
        } finally {
            deleteTree(workDir);
        }
    }

    /**
     * Whether the release can still be uninstalled as the HelmRelease's identity: its kubeconfig Secret and impersonated
     * service account exist. When they are gone the release is left in place (a Warning event says so) instead of
     * blocking the deletion forever, as Flux does.
     */
    private boolean canReach(HelmRelease hr, String key) {
        String namespace = hr.getMetadata().getNamespace();
        String problem = null;
        try {
            var kubeConfig = hr.getSpec().getKubeConfig();
            String serviceAccount = hr.getSpec().getServiceAccountName() != null && !hr.getSpec().getServiceAccountName().isBlank()
                    ? hr.getSpec().getServiceAccountName() : defaultServiceAccount.orElse("").trim();
            if (kubeConfig != null && kubeConfig.getSecretRef() != null && kubeConfig.getSecretRef().getName() != null
                    && client.secrets().inNamespace(namespace).withName(kubeConfig.getSecretRef().getName()).get() == null) {
                problem = "KubeConfig secret '" + namespace + "/" + kubeConfig.getSecretRef().getName() + "' not found";
            } else if (kubeConfig == null && !serviceAccount.isEmpty()
                    && client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get() == null) {
                problem = "service account '" + namespace + "/" + serviceAccount + "' to impersonate not found";
            }
        } catch (KubernetesClientException e) {
            return true;
        }
        if (problem == null) {
            return true;
        }
        String message = "skipping Helm uninstall of release " + targetNamespace(hr) + "/" + releaseName(hr) + ": " + problem;
        LOG.warnf("%s %s", key, message);
        events.warning(hr, HelmRelease.UNINSTALL_FAILED_REASON, message, Map.of());
        return false;
    }

    // --- helpers ---

    /** Flux's default release name: {@code [<targetNamespace>-]<name>}, shortened with a hash past Helm's 53 characters. */
    static String releaseName(HelmRelease hr) {
        String name = hr.getSpec().getReleaseName();
        if (name != null && !name.isEmpty()) {
            return name;
        }
        String target = hr.getSpec().getTargetNamespace();
        name = target == null || target.isEmpty() ? hr.getMetadata().getName() : target + "-" + hr.getMetadata().getName();
        if (name.length() > 53) {
            name = name.substring(0, 40) + "-" + StoredRelease.sha256(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 12);
        }
        return name;
    }

    static String targetNamespace(HelmRelease hr) {
        String target = hr.getSpec().getTargetNamespace();
        return target == null || target.isEmpty() ? hr.getMetadata().getNamespace() : target;
    }

    /** {@code spec.storageNamespace} when set, else null (the release namespace is used). */
    static String storageNamespace(HelmRelease hr) {
        String storage = hr.getSpec().getStorageNamespace();
        return storage == null || storage.isEmpty() ? null : storage;
    }

    private static int upgradeRetries(HelmRelease hr) {
        var u = hr.getSpec().getUpgrade();
        return u == null || u.getRemediation() == null || u.getRemediation().getRetries() == null ? 0 : u.getRemediation().getRetries();
    }

    private static boolean ignoreTestFailures(HelmRelease hr, String action) {
        var spec = hr.getSpec();
        if (spec.getTest() != null && spec.getTest().getIgnoreFailures() != null) {
            return spec.getTest().getIgnoreFailures();
        }
        if ("install".equals(action) && spec.getInstall() != null && spec.getInstall().getRemediation() != null
                && spec.getInstall().getRemediation().getIgnoreTestFailures() != null) {
            return spec.getInstall().getRemediation().getIgnoreTestFailures();
        }
        if ("upgrade".equals(action) && spec.getUpgrade() != null && spec.getUpgrade().getRemediation() != null
                && spec.getUpgrade().getRemediation().getIgnoreTestFailures() != null) {
            return spec.getUpgrade().getRemediation().getIgnoreTestFailures();
        }
        return false;
    }

    private static int maxHistory(HelmRelease hr) {
        return hr.getSpec().getMaxHistory() == null ? HelmRelease.DEFAULT_MAX_HISTORY : hr.getSpec().getMaxHistory();
    }

    private static Optional<String> annotation(HelmRelease hr, String name) {
        var annotations = hr.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(name);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        // Flux acts on forceAt/resetAt only together with a reconcile request of the same value.
        String requested = annotations.get(FluxMeta.RECONCILE_REQUEST_ANNOTATION);
        return value.equals(requested) ? Optional.of(value) : Optional.empty();
    }

    private static long nz(Long value) {
        return value == null ? 0 : value;
    }

    private Duration dependencyInterval() {
        return FluxDuration.parseOr(requeueDependency, Duration.ofSeconds(5));
    }

    private RequeuePolicy requeue() {
        if (requeue == null) {
            requeue = new RequeuePolicy(jitterPercentage, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
        return requeue;
    }

    private synchronized ArtifactFetcher fetcher() {
        if (fetcher == null) {
            fetcher = new ArtifactFetcher(artifactFetchRetries, new Quantity(maxArtifactSize).getNumericalAmount().longValue(),
                    System.getenv("SOURCE_CONTROLLER_LOCALHOST"));
        }
        return fetcher;
    }

    static String key(HasMetadata obj) {
        return KIND + "/" + obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
    }

    static String describe(Throwable e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }

    /** Writes the status only when it changed, and comes back after {@code next}. */
    private static UpdateControl<HelmRelease> finish(HelmRelease hr, HelmReleaseStatus before, HelmReleaseStatus after, Duration next) {
        UpdateControl<HelmRelease> control;
        if (Objects.equals(JSON.valueToTree(before), JSON.valueToTree(after))) {
            control = UpdateControl.noUpdate();
        } else {
            hr.setStatus(after);
            hr.getMetadata().setManagedFields(null);
            hr.getMetadata().setResourceVersion(null);
            control = UpdateControl.patchStatus(hr);
        }
        return next == null ? control : control.rescheduleAfter(next);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debugf("could not remove %s: %s", dir, e.getMessage());
        }
    }
}
