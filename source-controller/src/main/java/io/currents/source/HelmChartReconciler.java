package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.v1.ArtifactSource;
import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.HelmChartSpec;
import io.currents.api.source.v1.HelmChartStatus;
import io.currents.api.source.v1.HelmRepository;
import io.currents.runtime.artifact.ArtifactArchive;
import io.currents.runtime.artifact.TrustedSources;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.currents.runtime.reconcile.SourceWatch;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.StoredArtifact;
import io.currents.source.helm.ChartBuildException;
import io.currents.source.helm.ChartBuilder;
import io.currents.source.helm.HelmAccess;
import io.currents.source.helm.HelmHttp;
import io.currents.source.helm.HelmIndex;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.currents.oci.OciClient;
import io.currents.oci.OciReference;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reconciles a HelmChart into a chart package artifact: find the source, pick the chart version
 * (from a HelmRepository's stored index) or the chart directory (in a GitRepository's or Bucket's
 * artifact), pull or package it with its values files and dependencies, store it as
 * {@code <name>-<version>.tgz} with the version as revision, and report through Flux's conditions
 * and events. A new source artifact reconciles the charts that use it.
 */
@ControllerConfiguration(name = "helmchart", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class HelmChartReconciler extends FluxReconciler<HelmChart, HelmChartStatus> implements Cleaner<HelmChart> {

    static final String KIND = "HelmChart";
    static final String SOURCE_INDEX = "helmchart-source";
    private static final Map<String, Class<? extends ArtifactSource>> SOURCE_KINDS = Map.of(
            HelmRepositoryReconciler.KIND, HelmRepository.class,
            GitRepositoryReconciler.KIND, GitRepository.class,
            "Bucket", Bucket.class);

    @Inject
    ArtifactStorage storage;
    @Inject
    HelmCredentials credentials;
    @Inject
    OciCharts ociCharts;

    @ConfigProperty(name = "helm-index-max-size", defaultValue = "50Mi")
    String indexMaxSize;
    @ConfigProperty(name = "helm-chart-max-size", defaultValue = "10Mi")
    String chartMaxSize;
    @ConfigProperty(name = "helm-chart-file-max-size", defaultValue = "5Mi")
    String chartFileMaxSize;
    @ConfigProperty(name = "git-max-size", defaultValue = "1Gi")
    String sourceMaxSize;

    // --- watches ---

    /** A new artifact of a HelmRepository, GitRepository or Bucket reconciles the charts that name it in spec.sourceRef. */
    @Override
    public List<EventSource<?, HelmChart>> prepareEventSources(EventSourceContext<HelmChart> context) {
        context.getPrimaryCache().addIndexer(SOURCE_INDEX, c -> c.getSpec() == null || c.getSpec().getSourceRef() == null
                ? List.of() : List.of(sourceKey(c.getSpec().getSourceRef().getKind(), c.getMetadata().getNamespace(),
                c.getSpec().getSourceRef().getName())));
        List<EventSource<?, HelmChart>> sources = new ArrayList<>();
        SOURCE_KINDS.forEach((kind, type) -> sources.add(SourceWatch.onNewArtifact(kind, type, HelmChart.class, SOURCE_INDEX, context)));
        return sources;
    }

    private static String sourceKey(String kind, String namespace, String name) {
        return SourceWatch.key(kind, namespace, name);
    }

    // --- reconcile ---

    @Override
    protected HelmChartStatus newStatus() {
        return new HelmChartStatus();
    }

    /** A failed attempt keeps the generation unobserved: {@link #cachedMatches} trusts it to say what the artifact was built from. */
    @Override
    protected boolean recordsGenerationOnRetry() {
        return false;
    }

    @Override
    protected Map<String, String> eventMetadata(Reconciliation<HelmChart, HelmChartStatus> r) {
        return SourceKinds.artifactMetadata(r.status().getArtifact());
    }

    @Override
    protected Ready steps(Reconciliation<HelmChart, HelmChartStatus> r) throws ReconcileFailure {
        Artifact current = intactArtifact(r);
        ArtifactSource source = source(r);
        ChartPlan plan = plan(r, source, current);
        String reason = plan.packaged ? HelmChart.CHART_PACKAGE_SUCCEEDED_REASON : HelmChart.CHART_PULL_SUCCEEDED_REASON;
        if (plan.build == null) {
            // the stored artifact already is this name and version
            r.revision(current.getRevision());
            r.conditions().delete(SourceKinds.ARTIFACT_OUTDATED);
            r.conditions().markTrue(SourceKinds.ARTIFACT_IN_STORAGE, reason, plan.summary);
            return Ready.of(reason, plan.summary);
        }
        return store(r, plan.build, reason, current);
    }

    /** 1. The stored chart, or null (and status cleared of it) when there is none or it left storage. */
    private Artifact intactArtifact(Reconciliation<HelmChart, HelmChartStatus> r) {
        HelmChartStatus status = r.status();
        Artifact current = SourceKinds.intactArtifact(r, storage, status.getArtifact(), () -> {
            status.setArtifact(null);
            status.setUrl(null);
        });
        Long generation = r.object().getMetadata().getGeneration();
        if (current != null && !Objects.equals(generation, status.getObservedGeneration())) {
            r.progress("processing object: new generation " + status.getObservedGeneration() + " -> " + generation);
        }
        return current;
    }

    /** 2. The HelmRepository, GitRepository or Bucket of spec.sourceRef, with an artifact. */
    private ArtifactSource source(Reconciliation<HelmChart, HelmChartStatus> r) throws ReconcileFailure {
        HelmChartSpec spec = r.object().getSpec();
        String ns = r.object().getMetadata().getNamespace();
        String kind = spec.getSourceRef().getKind();
        String sourceName = spec.getSourceRef().getName();
        Class<? extends ArtifactSource> type = SOURCE_KINDS.get(kind);
        if (type == null) {
            String message = "failed to get source: unsupported source kind '" + kind + "', must be one of: [HelmRepository GitRepository Bucket]";
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, "SourceUnavailable", message);
            throw ReconcileFailure.stalled("UnsupportedSourceKind", message);
        }
        if (!TrustedSources.isTrusted(kind)) {
            String message = "failed to get source: " + TrustedSources.refusal(kind, kind + " '" + ns + "/" + sourceName + "'");
            r.conditions().markTrue(SourceKinds.FETCH_FAILED, "SourceUnavailable", message);
            throw ReconcileFailure.stalled("UnsupportedSourceKind", message);
        }
        ArtifactSource source;
        try {
            source = client.resources(type).inNamespace(ns).withName(sourceName).get();
        } catch (KubernetesClientException e) {
            throw fetchFailed(r, "SourceUnavailable", "failed to get source: " + SourceKinds.describe(e));
        }
        if (source == null) {
            throw fetchFailed(r, "SourceUnavailable", "failed to get source: " + kind + " '" + ns + "/" + sourceName + "' not found");
        }
        Artifact sourceArtifact = source.getArtifact();
        if (!isOciRepository(source) && (sourceArtifact == null || (source instanceof HelmRepository
                && !storage.verify(sourceArtifact.getPath(), sourceArtifact.getDigest())))) {
            throw fetchFailed(r, "NoSourceArtifact", "no artifact available for " + kind + " source '" + sourceName + "'");
        }
        if (sourceArtifact != null) {
            r.status().setObservedSourceArtifactRevision(sourceArtifact.getRevision());
        }
        return source;
    }

    private static boolean isOciRepository(ArtifactSource source) {
        return source instanceof HelmRepository repo && HelmRepository.TYPE_OCI.equals(repo.getSpec().getType());
    }

    private static ReconcileFailure fetchFailed(Reconciliation<HelmChart, HelmChartStatus> r, String reason, String message) {
        r.conditions().markTrue(SourceKinds.FETCH_FAILED, reason, message);
        return ReconcileFailure.retry(reason, message);
    }

    /** 3. What to store: a chart pulled from a repository or packaged from a source artifact, or nothing new. */
    private ChartPlan plan(Reconciliation<HelmChart, HelmChartStatus> r, ArtifactSource source, Artifact current) throws ReconcileFailure {
        HelmChart chart = r.object();
        HelmChartSpec spec = chart.getSpec();
        Conditions conditions = r.conditions();
        ChartPlan plan;
        try {
            if (source instanceof HelmRepository repo) {
                plan = isOciRepository(source) ? fromOciRepository(r, repo, current)
                        : fromRepository(chart, spec, r.status(), repo, source.getArtifact(), current);
            } else {
                plan = fromSourceArtifact(r, spec.getSourceRef().getKind(), source.getArtifact(), current);
            }
        } catch (ChartBuildException e) {
            if (e.buildFailure()) {
                conditions.delete(SourceKinds.FETCH_FAILED);
                conditions.markTrue(SourceKinds.BUILD_FAILED, e.reason(), e.getMessage());
            } else {
                conditions.delete(SourceKinds.BUILD_FAILED);
                conditions.markTrue(SourceKinds.FETCH_FAILED, e.reason(), e.getMessage());
            }
            throw e.persistent() ? ReconcileFailure.stalled(e.reason(), e.getMessage()) : ReconcileFailure.retry(e.reason(), e.getMessage());
        } catch (HelmCredentials.AccessException e) {
            throw fetchFailed(r, e.reason(), e.getMessage());
        } catch (OciCredentials.AccessException e) {
            throw fetchFailed(r, e.reason(), e.getMessage());
        } catch (OciCharts.VerificationException e) {
            conditions.markFalse(SourceKinds.SOURCE_VERIFIED, SourceKinds.VERIFICATION_ERROR, e.getMessage());
            throw ReconcileFailure.retry(SourceKinds.VERIFICATION_ERROR, e.getMessage());
        } catch (IOException e) {
            String message = "failed to prepare the chart: " + SourceKinds.describe(e);
            conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, SourceKinds.ARCHIVE_OPERATION_FAILED, message);
            throw ReconcileFailure.retry(SourceKinds.ARCHIVE_OPERATION_FAILED, message);
        }
        conditions.delete(SourceKinds.FETCH_FAILED);
        conditions.delete(SourceKinds.BUILD_FAILED);
        return plan;
    }

    /** 4. Store the chart package as {@code <name>-<version>.tgz}, point latest.tar.gz at it, collect older ones. */
    private Ready store(Reconciliation<HelmChart, HelmChartStatus> r, ChartBuilder.Build build, String reason, Artifact current)
            throws ReconcileFailure {
        HelmChartStatus status = r.status();
        Conditions conditions = r.conditions();
        if (current != null) {
            conditions.markTrue(SourceKinds.ARTIFACT_OUTDATED, "NewChart", build.summary());
        }
        String ns = r.object().getMetadata().getNamespace();
        String name = r.object().getMetadata().getName();
        String filename = build.name() + "-" + build.version() + ".tgz";
        ArtifactStorage.Published published;
        try {
            published = storage.publish(KIND, ns, name, filename, build.version(), out -> build.chart().writeArchive(out), "latest.tar.gz",
                    SourceKinds.pathOf(r.before().getArtifact()));
        } catch (IOException | RuntimeException e) {
            String message = "unable to copy Helm chart to storage: " + SourceKinds.describe(e);
            conditions.markTrue(SourceKinds.STORAGE_OPERATION_FAILED, SourceKinds.ARCHIVE_OPERATION_FAILED, message);
            throw ReconcileFailure.retry(SourceKinds.ARCHIVE_OPERATION_FAILED, message);
        }
        StoredArtifact stored = published.artifact();
        String statusUrl = published.linkUrl();
        conditions.delete(SourceKinds.STORAGE_OPERATION_FAILED);
        conditions.delete(SourceKinds.ARTIFACT_OUTDATED);
        boolean changed = current == null || !Objects.equals(current.getDigest(), stored.digest());
        Artifact artifact = changed ? SourceKinds.toArtifact(stored) : current;
        status.setArtifact(artifact);
        status.setUrl(statusUrl);
        status.setObservedChartName(build.name());
        status.setObservedValuesFiles(build.valuesFiles().isEmpty() ? null : build.valuesFiles());
        r.revision(artifact.getRevision());
        conditions.markTrue(SourceKinds.ARTIFACT_IN_STORAGE, reason, build.summary());
        return Ready.of(reason, build.summary()).changed(changed);
    }

    /** A build to store, or (build == null) the confirmation that the stored artifact is current. */
    private record ChartPlan(ChartBuilder.Build build, boolean packaged, String summary) {
    }

    private ChartBuilder.Options options(HelmChartSpec spec, String versionMetadata) {
        return new ChartBuilder.Options(valuesFiles(spec), Boolean.TRUE.equals(spec.getIgnoreMissingValuesFiles()),
                versionMetadata, SourceKinds.parseSize(chartFileMaxSize));
    }

    /** spec.valuesFiles without repeats (source.toolkit.fluxcd.io/v1 has no singular valuesFile). */
    private static List<String> valuesFiles(HelmChartSpec spec) {
        List<String> files = new ArrayList<>();
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
            index = HelmIndex.load(storage.fileFor(indexArtifact.getPath()), indexArtifact.getDigest());
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
            log.debugf("%s: index lists version %s, archive holds %s", key(chart), cv.version(), build.version());
        }
        return new ChartPlan(build, build.packaged(), build.summary());
    }

    /**
     * A chart from an OCI HelmRepository: the tag of the version (or the highest in the range) from the registry, the
     * cosign signature of its manifest when spec.verify asks, then the chart layer, through the OCIRepository client.
     */
    private ChartPlan fromOciRepository(Reconciliation<HelmChart, HelmChartStatus> r, HelmRepository repo, Artifact current)
            throws ChartBuildException, OciCredentials.AccessException, OciCharts.VerificationException {
        HelmChart chart = r.object();
        HelmChartSpec spec = chart.getSpec();
        OciClient client = ociCharts.client(repo);
        OciReference ref = OciCharts.repository(repo.getSpec().getUrl(), spec.getChart());
        String tag = ociCharts.tagFor(client, ref, spec.getVersion());
        String name = ref.repository().substring(ref.repository().lastIndexOf('/') + 1);
        List<String> valuesFiles = valuesFiles(spec);
        String metadata = valuesFiles.isEmpty() ? null : Long.toString(chart.getMetadata().getGeneration());
        String version = ChartBuilder.versionWithMetadata(tag.replace('_', '+'), metadata);
        boolean packaged = !valuesFiles.isEmpty();
        boolean verified = spec.getVerify() == null || Conditions.isTrue(r.status().getConditions(), SourceKinds.SOURCE_VERIFIED);
        if (verified && cachedMatches(current, r.status(), chart.getMetadata().getGeneration(), name, version)) {
            return new ChartPlan(null, packaged, summary(packaged, name, version, r.status().getObservedValuesFiles()));
        }
        String digest = ociCharts.digest(client, ref, tag);
        if (spec.getVerify() != null) {
            r.conditions().markTrue(SourceKinds.SOURCE_VERIFIED, Conditions.SUCCEEDED,
                    ociCharts.verify(client, ref, digest, spec.getVerify(), chart.getMetadata().getNamespace()));
        } else {
            r.conditions().delete(SourceKinds.SOURCE_VERIFIED);
        }
        OciCharts.Pulled pulled = ociCharts.pull(client, ref, tag, digest, SourceKinds.parseSize(chartMaxSize));
        ChartBuilder.Build build = ChartBuilder.fromRepository(pulled.archive(), name, options(spec, metadata));
        return new ChartPlan(build, build.packaged(), build.summary());
    }

    private ChartPlan fromSourceArtifact(Reconciliation<HelmChart, HelmChartStatus> r, String kind, Artifact sourceArtifact,
                                         Artifact current) throws ChartBuildException, ReconcileFailure, IOException {
        HelmChart chart = r.object();
        HelmChartSpec spec = chart.getSpec();
        HelmChartStatus status = r.status();
        Path sourceDir = r.workDir("helmchart").resolve("source");
        try (InputStream in = openVerified(r, sourceArtifact)) {
            ArtifactArchive.extract(in, sourceDir, SourceKinds.parseSize(sourceMaxSize));
        } catch (ArtifactArchive.UnsafeArchiveException e) {
            throw fetchFailed(r, Conditions.FAILED, "artifact untar error: " + e.getMessage());
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
    private InputStream openVerified(Reconciliation<HelmChart, HelmChartStatus> r, Artifact artifact) throws ReconcileFailure, IOException {
        if (artifact.getPath() != null) {
            Path local;
            try {
                local = storage.fileFor(artifact.getPath());
            } catch (IllegalArgumentException e) {
                local = null;
            }
            if (local != null && Files.isRegularFile(local)) {
                if (!storage.verify(artifact.getPath(), artifact.getDigest())) {
                    throw fetchFailed(r, Conditions.FAILED, "source artifact '" + artifact.getPath()
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
            throw fetchFailed(r, Conditions.FAILED, "failed to download source artifact: " + e.getMessage());
        }
        String digest = "sha256:" + HelmRepositoryReconciler.sha256(bytes);
        if (artifact.getDigest() != null && !artifact.getDigest().equals(digest)) {
            throw fetchFailed(r, Conditions.FAILED, "source artifact from " + artifact.getUrl()
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
        if (wanted.startsWith("oci://")) {
            return fetchOciDependency(namespace, wanted, name, range);
        }
        HelmRepository match = client.resources(HelmRepository.class).inNamespace(namespace).list().getItems().stream()
                .filter(r -> r.getSpec() != null && !HelmRepository.TYPE_OCI.equals(r.getSpec().getType())
                        && wanted.equals(trimSlash(r.getSpec().getUrl())))
                .findFirst().orElse(null);
        HelmAccess access;
        HelmIndex index;
        try {
            if (match != null) {
                access = credentials.access(match);
                Artifact a = match.getArtifact();
                index = a != null && storage.verify(a.getPath(), a.getDigest())
                        ? HelmIndex.load(storage.fileFor(a.getPath()), a.getDigest())
                        : HelmIndex.parse(HelmHttp.get(HelmHttp.indexUrl(access.url()), access, SourceKinds.parseSize(indexMaxSize)));
            } else {
                access = HelmAccess.anonymous(repositoryUrl, Duration.ofSeconds(60));
                index = HelmIndex.parse(HelmHttp.get(HelmHttp.indexUrl(repositoryUrl), access, SourceKinds.parseSize(indexMaxSize)));
            }
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

    /**
     * Pulls a dependency from an OCI registry: with the credentials and TLS settings of an OCI HelmRepository in the
     * chart's namespace that has the same URL, else anonymously over HTTPS.
     */
    private byte[] fetchOciDependency(String namespace, String repositoryUrl, String name, String range) throws ChartBuildException {
        HelmRepository match = client.resources(HelmRepository.class).inNamespace(namespace).list().getItems().stream()
                .filter(r -> r.getSpec() != null && HelmRepository.TYPE_OCI.equals(r.getSpec().getType())
                        && repositoryUrl.equals(trimSlash(r.getSpec().getUrl())))
                .findFirst().orElse(null);
        try {
            OciClient oci = match != null ? ociCharts.client(match) : OciClient.builder().build();
            OciReference ref = OciCharts.repository(repositoryUrl, name);
            String tag = ociCharts.tagFor(oci, ref, range);
            return ociCharts.pull(oci, ref, tag, ociCharts.digest(oci, ref, tag), SourceKinds.parseSize(chartMaxSize)).archive();
        } catch (OciCredentials.AccessException e) {
            throw ChartBuildException.dependency("dependency '" + name + "' from '" + repositoryUrl + "': " + e.getMessage());
        } catch (ChartBuildException e) {
            throw ChartBuildException.dependency("dependency '" + name + "' from '" + repositoryUrl + "': " + e.getMessage());
        }
    }

    private static String trimSlash(String url) {
        return url == null ? "" : url.replaceAll("/+$", "");
    }

    /** On deletion: remove every artifact of the object, then let it go. */
    @Override
    public DeleteControl cleanup(HelmChart chart, Context<HelmChart> context) {
        return SourceKinds.removeArtifacts(chart, KIND, storage, this::forget);
    }
}
