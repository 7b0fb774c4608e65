package io.currents.helm.controller;

import io.currents.runtime.helm.HelmValues;
import io.currents.runtime.helm.SecretValues;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.helm.v2.HelmReleaseSpec;
import io.currents.api.helm.v2.HelmReleaseStatus;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.OCIRepository;
import io.currents.runtime.apply.ClusterTargets;
import io.currents.runtime.apply.KubeconfigConfigMap;
import io.currents.runtime.apply.KubeconfigPolicy;
import io.currents.runtime.artifact.ArtifactFetcher;
import io.currents.runtime.cel.CelException;
import io.currents.runtime.cel.ReadyExpression;
import io.currents.runtime.manifests.Reasons;
import io.currents.runtime.operator.ManagedFieldsFreeStore;
import io.currents.runtime.options.UnsupportedOptions;
import io.currents.runtime.reconcile.ConfigDependencyWatch;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.DependencyKinds;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.currents.runtime.reconcile.SourceWatch;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reconciles a HelmRelease: resolve the chart source (the owned HelmChart or {@code spec.chartRef}), download and
 * verify the chart, compose the values, then bring Helm's release to the desired chart and values (install, upgrade,
 * test), remediate failures (uninstall, rollback) within the configured retries, and detect or correct drift of the
 * released objects. Releases are made by Helm itself and stored as Helm stores them.
 */
@ControllerConfiguration(name = "helmrelease", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class, itemStore = ManagedFieldsFreeStore.class))
public class HelmReleaseReconciler extends FluxReconciler<HelmRelease, HelmReleaseStatus> implements Cleaner<HelmRelease> {

    static final String KIND = "HelmRelease";
    static final String SOURCE_INDEX = "chartSource";
    static final String VALUES_ERROR_REASON = "ValuesError";
    static final String RETRIES_EXCEEDED_REASON = "RetriesExceeded";
    /** Our own reason (Flux has no such event): options the API accepts that this controller does not apply. */
    /** What helm-java does not expose (docs/helm-controller.md): named in a Warning event and the Ready message. */
    private static final UnsupportedOptions UNSUPPORTED = UnsupportedOptions.builder()
            .whenTrue("spec.install.disableTakeOwnership").whenSet("spec.install.serverSideApply")
            .whenTrue("spec.upgrade.disableTakeOwnership").whenSet("spec.upgrade.serverSideApply")
            .whenTrue("spec.rollback.disableWaitForJobs").whenSet("spec.rollback.serverSideApply")
            .build();
    static final String DRIFT_DETECTED_REASON = "DriftDetected";
    static final String PENDING_RELEASE_REASON = "PendingRelease";

    @ConfigProperty(name = "requeue-dependency", defaultValue = "5s")
    String requeueDependency;
    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;
    /** Flux's feature gates ({@code ExternalArtifact=true} lets chartRef name an ExternalArtifact). */
    @ConfigProperty(name = "feature-gates")
    java.util.Optional<String> featureGates;
    @ConfigProperty(name = "default-service-account")
    Optional<String> defaultServiceAccount;
    @ConfigProperty(name = KubeconfigPolicy.EXEC_FLAG, defaultValue = "false")
    boolean insecureKubeconfigExec;
    @ConfigProperty(name = KubeconfigPolicy.TLS_FLAG, defaultValue = "false")
    boolean insecureKubeconfigTls;
    @ConfigProperty(name = "artifact-fetch-retries", defaultValue = "9")
    int artifactFetchRetries;
    @ConfigProperty(name = ConfigDependencyWatch.SELECTOR_PROPERTY, defaultValue = ConfigDependencyWatch.DEFAULT_SELECTOR)
    String watchConfigsLabelSelector;
    /** Currents' default: a change to an unlabelled ConfigMap/Secret this controller reads reconciles its readers ("0s": off). */
    @ConfigProperty(name = ConfigDependencyWatch.REFERENCED_DEBOUNCE_PROPERTY, defaultValue = ConfigDependencyWatch.DEFAULT_REFERENCED_DEBOUNCE)
    String watchReferencedConfigsDebounce;
    @ConfigProperty(name = "max-artifact-size", defaultValue = "64Mi")
    String maxArtifactSize;

