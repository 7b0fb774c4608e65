package io.currents.sourcewatcher;

import io.currents.api.meta.Artifact;
import io.currents.api.source.extensions.v1beta1.ArtifactGenerator;
import io.currents.api.source.extensions.v1beta1.ArtifactGeneratorStatus;
import io.currents.api.source.extensions.v1beta1.ExternalArtifactReference;
import io.currents.api.source.extensions.v1beta1.SourceReference;
import io.currents.api.source.v1.ArtifactSource;
import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.ExternalArtifact;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.OCIRepository;
import io.currents.runtime.artifact.ArtifactFetcher;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.TrustedSources;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.currents.runtime.reconcile.SourceWatch;
import io.currents.sourcewatcher.build.ArtifactBuild;
import io.currents.sourcewatcher.build.BuildException;
import io.currents.sourcewatcher.build.PathPattern;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reconciles an ArtifactGenerator as Flux's source-watcher does: reads the artifacts of its sources, builds every
 * output artifact with its copy operations (expanded over {@code spec.pathPattern} when set), stores and serves them
 * from this controller's artifact store, writes one ExternalArtifact per output with the artifact in its status, and
 * records them in {@code status.inventory}; ExternalArtifacts no longer generated are deleted with their files.
 * A new artifact of a source reconciles the generators that read it; nothing is rebuilt while the sources' digest,
 * the spec and the stored files are unchanged.
 */
