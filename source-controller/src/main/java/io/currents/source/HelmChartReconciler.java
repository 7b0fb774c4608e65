package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.HelmChartSpec;
import io.currents.api.source.v1.HelmChartStatus;
import io.currents.api.source.v1.HelmRepository;
import io.currents.runtime.ArtifactArchive;
import io.currents.runtime.Conditions;
import io.currents.runtime.EventRecorder;
import io.currents.runtime.FluxDuration;
import io.currents.runtime.FluxUpdateFilter;
import io.currents.runtime.ReconcileMetrics;
import io.currents.runtime.ReconcileRequest;
import io.currents.runtime.RequeuePolicy;
import io.currents.runtime.TrustedSources;
import io.currents.source.artifact.ArtifactStorage;
import io.currents.source.artifact.StoredArtifact;
import io.currents.source.helm.ChartBuildException;
import io.currents.source.helm.ChartBuilder;
import io.currents.source.helm.HelmAccess;
import io.currents.source.helm.HelmHttp;
import io.currents.source.helm.HelmIndex;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reconciles a HelmChart into a chart package artifact: find the source, pick the chart version
 * (from a HelmRepository's stored index) or the chart directory (in a GitRepository's or Bucket's
 * artifact), pull or package it with its values files and dependencies, store it as
 * {@code <name>-<version>.tgz} with the version as revision, and report through Flux's conditions
 * and events. A new source artifact reconciles the charts that use it.
 */