    private volatile ArtifactFetcher fetcher;
    private volatile ClusterTargets targets;

    // --- watches ---

    /**
     * Watches HelmCharts, OCIRepositories and, with that feature gate, ExternalArtifacts: a new chart artifact reconciles the
     * releases that use it. Also watches HelmReleases and Kustomizations: one becoming Ready reconciles its dependents at once.
     * A ConfigMap or Secret of {@code valuesFrom} or {@code kubeConfig} labelled {@code reconcile.fluxcd.io/watch: Enabled} reconciles its releases when its data changes.
     */
    @Override
    public List<EventSource<?, HelmRelease>> prepareEventSources(EventSourceContext<HelmRelease> context) {
        IndexerResourceCache<HelmRelease> primaries = context.getPrimaryCache();
        primaries.addIndexer(SOURCE_INDEX, hr -> {
            String key = hr.getSpec() == null ? null : ChartSources.sourceKey(hr);
            return key == null ? List.of() : List.of(key);
        });
        List<EventSource<?, HelmRelease>> sources = new java.util.ArrayList<>(List.of(
                SourceWatch.onNewArtifact("HelmChart", HelmChart.class, HelmRelease.class, SOURCE_INDEX, context),
                SourceWatch.onNewArtifact("OCIRepository", OCIRepository.class, HelmRelease.class, SOURCE_INDEX, context)));
        if (externalArtifacts()) {
            sources.add(SourceWatch.onNewArtifact("ExternalArtifact", io.currents.api.source.v1.ExternalArtifact.class,
                    HelmRelease.class, SOURCE_INDEX, context));
        }
        sources.addAll(DependencyKinds.wakeDependents(context, HelmRelease.class, DependencyKinds.HELM_RELEASE,
                hr -> hr.getSpec() == null ? null : hr.getSpec().getDependsOn(), client));
        sources.addAll(ConfigDependencyWatch.eventSources(HelmRelease.class, context, watchConfigsLabelSelector,
                HelmReleaseReconciler::configDependencies,
                FluxDuration.parse(watchReferencedConfigsDebounce)));
        return sources;
    }

    /** The ConfigMaps and Secrets a HelmRelease reads, as Flux's watch label covers them. */
    private static List<ConfigDependencyWatch.Reference> configDependencies(HelmRelease hr) {
        List<ConfigDependencyWatch.Reference> refs = new java.util.ArrayList<>();
        if (hr.getSpec() == null) {
            return refs;
        }
        if (hr.getSpec().getValuesFrom() != null) {
            hr.getSpec().getValuesFrom().forEach(ref -> refs.add(new ConfigDependencyWatch.Reference(ref.getKind(), ref.getName())));
        }
        if (hr.getSpec().getKubeConfig() != null && hr.getSpec().getKubeConfig().getSecretRef() != null) {
            refs.add(new ConfigDependencyWatch.Reference("Secret", hr.getSpec().getKubeConfig().getSecretRef().getName()));
        }
        if (hr.getSpec().getKubeConfig() != null && hr.getSpec().getKubeConfig().getConfigMapRef() != null) {
            refs.add(new ConfigDependencyWatch.Reference("ConfigMap", hr.getSpec().getKubeConfig().getConfigMapRef().getName()));
        }
        return refs;
    }

    private boolean externalArtifacts() {
        return featureEnabled("ExternalArtifact");
    }