@ControllerConfiguration(name = "artifactgenerator", finalizerName = ArtifactGenerator.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class))
public class ArtifactGeneratorReconciler extends FluxReconciler<ArtifactGenerator, ArtifactGeneratorStatus>
        implements Cleaner<ArtifactGenerator> {

    static final String SOURCE_INDEX = "artifactgenerator-source";

    /** The source kinds a generator reads here: those whose artifacts a Currents controller writes (docs/security.md). */
    static final Map<String, Class<? extends ArtifactSource>> SOURCE_KINDS = Map.of(
            "GitRepository", GitRepository.class,
            "OCIRepository", OCIRepository.class,
            "Bucket", Bucket.class,
            "HelmChart", HelmChart.class,
            "ExternalArtifact", ExternalArtifact.class);

    @Inject
    ArtifactStorage storage;

    @ConfigProperty(name = "currents.controller-name", defaultValue = "source-watcher")
    String controllerName;
    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;
    @ConfigProperty(name = "artifact-fetch-retries", defaultValue = "9")
    int fetchRetries;
    @ConfigProperty(name = "max-artifact-size", defaultValue = "256Mi")
    String maxArtifactSize;
    @ConfigProperty(name = "requeue-dependency", defaultValue = "5s")
    String requeueDependency;
    @ConfigProperty(name = "artifact-generator-interval", defaultValue = "1h")
    String generatorInterval;

    // --- watches ---

    /** A new artifact of a GitRepository, OCIRepository, Bucket, HelmChart or ExternalArtifact reconciles the generators that list it. */
    @Override
    public List<EventSource<?, ArtifactGenerator>> prepareEventSources(EventSourceContext<ArtifactGenerator> context) {
        context.getPrimaryCache().addIndexer(SOURCE_INDEX, g -> {
            if (g.getSpec() == null || g.getSpec().getSources() == null) {
                return List.of();
            }
            return g.getSpec().getSources().stream().map(s -> SourceWatch.key(s.getKind(), namespaceOf(g, s), s.getName())).toList();
        });
        List<EventSource<?, ArtifactGenerator>> sources = new ArrayList<>();
        SOURCE_KINDS.forEach((kind, type) -> sources.add(SourceWatch.onNewArtifact(kind, type, ArtifactGenerator.class, SOURCE_INDEX, context)));
        return sources;
    }

    private static String namespaceOf(ArtifactGenerator g, SourceReference s) {
        return s.getNamespace() == null || s.getNamespace().isEmpty() ? g.getMetadata().getNamespace() : s.getNamespace();
    }

    // --- reconcile ---

    @Override
    protected ArtifactGeneratorStatus newStatus() {
        return new ArtifactGeneratorStatus();
    }

    @Override
    protected Duration defaultInterval() {
        return FluxDuration.parseOr(generatorInterval, Duration.ofHours(1));
    }

    /** {@code source.extensions.fluxcd.io/reconcile: disabled} pauses the generator, as Flux's source-watcher does. */
    @Override
    protected boolean leftAlone(ArtifactGenerator obj) {
        var annotations = obj.getMetadata().getAnnotations();
        return annotations != null && "disabled".equals(String.valueOf(annotations.get(ArtifactGenerator.RECONCILE_ANNOTATION))
                .toLowerCase(Locale.ROOT));
    }

    @Override
    protected void leftAlone(ArtifactGenerator obj, ArtifactGeneratorStatus status) {
        events.warning(obj, ArtifactGenerator.RECONCILIATION_DISABLED_REASON, "reconciliation is disabled", Map.of());
    }

    @Override
    protected Ready steps(Reconciliation<ArtifactGenerator, ArtifactGeneratorStatus> r) throws ReconcileFailure {
        ArtifactGenerator generator = r.object();
        validate(generator);
        Map<String, ObservedSources.Observed> observed = observe(generator);
        String digest = ObservedSources.digest(observed);
        if (upToDate(r, digest)) {
            return Ready.of(Conditions.SUCCEEDED, succeeded(r.status().getInventory().size()));
        }
        List<ExternalArtifactReference> inventory = build(r, observed);
        collectOrphans(generator, r.status().getInventory(), inventory);
        r.status().setInventory(inventory);
        r.status().setObservedSourcesDigest(digest);
        String message = succeeded(inventory.size());
        return Ready.of(Conditions.SUCCEEDED, message).changed().announcedAs(Conditions.SUCCEEDED, message, Map.of());
    }

    private static String succeeded(int artifacts) {
        return "reconciliation succeeded, generated " + artifacts + " artifact(s)";
    }

    /** 1. What only a spec change can fix: stalled. */
    private void validate(ArtifactGenerator generator) throws ReconcileFailure {
        GeneratorValidation.Refusal refusal = GeneratorValidation.check(generator, noCrossNamespaceRefs);
        if (refusal != null) {
            throw ReconcileFailure.stalled(refusal.reason(), refusal.message());
        }
        for (SourceReference src : generator.getSpec().getSources()) {
            if (!SOURCE_KINDS.containsKey(src.getKind()) || !TrustedSources.isTrusted(src.getKind())) {
                throw ReconcileFailure.stalled(ArtifactGenerator.SOURCE_FETCH_FAILED_REASON, TrustedSources.refusal(src.getKind(),
                        src.getKind() + " '" + namespaceOf(generator, src) + "/" + src.getName() + "'"));
            }
        }
    }

    /** 2. Every source's current artifact; a missing or not-yet-ready source is waited for. */
    private Map<String, ObservedSources.Observed> observe(ArtifactGenerator generator) throws ReconcileFailure {
        try {
            return ObservedSources.observe(client, generator);
        } catch (ObservedSources.NotReady e) {
            throw new ReconcileFailure(ArtifactGenerator.SOURCE_FETCH_FAILED_REASON, "fetch sources failed: " + e.getMessage())
                    .requeueAfter(FluxDuration.parseOr(requeueDependency, Duration.ofSeconds(5)));
        }
    }

    /** 3. Nothing to build: same sources, same spec (Ready observed this generation) and every output still in place. */
    private boolean upToDate(Reconciliation<ArtifactGenerator, ArtifactGeneratorStatus> r, String digest) {
        ArtifactGeneratorStatus status = r.status();
        if (!digest.equals(status.getObservedSourcesDigest()) || status.getInventory() == null) {
            return false;
        }
        var ready = Conditions.find(status.getConditions(), Conditions.READY).orElse(null);
        if (ready == null || !Conditions.TRUE.equals(ready.getStatus())
                || !Objects.equals(ready.getObservedGeneration(), r.object().getMetadata().getGeneration())) {
            return false;
        }
        for (ExternalArtifactReference ref : status.getInventory()) {
            ExternalArtifact ea = client.resources(ExternalArtifact.class).inNamespace(ref.getNamespace()).withName(ref.getName()).get();
            Artifact artifact = ea == null ? null : ea.getArtifact();
            if (artifact == null || !Objects.equals(artifact.getDigest(), ref.getDigest())
                    || !Files.isRegularFile(storage.fileFor(artifact.getPath()))) {
                return false;
            }
        }
        return true;
    }

    /** 4. Downloads the sources, builds and stores every output, and applies its ExternalArtifact. */
    private List<ExternalArtifactReference> build(Reconciliation<ArtifactGenerator, ArtifactGeneratorStatus> r,
                                                  Map<String, ObservedSources.Observed> observed) throws ReconcileFailure {
        ArtifactGenerator generator = r.object();
        r.progress("building artifacts from " + observed.size() + " source(s)");
        long maxBytes = new Quantity(maxArtifactSize).getNumericalAmount().longValue();
        ArtifactFetcher fetcher = new ArtifactFetcher(fetchRetries, maxBytes, System.getenv("SOURCE_CONTROLLER_LOCALHOST"));
        Path work;
        try {
            work = r.workDir("artifactgenerator");
        } catch (IOException e) {
            throw new ReconcileFailure(ArtifactGenerator.BUILD_FAILED_REASON, "failed to create a working directory: " + e.getMessage());
        }
        Map<String, ArtifactBuild.Source> sources = new LinkedHashMap<>();
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (var entry : observed.entrySet()) {
            Path dir = work.resolve("sources").resolve(entry.getKey());
            try {
                Files.createDirectories(dir);
                fetcher.fetch(entry.getValue().artifact(), dir);
            } catch (IOException e) {
                throw new ReconcileFailure(ArtifactGenerator.SOURCE_FETCH_FAILED_REASON, "fetch sources failed: source '"
                        + entry.getKey() + "': " + e.getMessage());
            }
            sources.put(entry.getKey(), new ArtifactBuild.Source(dir, entry.getValue().artifact().getRevision(),
                    entry.getValue().originRevision()));
            dirs.put(entry.getKey(), dir);
        }
        List<PathPattern.ArtifactRequest> requests;
        String pattern = generator.getSpec().getPathPattern();
        try {
            requests = pattern == null || pattern.isEmpty() ? PathPattern.withoutPattern(generator.getSpec().getArtifacts())
                    : PathPattern.expand(pattern, generator.getSpec().getArtifacts(), dirs);
        } catch (BuildException e) {
            throw ReconcileFailure.stalled(ArtifactGenerator.BUILD_FAILED_REASON, e.getMessage());
        } catch (IOException e) {
            throw new ReconcileFailure(ArtifactGenerator.BUILD_FAILED_REASON, "pathPattern expansion failed: " + e.getMessage());
        }
        ArtifactBuild builder = new ArtifactBuild(storage, maxBytes);
        ExternalArtifacts externalArtifacts = new ExternalArtifacts(client, controllerName, Clock.systemUTC());
        List<ExternalArtifactReference> inventory = new ArrayList<>();
        for (PathPattern.ArtifactRequest request : requests) {
            String name = request.artifact().getName();
            Artifact artifact;
            try {
                artifact = builder.build(request.artifact(), sources, generator.getMetadata().getNamespace(), work);
            } catch (BuildException | IOException e) {
                throw new ReconcileFailure(ArtifactGenerator.BUILD_FAILED_REASON, name + " build failed: " + e.getMessage());
            }
            try {
                inventory.add(externalArtifacts.publish(generator, name, artifact, request.labels()));
            } catch (KubernetesClientException e) {
                throw new ReconcileFailure(Conditions.RECONCILIATION_FAILED, name + " reconcile failed: " + e.getMessage());
            }
            try {
                builder.collectOlder(generator.getMetadata().getNamespace(), name, artifact);
            } catch (IOException e) {
                log.warnf("%s: could not collect older artifacts of %s: %s", key(generator), name, e.getMessage());
            }
        }
        return inventory;
    }

    /** 5. ExternalArtifacts this generator made before (inventory, or its label) that it no longer makes. */
    private void collectOrphans(ArtifactGenerator generator, List<ExternalArtifactReference> previous, List<ExternalArtifactReference> current) {
        ExternalArtifacts externalArtifacts = new ExternalArtifacts(client, controllerName, Clock.systemUTC());
        Set<String> keep = new HashSet<>();
        current.forEach(ref -> keep.add(ref.getNamespace() + "/" + ref.getName()));
        List<ExternalArtifactReference> candidates = new ArrayList<>(previous == null ? List.of() : previous);
        for (ExternalArtifact ea : externalArtifacts.owned(generator)) {
            ExternalArtifactReference ref = new ExternalArtifactReference();
            ref.setName(ea.getMetadata().getName());
            ref.setNamespace(ea.getMetadata().getNamespace());
            candidates.add(ref);
        }
        for (ExternalArtifactReference ref : candidates) {
            if (keep.add(ref.getNamespace() + "/" + ref.getName())) {
                remove(externalArtifacts, ref);
            }
        }
    }

    private void remove(ExternalArtifacts externalArtifacts, ExternalArtifactReference ref) {
        externalArtifacts.delete(ref);
        try (AutoCloseable lock = storage.lock(ArtifactBuild.KIND, ref.getNamespace(), ref.getName())) {
            storage.removeAll(ArtifactBuild.KIND, ref.getNamespace(), ref.getName());
        } catch (Exception e) {
            log.warnf("could not remove the files of ExternalArtifact %s/%s: %s", ref.getNamespace(), ref.getName(), e.getMessage());
        }
    }

    // --- deletion ---

    /** The generator's ExternalArtifacts and their files go with it. */
    @Override
    public DeleteControl cleanup(ArtifactGenerator generator, Context<ArtifactGenerator> context) {
        try {
            var status = generator.getStatus();
            collectOrphans(generator, status == null ? null : status.getInventory(), List.of());
        } catch (KubernetesClientException e) {
            log.warnf("could not delete the ExternalArtifacts of %s: %s", key(generator), e.getMessage());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(10));
        }
        forget(generator);
        return DeleteControl.defaultDelete();
    }
}