@ControllerConfiguration(name = "helmchart", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class HelmChartReconciler implements Reconciler<HelmChart>, Cleaner<HelmChart> {

    static final String KIND = "HelmChart";
    static final String SOURCE_INDEX = "helmchart-source";
    private static final Logger LOG = Logger.getLogger(HelmChartReconciler.class);
    private static final Map<String, Class<? extends HasMetadata>> SOURCE_KINDS = Map.of(
            HelmRepositoryReconciler.KIND, HelmRepository.class,
            GitRepositoryReconciler.KIND, GitRepository.class,
            "Bucket", Bucket.class);

    @Inject
    KubernetesClient client;
    @Inject
    ArtifactStorage storage;
    @Inject
    EventRecorder events;
    @Inject
    ReconcileMetrics metrics;
    @Inject
    HelmCredentials credentials;

    @ConfigProperty(name = "interval-jitter-percentage", defaultValue = "5")
    int jitterPercentage;
    @ConfigProperty(name = "helm-index-max-size", defaultValue = "50Mi")
    String indexMaxSize;
    @ConfigProperty(name = "helm-chart-max-size", defaultValue = "10Mi")
    String chartMaxSize;
    @ConfigProperty(name = "helm-chart-file-max-size", defaultValue = "5Mi")
    String chartFileMaxSize;
    @ConfigProperty(name = "git-max-size", defaultValue = "1Gi")
    String sourceMaxSize;

    private final Clock clock = Clock.systemUTC();
    private volatile RequeuePolicy requeue;

    // --- watches ---

    /** A new artifact of a HelmRepository, GitRepository or Bucket reconciles the charts that name it in spec.sourceRef. */
    @Override
    public List<EventSource<?, HelmChart>> prepareEventSources(EventSourceContext<HelmChart> context) {
        context.getPrimaryCache().addIndexer(SOURCE_INDEX, c -> c.getSpec() == null || c.getSpec().getSourceRef() == null
                ? List.of() : List.of(sourceKey(c.getSpec().getSourceRef().getKind(), c.getMetadata().getNamespace(),
                c.getSpec().getSourceRef().getName())));
        List<EventSource<?, HelmChart>> sources = new ArrayList<>();
        SOURCE_KINDS.forEach((kind, type) -> sources.add(watch(kind, type, context)));
        return sources;
    }

    private <S extends HasMetadata> InformerEventSource<S, HelmChart> watch(String kind, Class<S> type, EventSourceContext<HelmChart> context) {
        var primaries = context.getPrimaryCache();
        var configuration = InformerEventSourceConfiguration.from(type, HelmChart.class)
                .withName("helmchart-" + kind.toLowerCase())
                .withSecondaryToPrimaryMapper(source -> primaries.byIndex(SOURCE_INDEX,
                                sourceKey(kind, source.getMetadata().getNamespace(), source.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withOnUpdateFilter((updated, old) -> !Objects.equals(revisionOf(updated), revisionOf(old)))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    private static String sourceKey(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    private static String revisionOf(HasMetadata source) {
        Artifact a = artifactOf(source);
        return a == null ? null : a.getRevision() + "|" + a.getDigest();
    }

    private static Artifact artifactOf(HasMetadata source) {
        if (source instanceof HelmRepository r) {
            return r.getArtifact();
        }
        if (source instanceof GitRepository r) {
            return r.getStatus() == null ? null : r.getStatus().getArtifact();
        }
        if (source instanceof Bucket b) {
            return b.getStatus() == null ? null : b.getStatus().getArtifact();
        }
        return null;
    }

    // --- reconcile ---

    @Override
    public UpdateControl<HelmChart> reconcile(HelmChart chart, Context<HelmChart> context) {
        long started = System.nanoTime();
        HelmChartSpec spec = chart.getSpec();
        HelmChartStatus status = chart.getStatus() == null ? new HelmChartStatus() : chart.getStatus();
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        HelmChartStatus before = SourceKinds.copy(status, HelmChartStatus.class);
        String key = SourceKinds.key(chart);
        ReconcileRequest.requestedAt(chart).ifPresent(status::setLastHandledReconcileAt);

        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        metrics.recordSuspend(chart, suspended);
        if (suspended) {
            LOG.debugf("%s is suspended", key);
            return SourceKinds.finish(chart, before, status, null);
        }

        Conditions conditions = Conditions.of(status.getConditions(), chart.getMetadata().getGeneration(), clock);
        Duration interval = FluxDuration.parseOr(spec.getInterval(), Duration.ofMinutes(10));
        Outcome outcome;
        try {
            outcome = reconcileChart(chart, spec, status, conditions);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure reconciling %s", key);
            outcome = Outcome.retry(Conditions.FAILED, "reconciliation failed: " + SourceKinds.describe(e));
        }

        Duration next;
        if (outcome.ready) {
            status.setObservedGeneration(chart.getMetadata().getGeneration());
            conditions.markReady(outcome.reason, outcome.message);
            next = requeue().afterSuccess(key, interval);
        } else if (outcome.stalled) {
            status.setObservedGeneration(chart.getMetadata().getGeneration());
            conditions.markStalled(outcome.reason, outcome.message);
            next = null;
        } else {
            conditions.markFailedWithRetry(outcome.reason, outcome.message);
            next = requeue().afterFailure(key, interval);
        }
        recordEvent(chart, before, status, outcome);
        metrics.recordCondition(chart, status.getConditions(), Conditions.READY, false);
        metrics.recordDuration(chart, Duration.ofNanos(System.nanoTime() - started));
        return SourceKinds.finish(chart, before, status, next);
    }

    private Outcome reconcileChart(HelmChart chart, HelmChartSpec spec, HelmChartStatus status, Conditions conditions) {
        String ns = chart.getMetadata().getNamespace();
        Long generation = chart.getMetadata().getGeneration();

        Artifact current = status.getArtifact();
        if (current != null && !storage.verify(current.getPath(), current.getDigest())) {
            status.setArtifact(null);
            status.setUrl(null);
            conditions.delete(SourceKinds.ARTIFACT_IN_STORAGE);
            conditions.markReconciling(Conditions.PROGRESSING, "building artifact: disappeared from storage");
            current = null;
        } else if (current == null) {
            conditions.markReconciling(Conditions.PROGRESSING, "building artifact");
        } else if (!Objects.equals(generation, status.getObservedGeneration())) {
            conditions.markReconciling(Conditions.PROGRESSING, "processing object: new generation "
                    + status.getObservedGeneration() + " -> " + generation);
        }

        // the source
        String kind = spec.getSourceRef().getKind();
        String sourceName = spec.getSourceRef().getName();
        Class<? extends HasMetadata> type = SOURCE_KINDS.get(kind);
        if (type == null) {
            String msg = "failed to get source: unsupported source kind '" + kind + "', must be one of: [HelmRepository GitRepository Bucket]";
            conditions.markTrue(SourceKinds.FETCH_FAILED, "SourceUnavailable", msg);
            return Outcome.stalled("UnsupportedSourceKind", msg);
        }
        if (!TrustedSources.isTrusted(kind)) {
            String msg = "failed to get source: " + TrustedSources.refusal(kind, kind + " '" + ns + "/" + sourceName + "'");
            conditions.markTrue(SourceKinds.FETCH_FAILED, "SourceUnavailable", msg);
            return Outcome.stalled("UnsupportedSourceKind", msg);
        }
        HasMetadata source;
        try {
            source = client.resources(type).inNamespace(ns).withName(sourceName).get();
        } catch (KubernetesClientException e) {
            String msg = "failed to get source: " + SourceKinds.describe(e);
            conditions.markTrue(SourceKinds.FETCH_FAILED, "SourceUnavailable", msg);
            return Outcome.retry("SourceUnavailable", msg);
        }
        if (source == null) {
            String msg = "failed to get source: " + kind + " '" + ns + "/" + sourceName + "' not found";
            conditions.markTrue(SourceKinds.FETCH_FAILED, "SourceUnavailable", msg);
            return Outcome.retry("SourceUnavailable", msg);
        }
        boolean ociRepository = source instanceof HelmRepository r && HelmRepository.TYPE_OCI.equals(r.getSpec().getType());
        Artifact sourceArtifact = artifactOf(source);
        if (!ociRepository && (sourceArtifact == null || (source instanceof HelmRepository
                && !storage.verify(sourceArtifact.getPath(), sourceArtifact.getDigest())))) {
            String msg = "no artifact available for " + kind + " source '" + sourceName + "'";
            conditions.markTrue(SourceKinds.FETCH_FAILED, "NoSourceArtifact", msg);
            return Outcome.retry("NoSourceArtifact", msg);
        }
        if (sourceArtifact != null) {
            status.setObservedSourceArtifactRevision(sourceArtifact.getRevision());
        }

        // the build
        ChartPlan plan;
        try {
            if (source instanceof HelmRepository repo) {
                if (ociRepository) {
                    throw ChartBuildException.pull("HelmRepository '" + sourceName + "' is of type 'oci': Currents pulls charts "
                            + "from HTTP/S chart repositories, GitRepositories and Buckets; use an HTTP/S repository or vendor the chart in Git");
                }
                plan = fromRepository(chart, spec, status, repo, sourceArtifact, current);
            } else {
                plan = fromSourceArtifact(chart, spec, status, kind, sourceArtifact, current);
            }
        } catch (ChartBuildException e) {
            if (e.buildFailure()) {
                conditions.delete(SourceKinds.FETCH_FAILED);
                conditions.markTrue(SourceKinds.BUILD_FAILED, e.reason(), e.getMessage());
            } else {
                conditions.delete(SourceKinds.BUILD_FAILED);
                conditions.markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
            }
            return e.persistent() ? Outcome.stalled(e.reason(), e.getMessage()) : Outcome.retry(e.reason(), e.getMessage());
        } catch (HelmCredentials.AccessException e) {
            conditions.markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
            return Outcome.retry(e.reason(), e.getMessage());
        } catch (SourceArtifactException e) {
            conditions.markTrue(SourceKinds.FETCH_FAILED, e.reason, e.getMessage());
            return Outcome.retry(e.reason, e.getMessage());
        } catch (IOException e) {
            String msg = "failed to prepare the chart: " + SourceKinds.describe(e);
            conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, SourceKinds.ARCHIVE_OPERATION_FAILED, msg);
            return Outcome.retry(SourceKinds.ARCHIVE_OPERATION_FAILED, msg);
        }
        conditions.delete(SourceKinds.FETCH_FAILED);
        conditions.delete(SourceKinds.BUILD_FAILED);
        String reason = plan.packaged ? HelmChart.CHART_PACKAGE_SUCCEEDED_REASON : HelmChart.CHART_PULL_SUCCEEDED_REASON;

        if (plan.build == null) {
            // the stored artifact already is this name and version
            conditions.delete(SourceKinds.ARTIFACT_OUTDATED);
            conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, reason, plan.summary);
            return Outcome.ready(reason, plan.summary, current, false);
        }
        if (current != null) {
            conditions.markTrue(SourceKinds.ARTIFACT_OUTDATED, "NewChart", plan.summary);
        }

        ChartBuilder.Build build = plan.build;
        String name = chart.getMetadata().getName();
        String filename = build.name() + "-" + build.version() + ".tgz";
        StoredArtifact stored;
        String statusUrl;
        try (AutoCloseable lock = storage.lock(KIND, ns, name)) {
            stored = storage.store(KIND, ns, name, filename, build.version(), out -> build.chart().writeArchive(out));
            if (!storage.verify(stored.path(), stored.digest())) {
                throw new IOException("artifact " + stored.path() + " failed verification after writing");
            }
            statusUrl = storage.symlink(KIND, ns, name, filename, "latest.tar.gz");
            List<String> removed = storage.garbageCollect(KIND, ns, name, filename);
            if (!removed.isEmpty()) {
                LOG.debugf("garbage collected %s", removed);
            }
        } catch (Exception e) {
            String msg = "unable to copy Helm chart to storage: " + SourceKinds.describe(e);
            conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, SourceKinds.ARCHIVE_OPERATION_FAILED, msg);
            return Outcome.retry(SourceKinds.ARCHIVE_OPERATION_FAILED, msg);
        }
        conditions.delete(SourceKinds.STORAGE_OPERATION_FAILED);
        conditions.delete(SourceKinds.ARTIFACT_OUTDATED);
        boolean changed = current == null || !Objects.equals(current.getDigest(), stored.digest());
        Artifact artifact = changed ? SourceKinds.toArtifact(stored) : current;
        status.setArtifact(artifact);
        status.setUrl(statusUrl);
        status.setObservedChartName(build.name());
        status.setObservedValuesFiles(build.valuesFiles().isEmpty() ? null : build.valuesFiles());
        conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, reason, build.summary());
        return Outcome.ready(reason, build.summary(), artifact, changed);
    }

    /** A build to store, or (build == null) the confirmation that the stored artifact is current. */
    private record ChartPlan(ChartBuilder.Build build, boolean packaged, String summary) {
    }

    private ChartBuilder.Options options(HelmChartSpec spec, String versionMetadata) {
        return new ChartBuilder.Options(valuesFiles(spec), Boolean.TRUE.equals(spec.getIgnoreMissingValuesFiles()),
                versionMetadata, SourceKinds.parseSize(chartFileMaxSize));
    }

    /** spec.valuesFiles, with the deprecated spec.valuesFile first when set (as Flux merges them). */
    private static List<String> valuesFiles(HelmChartSpec spec) {
        List<String> files = new ArrayList<>();
        if (spec.getValuesFile() != null && !spec.getValuesFile().isBlank()) {
            files.add(spec.getValuesFile());
        }
        if (spec.getValuesFiles() != null) {
            spec.getValuesFiles().stream().filter(f -> !files.contains(f)).forEach(files::add);
        }
        return files;
    }

    private static boolean cachedMatches(Artifact current, HelmChartStatus status, Long generation, String name, String version) {
        return current != null && Objects.equals(status.getObservedChartName(), name)
                && Objects.equals(current.getRevision(), version)
                && Objects.equals(status.getObservedGeneration(), generation);
    }

    private static String summary(boolean packaged, String name, String version, List<String> valuesFiles) {
        String s = (packaged ? "packaged" : "pulled") + " '" + name + "' chart with version '" + version + "'";
        return valuesFiles == null || valuesFiles.isEmpty() ? s : s + " and merged values files [" + String.join(" ", valuesFiles) + "]";
    }

    private ChartPlan fromRepository(HelmChart chart, HelmChartSpec spec, HelmChartStatus status, HelmRepository repo,
                                     Artifact indexArtifact, Artifact current)
            throws ChartBuildException, HelmCredentials.AccessException, IOException {
        HelmAccess access = credentials.access(repo);
        HelmIndex index;
        try {
            index = HelmIndex.parse(Files.readAllBytes(storage.fileFor(indexArtifact.getPath())));
        } catch (HelmIndex.InvalidIndexException e) {
            throw ChartBuildException.pull("failed to load the index of HelmRepository '" + repo.getMetadata().getName() + "': " + e.getMessage());
        }
        HelmIndex.ChartVersion cv = index.select(spec.getChart(), spec.getVersion());
        List<String> valuesFiles = valuesFiles(spec);
        String metadata = valuesFiles.isEmpty() ? null : Long.toString(chart.getMetadata().getGeneration());
        String version = ChartBuilder.versionWithMetadata(cv.version(), metadata);
        boolean packaged = !valuesFiles.isEmpty();
        if (cachedMatches(current, status, chart.getMetadata().getGeneration(), cv.name(), version)) {
            return new ChartPlan(null, packaged, summary(packaged, cv.name(), version, status.getObservedValuesFiles()));
        }
        if (cv.urls().isEmpty()) {
            throw ChartBuildException.pull("chart '" + cv.name() + "' version '" + cv.version() + "' has no downloadable URLs in the index");
        }
        byte[] archive;
        try {
            archive = HelmHttp.get(HelmHttp.chartUrl(access.url(), cv.urls().get(0)), access, SourceKinds.parseSize(chartMaxSize));
        } catch (HelmHttp.FetchException e) {
            throw ChartBuildException.pull("failed to download chart for remote reference: " + e.getMessage());
        }
        ChartBuilder.Build build = ChartBuilder.fromRepository(archive, spec.getChart(), options(spec, metadata));
        if (!build.chart().version().equals(version)) {
            // the archive's Chart.yaml disagrees with the index; the artifact is named after what is inside
            LOG.debugf("%s: index lists version %s, archive holds %s", SourceKinds.key(chart), cv.version(), build.version());
        }
        return new ChartPlan(build, build.packaged(), build.summary());
    }

    /** The source artifact could not be read; {@code reason} is Flux's condition reason. */
    static final class SourceArtifactException extends Exception {
        final String reason;

        SourceArtifactException(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    private ChartPlan fromSourceArtifact(HelmChart chart, HelmChartSpec spec, HelmChartStatus status, String kind,
                                         Artifact sourceArtifact, Artifact current)
            throws ChartBuildException, SourceArtifactException, IOException {
        Path work = Files.createTempDirectory("helmchart-" + chart.getMetadata().getNamespace() + "-" + chart.getMetadata().getName() + "-");
        try {
            Path sourceDir = work.resolve("source");
            try (InputStream in = openVerified(sourceArtifact)) {
                ArtifactArchive.extract(in, sourceDir, SourceKinds.parseSize(sourceMaxSize));
            } catch (ArtifactArchive.UnsafeArchiveException e) {
                throw new SourceArtifactException(Conditions.FAILED, "artifact untar error: " + e.getMessage());
            }
            Path chartDir = ChartBuilder.chartDirectory(sourceDir, spec.getChart());

            String metadata = null;
            if (HelmChart.RECONCILE_STRATEGY_REVISION.equals(spec.getReconcileStrategy())) {
                metadata = shortRevision(kind, sourceArtifact.getRevision());
            }
            List<String> valuesFiles = valuesFiles(spec);
            if (!valuesFiles.isEmpty()) {
                metadata = (metadata == null ? "" : metadata + ".") + chart.getMetadata().getGeneration();
            }
            String version = ChartBuilder.localVersion(chartDir, metadata);
            String name = ChartBuilder.localName(chartDir);
            if (cachedMatches(current, status, chart.getMetadata().getGeneration(), name, version)) {
                return new ChartPlan(null, true, summary(true, name, version, status.getObservedValuesFiles()));
            }
            ChartBuilder.Build build = ChartBuilder.fromDirectory(sourceDir, chartDir, options(spec, metadata),
                    (url, depName, range) -> fetchDependency(chart.getMetadata().getNamespace(), url, depName, range));
            return new ChartPlan(build, true, build.summary());
        } finally {
            SourceKinds.deleteTree(work);
        }
    }

    /**
     * The first 12 hex characters of a source revision, as Flux suffixes chart versions with the
     * Revision strategy: {@code main@sha1:<hex>} and {@code sha256:<hex>} give the hex after the colon.
     */
    static String shortRevision(String kind, String revision) {
        String rev = revision == null ? "" : revision;
        int colon = rev.lastIndexOf(':');
        if (colon >= 0) {
            rev = rev.substring(colon + 1);
        } else if (rev.contains("/")) {
            rev = rev.substring(rev.lastIndexOf('/') + 1);
        }
        return rev.length() > 12 ? rev.substring(0, 12) : rev;
    }

    /** The source artifact's bytes: from this controller's storage when it is there, else downloaded; either way digest-checked. */
    private InputStream openVerified(Artifact artifact) throws SourceArtifactException, IOException {
        if (artifact.getPath() != null) {
            Path local;
            try {
                local = storage.fileFor(artifact.getPath());
            } catch (IllegalArgumentException e) {
                local = null;
            }
            if (local != null && Files.isRegularFile(local)) {
                if (!storage.verify(artifact.getPath(), artifact.getDigest())) {
                    throw new SourceArtifactException(Conditions.FAILED, "source artifact '" + artifact.getPath()
                            + "' does not match its digest " + artifact.getDigest());
                }
                return Files.newInputStream(local);
            }
        }
        byte[] bytes;
        try {
            bytes = HelmHttp.get(artifact.getUrl(), HelmAccess.anonymous(artifact.getUrl(), Duration.ofSeconds(60)),
                    SourceKinds.parseSize(sourceMaxSize));
        } catch (HelmHttp.FetchException e) {
            throw new SourceArtifactException(Conditions.FAILED, "failed to download source artifact: " + e.getMessage());
        }
        String digest = "sha256:" + HelmRepositoryReconciler.sha256(bytes);
        if (artifact.getDigest() != null && !artifact.getDigest().equals(digest)) {
            throw new SourceArtifactException(Conditions.FAILED, "source artifact from " + artifact.getUrl()
                    + " has digest " + digest + ", status says " + artifact.getDigest());
        }
        return new java.io.ByteArrayInputStream(bytes);
    }

    /**
     * Downloads a dependency from a chart repository: with the credentials and stored index of a
     * HelmRepository in the chart's namespace that has the same URL, else anonymously with a fresh index.
     */
    private byte[] fetchDependency(String namespace, String repositoryUrl, String name, String range) throws ChartBuildException {
        String wanted = trimSlash(repositoryUrl);
        HelmRepository match = client.resources(HelmRepository.class).inNamespace(namespace).list().getItems().stream()
                .filter(r -> r.getSpec() != null && !HelmRepository.TYPE_OCI.equals(r.getSpec().getType())
                        && wanted.equals(trimSlash(r.getSpec().getUrl())))
                .findFirst().orElse(null);
        HelmAccess access;
        HelmIndex index;
        try {
            byte[] indexBytes;
            if (match != null) {
                access = credentials.access(match);
                Artifact a = match.getArtifact();
                indexBytes = a != null && storage.verify(a.getPath(), a.getDigest())
                        ? Files.readAllBytes(storage.fileFor(a.getPath()))
                        : HelmHttp.get(HelmHttp.indexUrl(access.url()), access, SourceKinds.parseSize(indexMaxSize));
            } else {
                access = HelmAccess.anonymous(repositoryUrl, Duration.ofSeconds(60));
                indexBytes = HelmHttp.get(HelmHttp.indexUrl(repositoryUrl), access, SourceKinds.parseSize(indexMaxSize));
            }
            index = HelmIndex.parse(indexBytes);
        } catch (HelmCredentials.AccessException | HelmHttp.FetchException | HelmIndex.InvalidIndexException | IOException e) {
            throw ChartBuildException.dependency("failed to get the index of '" + repositoryUrl + "' for dependency '" + name + "': " + e.getMessage());
        }
        HelmIndex.ChartVersion cv;
        try {
            cv = index.select(name, range);
        } catch (ChartBuildException e) {
            throw ChartBuildException.dependency("dependency '" + name + "' from '" + repositoryUrl + "': " + e.getMessage());
        }
        if (cv.urls().isEmpty()) {
            throw ChartBuildException.dependency("dependency '" + name + "' version '" + cv.version() + "' has no URLs in the index");
        }
        try {
            return HelmHttp.get(HelmHttp.chartUrl(access.url(), cv.urls().get(0)), access, SourceKinds.parseSize(chartMaxSize));
        } catch (HelmHttp.FetchException e) {
            throw ChartBuildException.dependency("failed to download dependency '" + name + "': " + e.getMessage());
        }
    }

    private static String trimSlash(String url) {
        return url == null ? "" : url.replaceAll("/+$", "");
    }

    private void recordEvent(HelmChart chart, HelmChartStatus before, HelmChartStatus after, Outcome outcome) {
        Condition oldReady = Conditions.find(before.getConditions(), Conditions.READY).orElse(null);
        Condition newReady = Conditions.find(after.getConditions(), Conditions.READY).orElse(null);
        boolean readyChanged = oldReady == null || newReady == null
                || !Objects.equals(oldReady.getStatus(), newReady.getStatus())
                || !Objects.equals(oldReady.getMessage(), newReady.getMessage());
        if (outcome.ready) {
            Map<String, String> meta = Map.of("revision", outcome.artifact.getRevision(), "digest", outcome.artifact.getDigest());
            if (outcome.newArtifact || (oldReady != null && !Conditions.TRUE.equals(oldReady.getStatus()))) {
                events.normal(chart, outcome.reason, outcome.message, meta);
            }
        } else if (readyChanged) {
            Map<String, String> meta = after.getArtifact() == null ? Map.of() : Map.of("revision", after.getArtifact().getRevision());
            events.warning(chart, outcome.reason, outcome.message, meta);
        }
    }

    /** On deletion: remove every artifact of the object, then let it go. */
    @Override
    public DeleteControl cleanup(HelmChart chart, Context<HelmChart> context) {
        return SourceKinds.removeArtifacts(chart, KIND, storage, requeue(), metrics);
    }

    private RequeuePolicy requeue() {
        if (requeue == null) {
            requeue = new RequeuePolicy(jitterPercentage, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
        return requeue;
    }

    /** What one reconcile came to. */
    record Outcome(boolean ready, boolean stalled, String reason, String message, Artifact artifact, boolean newArtifact) {
        static Outcome ready(String reason, String message, Artifact artifact, boolean newArtifact) {
            return new Outcome(true, false, reason, message, artifact, newArtifact);
        }

        static Outcome retry(String reason, String message) {
            return new Outcome(false, false, reason, message, null, false);
        }

        static Outcome stalled(String reason, String message) {
            return new Outcome(false, true, reason, message, null, false);
        }
    }
}