    private boolean featureEnabled(String gate) {
        for (String pair : featureGates.orElse("").split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv[0].equals(gate)) {
                return kv.length == 1 || Boolean.parseBoolean(kv[1].trim());
            }
        }
        return false;
    }

    // --- reconcile ---

    @Override
    protected UnsupportedOptions unsupportedOptions() {
        return UNSUPPORTED;
    }

    @Override
    protected HelmReleaseStatus newStatus() {
        return new HelmReleaseStatus();
    }

    @Override
    protected String unexpectedFailureReason() {
        return HelmRelease.RECONCILIATION_FAILED_REASON;
    }

    /**
     * Helm quotes values in its errors, and conditions, events and notifications are read far more widely than the
     * Secrets of {@code spec.valuesFrom}: what came from a Secret is masked in all of them.
     */
    @Override
    protected Ready steps(Reconciliation<HelmRelease, HelmReleaseStatus> r) throws ReconcileFailure {
        SecretValues secrets = new SecretValues();
        try {
            return steps(r, secrets);
        } catch (ReconcileFailure f) {
            throw f.withMessage(secrets.redact(f.getMessage()));
        } finally {
            secrets.redact(r.status().getConditions());
        }
    }

    private Ready steps(Reconciliation<HelmRelease, HelmReleaseStatus> r, SecretValues secrets) throws ReconcileFailure {
        HelmRelease hr = r.object();
        checkDependencies(hr);
        ChartSources.Source source = chartSource(r);
        Path chart = downloadChart(r, source);
        ChartMetadata metadata;
        try {
            metadata = ChartMetadata.read(chart);
        } catch (IOException e) {
            throw new ReconcileFailure(HelmRelease.INIT_FAILED_REASON, describe(e));
        }
        metadata = withOciRevision(source, chart, metadata);
        r.revision(metadata.version());
        ObjectNode values;
        try {
            values = HelmValues.compose(client, hr, secrets);
        } catch (HelmValues.ValuesError e) {
            throw new ReconcileFailure(VALUES_ERROR_REASON, e.getMessage());
        }
        return release(r, source, chart, metadata, values, secrets);
    }

    /** The digest Flux records as lastAttemptedRevisionDigest: an OCIRepository's manifest digest, else the artifact's. */
    private static String revisionDigest(ChartSources.Source source) {
        String revision = source.artifact().getRevision();
        if ("OCIRepository".equals(source.kind()) && revision != null) {
            return revision.substring(revision.indexOf('@') + 1);
        }
        return source.artifact().getDigest();
    }

    /** 3b. A chart from an OCIRepository is released as {@code <version>+<digest prefix>}, as Flux does, so a re-pushed tag upgrades. */
    private static ChartMetadata withOciRevision(ChartSources.Source source, Path chart, ChartMetadata metadata) throws ReconcileFailure {
        if (!"OCIRepository".equals(source.kind())) {
            return metadata;
        }
        try {
            OciChartVersion version = OciChartVersion.of(metadata.version(), source.artifact().getRevision());
            version.applyTo(chart);
            return new ChartMetadata(metadata.name(), version.version(), metadata.appVersion());
        } catch (IOException e) {
            throw new ReconcileFailure(OciChartVersion.CHART_MUTATE_ERROR, e.getMessage());
        }
    }

    /** 2. The chart source (the owned HelmChart or spec.chartRef) with its artifact; nothing released is touched when this fails. */
    private ChartSources.Source chartSource(Reconciliation<HelmRelease, HelmReleaseStatus> r) throws ReconcileFailure {
        HelmRelease hr = r.object();
        HelmReleaseSpec spec = hr.getSpec();
        HelmReleaseStatus status = r.status();
        ChartSources sources = new ChartSources(client, noCrossNamespaceRefs, externalArtifacts());
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
            throw f.isStalled() ? f : f.requeueAfter(dependencyInterval());
        }
        if (spec.getChartRef() == null) {
            status.setHelmChart(source.namespace() + "/" + source.name());
        }
        return source;
    }

    /** 3. The chart package, downloaded and digest-checked. */
    private Path downloadChart(Reconciliation<HelmRelease, HelmReleaseStatus> r, ChartSources.Source source) throws ReconcileFailure {
        try {
            Path chart = r.workDir("helmrelease").resolve("chart.tgz");
            fetcher().download(source.artifact(), chart);
            return chart;
        } catch (ArtifactFetcher.ArtifactNotFound e) {
            throw ReconcileFailure.retry(HelmRelease.ARTIFACT_FAILED_REASON, "Source is not ready, artifact not found, retrying in "
                    + FluxDuration.format(dependencyInterval())).requeueAfter(dependencyInterval());
        } catch (IOException e) {
            throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, "failed to fetch chart from " + source.subject() + ": " + describe(e));
        }
    }

    /** 4. Bring Helm's release to the chart and values: the plan decides, the actions act, the status records. */
    private Ready release(Reconciliation<HelmRelease, HelmReleaseStatus> r, ChartSources.Source source, Path chart,
                          ChartMetadata metadata, ObjectNode values, SecretValues secrets) throws ReconcileFailure {
        HelmRelease hr = r.object();
        HelmReleaseStatus status = r.status();
        ReleasePlan plan = new ReleasePlan(hr);
        String releaseName = plan.releaseName();
        String targetNamespace = plan.targetNamespace();
        String storageNamespace = plan.storageNamespace();
        String configDigest = ReleaseValues.digest(values);

        // A new desired state (or a reset request) starts the failure counts afresh.
        Long generation = hr.getMetadata().getGeneration();
        boolean newState = ReleasePlan.isNewState(status, generation, metadata.version(), configDigest);
        Optional<String> resetAt = ReleasePlan.pendingRequest(hr.getMetadata().getAnnotations(), FluxMeta.RESET_REQUEST_ANNOTATION,
                status.getLastHandledResetAt());
        if (newState || resetAt.isPresent()) {
            status.setFailures(0L);
            status.setInstallFailures(0L);
            status.setUpgradeFailures(0L);
            resetAt.ifPresent(status::setLastHandledResetAt);
        }
        Optional<String> forceAt = ReleasePlan.pendingRequest(hr.getMetadata().getAnnotations(), FluxMeta.FORCE_REQUEST_ANNOTATION,
                status.getLastHandledForceAt());

        String previousStorage = status.getStorageNamespace();

        Duration timeout = FluxDuration.parseOr(hr.getSpec().getTimeout(), Duration.ofMinutes(5));
        Path workDir = chart.getParent();
        try (ReleaseTarget target = ReleaseTarget.of(targets(), hr, workDir)) {
            uninstallPreviousTarget(r, plan, target, workDir, metadata.name());
            ReleaseStorage storage = new ReleaseStorage(target.client, storageNamespace, targetNamespace, releaseName);
            gatherRecords(r, storage, previousStorage);
            status.setStorageNamespace(storageNamespace);
            StoredRelease latest = unlockPending(r, storage, latest(storage));
            ReleaseActions actions = new ReleaseActions(hr, status, r.conditions(), plan,
                    new HelmActions(target.kubeconfig.path(), workDir, releaseName, targetNamespace, storage)
                            .withRendering(new RenderedChart(hr.getSpec(), releaseName, targetNamespace, kubeVersion(target), workDir))
                            .withPollerWait(ReleaseWait.poller(hr.getSpec())),
                    storage, events, eventMetadata(r), secrets, target.client);

            ReleasePlan.Action action = plan.next(latest, metadata.name(), metadata.version(), configDigest, forceAt.isPresent(),
                    ReleasePlan.testsRecorded(status, latest));
            if (latest != null && latest.isDeployed() && action != ReleasePlan.Action.INSTALL && plan.renderingChanged(status)) {
                // Post-renderers or common metadata changed: the objects change although chart and values did not.
                action = ReleasePlan.Action.UPGRADE;
            }
            String subject = targetNamespace + "/" + releaseName;
            switch (action) {
                case INSTALL, UPGRADE -> {
                    if (plan.retriesExhausted(status, newState, resetAt.isPresent(), forceAt.isPresent())) {
                        String lastAction = status.getLastAttemptedReleaseAction();
                        ReleaseStatus.record(status, storage);
                        throw ReconcileFailure.stalled(RETRIES_EXCEEDED_REASON, "Failed to " + lastAction + " after "
                                + ReleasePlan.failures(lastAction, status) + " attempt(s)").keepingReady();
                    }
                    status.setLastAttemptedGeneration(generation);
                    status.setLastAttemptedRevision(metadata.version());
                    status.setLastAttemptedRevisionDigest(revisionDigest(source));
                    status.setLastAttemptedConfigDigest(configDigest);
                    forceAt.ifPresent(status::setLastHandledForceAt);
                    status.setLastAttemptedReleaseAction(action == ReleasePlan.Action.INSTALL ? ReleasePlan.INSTALL : ReleasePlan.UPGRADE);
                    // written before Helm runs, as Flux patches between its steps: a controller killed during the action
                    // or its test starts again knowing which action's remediation applies (see ReleasePlan#testsRecorded)
                    r.progress("Running '" + action.name().toLowerCase() + "' action with timeout of " + FluxDuration.format(timeout));
                    long started = System.nanoTime();
                    try {
                        return action == ReleasePlan.Action.INSTALL
                                ? actions.install(chart, values, metadata, subject, timeout)
                                : actions.upgrade(chart, values, metadata, subject, timeout, forceAt.isPresent());
                    } finally {
                        status.setLastAttemptedReleaseActionDuration(FluxDuration.format(Duration.ofNanos(System.nanoTime() - started)));
                    }
                }
                case TEST -> {
                    r.progress("Running 'test' action with timeout of " + FluxDuration.format(timeout));
                    return actions.test(timeout);
                }
                default -> {
                    return inSync(r, plan, storage, latest, actions, target);
                }
            }
        } catch (IOException e) {
            throw new ReconcileFailure(HelmRelease.GET_LAST_RELEASE_FAILED_REASON, "failed to read Helm release storage: " + describe(e));
        } catch (KubernetesClientException e) {
            throw new ReconcileFailure(HelmRelease.RECONCILIATION_FAILED_REASON, describe(e));
        }
    }

    /** In sync: report the current release, keep a failed test failed, and look for drift. */
    private Ready inSync(Reconciliation<HelmRelease, HelmReleaseStatus> r, ReleasePlan plan, ReleaseStorage storage, StoredRelease latest,
                         ReleaseActions actions, ReleaseTarget target) throws ReconcileFailure, IOException {
        HelmReleaseStatus status = r.status();
        ReleaseStatus.record(status, storage);
        String lastAction = ReleasePlan.lastAction(status);
        if (plan.testsEnabled()) {
            ReleaseStatus.restoreTestResult(r.conditions(), latest, plan.ignoreTestFailures(lastAction));
        }
        if (plan.failedTestsStand(status)) {
            // The release's tests failed and the retries are used up: it stays failed until something changes.
            long failures = Math.max(1, ReleasePlan.failures(lastAction, status));
            throw ReconcileFailure.stalled(RETRIES_EXCEEDED_REASON, "Failed to " + lastAction + " after " + failures + " attempt(s)")
                    .keepingReady();
        }
        Condition ready = Conditions.find(status.getConditions(), Conditions.READY).orElse(null);
        Ready result;
        if (ready != null && Conditions.TRUE.equals(ready.getStatus())) {
            result = Ready.of(ready.getReason(), ready.getMessage());
        } else {
            Condition released = Conditions.find(status.getConditions(), HelmRelease.RELEASED_CONDITION).orElse(null);
            boolean wasReleased = released != null && Conditions.TRUE.equals(released.getStatus());
            String reason = wasReleased ? released.getReason()
                    : latest.version() == 1 ? HelmRelease.INSTALL_SUCCEEDED_REASON : HelmRelease.UPGRADE_SUCCEEDED_REASON;
            String message = wasReleased ? released.getMessage()
                    : "Helm " + (latest.version() == 1 ? "install" : "upgrade") + " succeeded for release " + latest.fullName()
                    + " with chart " + latest.chart();
            r.conditions().markTrue(HelmRelease.RELEASED_CONDITION, reason, message);
            result = Ready.of(reason, message);
        }
        actions.detectDrift(target.client, latest);
        return result;
    }

    /**
     * When the release the status records is no longer the one to keep (another release name or namespace, or another
     * chart name with the Reinstall strategy), it is uninstalled first, as Flux does, so the new one can be installed
     * without clashing with its objects.
     */
    private void uninstallPreviousTarget(Reconciliation<HelmRelease, HelmReleaseStatus> r, ReleasePlan plan, ReleaseTarget target,
                                         Path workDir, String chartName) throws ReconcileFailure, IOException {
        HelmReleaseStatus status = r.status();
        var history = status.getHistory();
        var current = history == null || history.isEmpty() ? null : history.getFirst();
        Optional<String> reason = plan.targetChange(current, chartName);
        if (reason.isEmpty()) {
            return;
        }
        String storageNamespace = status.getStorageNamespace() == null ? plan.storageNamespace() : status.getStorageNamespace();
        ReleaseStorage old = new ReleaseStorage(target.client, storageNamespace, current.getNamespace(), current.getName());
        StoredRelease latest = old.latest().orElse(null);
        log.infof("%s release target configuration changed (%s): uninstalling %s/%s", r.key(), reason.get(), current.getNamespace(),
                current.getName());
        if (latest != null && !"uninstalled".equals(latest.status())) {
            try {
                new HelmActions(target.kubeconfig.path(), workDir, current.getName(), current.getNamespace(), old)
                        .uninstall(r.object().getSpec().getUninstall(), latest, target.client,
                                FluxDuration.parseOr(r.object().getSpec().getTimeout(), Duration.ofMinutes(5)));
            } catch (HelmActions.HelmFailure e) {
                throw new ReconcileFailure(HelmRelease.UNINSTALL_FAILED_REASON, "Helm uninstall failed for release "
                        + latest.fullName() + " with chart " + latest.chart() + " (" + reason.get() + "): " + e.getMessage());
            }
            String message = "Helm uninstall succeeded for release " + latest.fullName() + " with chart " + latest.chart()
                    + " (" + reason.get() + ")";
            events.normal(r.object(), HelmRelease.UNINSTALL_SUCCEEDED_REASON, message, eventMetadata(r));
        }
        status.setHistory(null);
        status.setFailures(0L);
        status.setInstallFailures(0L);
        status.setUpgradeFailures(0L);
        r.conditions().delete(HelmRelease.RELEASED_CONDITION);
        r.conditions().delete(HelmRelease.TEST_SUCCESS_CONDITION);
        r.conditions().delete(HelmRelease.REMEDIATED_CONDITION);
    }

    /**
     * Brings the release's records into the storage namespace when some are elsewhere: stored in the target namespace
     * by a Currents before it kept Flux's storage namespace, stored where an earlier {@code spec.storageNamespace}
     * said, or left in the target namespace by an action cut short. The release carries on from them (no reinstall).
     */
    private void gatherRecords(Reconciliation<HelmRelease, HelmReleaseStatus> r, ReleaseStorage storage, String previousStorage) {
        int moved = storage.gather(previousStorage);
        if (moved > 0) {
            log.infof("%s moved %d record(s) of Helm release %s into storage namespace %s", r.key(), moved,
                    new ReleasePlan(r.object()).releaseName(), storage.namespace());
        }
    }

    /**
     * A Helm action cut short (e.g. the controller restarted mid-upgrade) leaves the release pending: Helm would refuse
     * any new action on it, so it is marked failed, as Flux does, and the reconcile carries on.
     */
    private StoredRelease unlockPending(Reconciliation<HelmRelease, HelmReleaseStatus> r, ReleaseStorage storage, StoredRelease latest)
            throws ReconcileFailure, IOException {
        if (latest == null || !latest.isPending()) {
            return latest;
        }
        String message = "Unlocked Helm release " + latest.fullName() + " with chart " + latest.chart() + " in " + latest.status() + " state";
        storage.unlock(latest);
        r.conditions().markFalse(HelmRelease.RELEASED_CONDITION, PENDING_RELEASE_REASON, message);
        log.warnf("%s %s: %s", r.key(), PENDING_RELEASE_REASON, message);
        events.warning(r.object(), PENDING_RELEASE_REASON, message, eventMetadata(r));
        return latest(storage);
    }

    private StoredRelease latest(ReleaseStorage storage) throws ReconcileFailure {
        try {
            return storage.latest().orElse(null);
        } catch (IOException | KubernetesClientException e) {
            throw new ReconcileFailure(HelmRelease.GET_LAST_RELEASE_FAILED_REASON, "failed to get last release revision: " + describe(e));
        }
    }

    /** The cluster's version for Helm's {@code .Capabilities} when the controller renders the chart itself; null if unknown. */
    private static java.util.function.Supplier<String> kubeVersion(ReleaseTarget target) {
        return () -> {
            try {
                var version = target.client.getKubernetesVersion();
                return version == null ? null : version.getGitVersion();
            } catch (KubernetesClientException e) {
                return null;
            }
        };
    }

    // --- dependencies ---

    /**
     * 1. The dependencies of spec.dependsOn exist and are Ready at their generation: HelmReleases, or with {@code kind}
     * (a Currents extension) Kustomizations.
     */
    private void checkDependencies(HelmRelease hr) throws ReconcileFailure {
        var refs = hr.getSpec().getDependsOn();
        if (refs == null) {
            return;
        }
        // Every kind and readyExpr is valid before any dependency is looked at: a typo is a spec error, not something to wait for.
        List<String> kinds = new ArrayList<>();
        List<ReadyExpression> readyExprs = new ArrayList<>();
        for (var ref : refs) {
            kinds.add(DependencyKinds.kindOf(ref, DependencyKinds.HELM_RELEASE));
            try {
                readyExprs.add(ReadyExpression.compile(ref.getReadyExpr()));
            } catch (CelException e) {
                throw ReconcileFailure.stalled(Reasons.INVALID_CEL_EXPRESSION, Reasons.TERMINAL_ERROR_MESSAGE + ": " + e.getMessage());
            }
        }
        for (int i = 0; i < refs.size(); i++) {
            var ref = refs.get(i);
            String kind = kinds.get(i);
            String namespace = DependencyKinds.namespaceOf(ref, hr);
            String name = DependencyKinds.describe(kind, DependencyKinds.HELM_RELEASE, namespace, ref.getName());
            if (kind.equals(DependencyKinds.HELM_RELEASE)
                    && (namespace + "/" + ref.getName()).equals(hr.getMetadata().getNamespace() + "/" + hr.getMetadata().getName())) {
                throw ReconcileFailure.stalled(HelmRelease.DEPENDENCY_NOT_READY_REASON, "circular dependency detected: "
                        + namespace + "/" + ref.getName() + " depends on itself");
            }
            var dep = DependencyKinds.get(client, kind, namespace, ref.getName());
            if (dep == null) {
                throw ReconcileFailure.retry(HelmRelease.DEPENDENCY_NOT_READY_REASON, "dependency " + name + " not found")
                        .requeueAfter(dependencyInterval());
            }
            if (readyExprs.get(i) != null) {
                boolean ready;
                try {
                    ready = readyExprs.get(i).isReady(hr, dep);
                } catch (CelException e) {
                    throw ReconcileFailure.retry(HelmRelease.DEPENDENCY_NOT_READY_REASON, "failed to evaluate dependency " + name + ": "
                            + e.getMessage()).requeueAfter(dependencyInterval());
                }
                if (!ready) {
                    throw ReconcileFailure.retry(HelmRelease.DEPENDENCY_NOT_READY_REASON, "dependency " + name
                            + " is not ready according to readyExpr eval").requeueAfter(dependencyInterval());
                }
                // As Flux without its AdditiveCELDependencyCheck gate: the expression replaces the built-in check.
                continue;
            }
            if (!DependencyKinds.isReady(dep)) {
                throw ReconcileFailure.retry(HelmRelease.DEPENDENCY_NOT_READY_REASON, "dependency " + name + " is not ready")
                        .requeueAfter(dependencyInterval());
            }
        }
    }

    // --- deletion ---

    /** On deletion: uninstall the release (unless suspended), delete the HelmChart made for it, then let go. */
    @Override
    public DeleteControl cleanup(HelmRelease hr, Context<HelmRelease> context) {
        String key = key(hr);
        forget(hr);
        HelmReleaseStatus status = hr.getStatus();
        if (Boolean.TRUE.equals(hr.getSpec().getSuspend())) {
            return DeleteControl.defaultDelete();
        }
        Path workDir = null;
        try {
            if (status != null && status.getHistory() != null && !status.getHistory().isEmpty() && canReach(hr, key)) {
                workDir = Files.createTempDirectory("helmrelease-delete-");
                ReleasePlan plan = new ReleasePlan(hr);
                try (ReleaseTarget target = ReleaseTarget.of(targets(), hr, workDir)) {
                    String namespace = plan.targetNamespace();
                    String releaseName = plan.releaseName();
                    ReleaseStorage storage = new ReleaseStorage(target.client, plan.storageNamespace(), namespace, releaseName);
                    storage.gather(status.getStorageNamespace());
                    StoredRelease latest = storage.latest().orElse(null);
                    if (latest != null && !"uninstalled".equals(latest.status())) {
                        var uninstall = hr.getSpec().getUninstall();
                        new HelmActions(target.kubeconfig.path(), workDir, releaseName, namespace, storage)
                                .uninstall(uninstall, latest, target.client,
                                        FluxDuration.parseOr(hr.getSpec().getTimeout(), Duration.ofMinutes(5)));
                        String message = "Helm uninstall succeeded for release " + latest.fullName() + " with chart " + latest.chart();
                        log.infof("%s %s", key, message);
                        events.normal(hr, HelmRelease.UNINSTALL_SUCCEEDED_REASON, message, Map.of());
                    }
                }
            }
            if (status != null && status.getHelmChart() != null) {
                new ChartSources(client, noCrossNamespaceRefs, externalArtifacts()).deleteOwnedChart(hr, status.getHelmChart());
            }
            return DeleteControl.defaultDelete();
        } catch (ReconcileFailure | HelmActions.HelmFailure | IOException | KubernetesClientException e) {
            String message = "Helm uninstall failed: " + describe(e);
            log.warnf("%s %s", key, message);
            events.warning(hr, HelmRelease.UNINSTALL_FAILED_REASON, message, Map.of());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(10));
        } finally {
            Reconciliation.deleteTree(workDir);
        }
    }

    /**
     * Whether the release can still be uninstalled as the HelmRelease's identity: its kubeconfig Secret and impersonated
     * service account exist. When they are gone the release is left in place (a Warning event says so) instead of
     * blocking the deletion forever, as Flux does.
     */
    private boolean canReach(HelmRelease hr, String key) {
        String problem = targets().missingIdentity(hr.getMetadata().getNamespace(), hr.getSpec().getServiceAccountName(),
                hr.getSpec().getKubeConfig()).orElse(null);
        if (problem == null) {
            return true;
        }
        ReleasePlan plan = new ReleasePlan(hr);
        String message = "skipping Helm uninstall of release " + plan.targetNamespace() + "/" + plan.releaseName() + ": " + problem;
        log.warnf("%s %s", key, message);
        events.warning(hr, HelmRelease.UNINSTALL_FAILED_REASON, message, Map.of());
        return false;
    }

    // --- helpers ---

    private Duration dependencyInterval() {
        return FluxDuration.parseOr(requeueDependency, Duration.ofSeconds(5));
    }

    private synchronized ClusterTargets targets() {
        if (targets == null) {
            targets = new ClusterTargets(client, defaultServiceAccount.orElse(""), HelmRelease.INIT_FAILED_REASON, "helm-controller",
                    new KubeconfigPolicy(insecureKubeconfigExec, insecureKubeconfigTls))
                    .objectLevelWorkloadIdentity(featureEnabled(KubeconfigConfigMap.OBJECT_LEVEL_WORKLOAD_IDENTITY));
        }
        return targets;
    }

    @PreDestroy
    void close() {
        if (targets != null) {
            targets.close();
        }
    }

    private synchronized ArtifactFetcher fetcher() {
        if (fetcher == null) {
            fetcher = new ArtifactFetcher(artifactFetchRetries, new Quantity(maxArtifactSize).getNumericalAmount().longValue(),
                    System.getenv("SOURCE_CONTROLLER_LOCALHOST"));
        }
        return fetcher;
    }
}
