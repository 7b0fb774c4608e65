package io.currents.kustomize.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.kustomize.v1.Decryption;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.kustomize.v1.KustomizationSpec;
import io.currents.api.kustomize.v1.KustomizationStatus;
import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.NamespacedObjectKindReference;
import io.currents.kustomize.RemoteResources;
import io.currents.runtime.Conditions;
import io.currents.runtime.ArtifactFetcher;
import io.currents.runtime.EventRecorder;
import io.currents.runtime.FluxDuration;
import io.currents.runtime.FluxUpdateFilter;
import io.currents.runtime.ManagedFieldsFreeStore;
import io.currents.runtime.ReconcileMetrics;
import io.currents.runtime.ReconcileRequest;
import io.currents.runtime.RequeuePolicy;
import io.currents.runtime.apply.Action;
import io.currents.runtime.apply.ApplyException;
import io.currents.runtime.apply.ApplyOptions;
import io.currents.runtime.apply.ChangeSet;
import io.currents.runtime.apply.ChangeSetEntry;
import io.currents.runtime.apply.DeletionPolicy;
import io.currents.runtime.apply.Inventory;
import io.currents.runtime.apply.KubeconfigPolicy;
import io.currents.runtime.apply.ObjectRef;
import io.currents.runtime.apply.Owner;
import io.currents.runtime.build.ManifestBuilder;
import io.currents.runtime.build.PostBuildVariables;
import io.currents.runtime.build.Reasons;
import io.currents.runtime.build.ReconcileFailure;
import io.currents.runtime.build.SopsDecryption;
import io.currents.runtime.health.HealthCheck;
import io.currents.runtime.sops.SopsDecryptor;
import io.currents.runtime.sops.SopsException;
import io.currents.runtime.sops.SopsKeys;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
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
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reconciles a Kustomization: resolve the source and dependencies, download and verify the artifact, build
 * it with kustomize (spec overlays, SOPS, post-build substitution), server-side apply the result as the
 * right identity, record the inventory, prune what left it, wait for health, and report through
 * conditions, events and metrics. A failure before the apply never touches the cluster.
 */
@ControllerConfiguration(name = "kustomization", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class, itemStore = ManagedFieldsFreeStore.class))
public class KustomizationReconciler implements Reconciler<Kustomization>, Cleaner<Kustomization> {

    static final String KIND = "Kustomization";
    static final String SOURCE_INDEX = "sourceRef";
    private static final Logger LOG = Logger.getLogger(KustomizationReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;
    @Inject
    EventRecorder events;
    @Inject
    ReconcileMetrics metrics;

    @ConfigProperty(name = "interval-jitter-percentage", defaultValue = "5")
    int jitterPercentage;
    @ConfigProperty(name = "requeue-dependency", defaultValue = "30s")
    String requeueDependency;
    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;
    @ConfigProperty(name = "no-remote-bases", defaultValue = "false")
    boolean noRemoteBases;
    @ConfigProperty(name = "default-service-account")
    Optional<String> defaultServiceAccount;
    @ConfigProperty(name = KubeconfigPolicy.EXEC_FLAG, defaultValue = "false")
    boolean insecureKubeconfigExec;
    @ConfigProperty(name = KubeconfigPolicy.TLS_FLAG, defaultValue = "false")
    boolean insecureKubeconfigTls;
    @ConfigProperty(name = "artifact-fetch-retries", defaultValue = "9")
    int artifactFetchRetries;
    @ConfigProperty(name = "max-artifact-size", defaultValue = "256Mi")
    String maxArtifactSize;
    @ConfigProperty(name = "health-check-poll-interval", defaultValue = "2s")
    String healthCheckPollInterval;
    @ConfigProperty(name = "feature-gates")
    Optional<String> featureGates;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, InformerEventSource<? extends HasMetadata, Kustomization>> sourceCaches = new HashMap<>();
    private volatile RequeuePolicy requeue;
    private volatile ApplyTargets targets;
    private volatile ArtifactFetcher fetcher;
    private volatile ManifestBuilder builder;

    // --- watches ---

    /**
     * Watches GitRepositories, OCIRepositories and Buckets; a new artifact revision reconciles every
     * Kustomization that points at the source (found through an index on {@code spec.sourceRef}).
     */
    @Override
    public List<EventSource<?, Kustomization>> prepareEventSources(EventSourceContext<Kustomization> context) {
        IndexerResourceCache<Kustomization> primaries = context.getPrimaryCache();
        primaries.addIndexer(SOURCE_INDEX, k -> k.getSpec() == null || k.getSpec().getSourceRef() == null
                ? List.of() : List.of(SourceArtifacts.sourceKeyOf(k)));
        List<EventSource<?, Kustomization>> sources = new ArrayList<>();
        SourceArtifacts.KINDS.forEach((kind, type) -> {
            InformerEventSource<? extends HasMetadata, Kustomization> source = watch(kind, type, context);
            sourceCaches.put(kind, source);
            sources.add(source);
        });
        return sources;
    }

    private <S extends HasMetadata> InformerEventSource<S, Kustomization> watch(String kind, Class<S> type,
                                                                              EventSourceContext<Kustomization> context) {
        IndexerResourceCache<Kustomization> primaries = context.getPrimaryCache();
        var configuration = InformerEventSourceConfiguration.from(type, Kustomization.class)
                .withName(kind)
                .withSecondaryToPrimaryMapper(source -> primaries.byIndex(SOURCE_INDEX,
                                SourceArtifacts.key(kind, source.getMetadata().getNamespace(), source.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withOnUpdateFilter((updated, old) -> !Objects.equals(revisionOf(updated), revisionOf(old)))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    private static String revisionOf(HasMetadata source) {
        Artifact a = SourceArtifacts.artifactOf(source);
        return a == null ? null : a.getRevision() + "|" + a.getDigest();
    }

    // --- reconcile ---

    @Override
    public UpdateControl<Kustomization> reconcile(Kustomization k, Context<Kustomization> context) {
        long started = System.nanoTime();
        KustomizationSpec spec = k.getSpec();
        KustomizationStatus status = k.getStatus() == null ? new KustomizationStatus() : k.getStatus();
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        KustomizationStatus before = JSON.convertValue(status, KustomizationStatus.class);
        String key = key(k);
        ReconcileRequest.requestedAt(k).ifPresent(status::setLastHandledReconcileAt);

        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        metrics.recordSuspend(k, suspended);
        if (suspended) {
            LOG.debugf("%s is suspended", key);
            return finish(k, before, status, null);
        }

        Conditions conditions = Conditions.of(status.getConditions(), k.getMetadata().getGeneration(), clock);
        Duration interval = FluxDuration.parseOr(spec.getInterval(), Duration.ofMinutes(10));
        Duration retryInterval = FluxDuration.parseOr(spec.getRetryInterval(), interval);
        Run run = new Run(k, status, conditions);
        Duration next;
        try {
            reconcileRevision(run);
            conditions.markReady(Reasons.RECONCILIATION_SUCCEEDED, "Applied revision: " + run.revision);
            next = requeue().afterSuccess(key, interval);
        } catch (ReconcileFailure failure) {
            run.fail(failure);
            if (failure.isStalled()) {
                conditions.markStalled(failure.reason(), failure.getMessage());
                next = failure.reason().equals(Reasons.DEPENDENCY_NOT_READY) ? interval : null;
            } else {
                conditions.markFailedWithRetry(failure.reason(), failure.getMessage());
                next = run.requeueAfter != null ? run.requeueAfter : requeue().afterFailure(key, retryInterval);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure reconciling %s", key);
            String message = run.redaction.apply("reconciliation failed: " + describe(e));
            run.fail(new ReconcileFailure(Reasons.RECONCILIATION_FAILED, message));
            conditions.markFailedWithRetry(Reasons.RECONCILIATION_FAILED, message);
            next = requeue().afterFailure(key, retryInterval);
        } finally {
            deleteTree(run.workDir);
        }
        status.setObservedGeneration(k.getMetadata().getGeneration());
        recordEvents(run, before, status, Duration.ofNanos(System.nanoTime() - started), interval);
        metrics.recordCondition(k, status.getConditions(), Conditions.READY, false);
        metrics.recordDuration(k, Duration.ofNanos(System.nanoTime() - started));
        return finish(k, before, status, next);
    }

    /** The state of one reconcile, for the steps and the events at the end. */
    private static final class Run {
        final Kustomization k;
        final KustomizationStatus status;
        final Conditions conditions;
        final Redaction redaction = new Redaction();
        final List<String> changes = new ArrayList<>();
        String revision;
        Path workDir;
        ReconcileFailure failure;
        Duration requeueAfter;
        String healthMessage;
        boolean infoOnly;

        Run(Kustomization k, KustomizationStatus status, Conditions conditions) {
            this.k = k;
            this.status = status;
            this.conditions = conditions;
        }

        void fail(ReconcileFailure f) {
            this.failure = f;
        }
    }

    private void reconcileRevision(Run run) throws ReconcileFailure {
        Kustomization k = run.k;
        KustomizationSpec spec = k.getSpec();

        // 1. Source and its artifact.
        SourceArtifacts.Source source;
        try {
            source = new SourceArtifacts(client, noCrossNamespaceRefs, sourceCaches).resolve(k);
        } catch (ReconcileFailure f) {
            run.requeueAfter = f.isStalled() ? null : FluxDuration.parseOr(spec.getRetryInterval(), FluxDuration.parseOr(spec.getInterval(), Duration.ofMinutes(1)));
            throw f;
        }
        if (source.artifact() == null) {
            run.requeueAfter = dependencyInterval();
            throw new ReconcileFailure(Reasons.ARTIFACT_FAILED, "Source artifact not found, retrying in " + FluxDuration.format(dependencyInterval()));
        }
        run.revision = source.artifact().getRevision();

        // 2. Dependencies.
        try {
            new Dependencies(this::getKustomization).check(k, run.revision);
        } catch (ReconcileFailure f) {
            run.requeueAfter = dependencyInterval();
            run.infoOnly = !f.isStalled();
            throw f;
        }

        Duration timeout = FluxDuration.parseOr(spec.getTimeout(), FluxDuration.parseOr(spec.getInterval(), Duration.ofMinutes(5)));
        run.conditions.markReconciling(Reasons.PROGRESSING, "Fetching manifests for revision " + run.revision
                + " with a timeout of " + FluxDuration.format(timeout));

        // 3. Download, verify and unpack.
        Path root;
        try {
            run.workDir = Files.createTempDirectory("kustomization-" + k.getMetadata().getNamespace() + "-" + k.getMetadata().getName() + "-");
            root = Files.createDirectory(run.workDir.resolve("source")).toRealPath();
            fetcher().fetch(source.artifact(), root);
        } catch (ArtifactFetcher.ArtifactNotFound e) {
            run.requeueAfter = dependencyInterval();
            throw new ReconcileFailure(Reasons.ARTIFACT_FAILED, "Source is not ready, artifact not found, retrying in "
                    + FluxDuration.format(dependencyInterval()));
        } catch (IOException e) {
            throw new ReconcileFailure(Reasons.ARTIFACT_FAILED, describe(e));
        }
        Path dir = root.resolve(stripLeadingSlash(spec.getPath())).normalize();
        if (!dir.startsWith(root)) {
            throw ReconcileFailure.stalled(Reasons.ARTIFACT_FAILED, "kustomization path '" + spec.getPath() + "' points outside the artifact");
        }
        if (!Files.isDirectory(dir)) {
            throw new ReconcileFailure(Reasons.ARTIFACT_FAILED, "kustomization path not found: " + displayPath(spec.getPath())
                    + ": no such directory in revision " + run.revision);
        }
        run.status.setLastAttemptedRevision(run.revision);

        // 4. Build: overlays, decryption, substitution.
        SopsDecryption decryption = spec.getDecryption() == null ? null : decryption(k, spec.getDecryption());
        PostBuildVariables variables = spec.getPostBuild() == null ? null
                : PostBuildVariables.load(client, k.getMetadata().getNamespace(), spec.getPostBuild());
        if (variables != null) {
            run.redaction.addAll(variables.secretValues());
        }
        List<GenericKubernetesResource> objects;
        try {
            objects = builder().build(root, dir, spec, decryption, variables, featureEnabled("StrictPostBuildSubstitutions"));
        } catch (ReconcileFailure f) {
            throw new ReconcileFailure(f.reason(), run.redaction.apply(f.getMessage()));
        }
        Owner owner = Owner.kustomization(k.getMetadata().getName(), k.getMetadata().getNamespace());
        for (GenericKubernetesResource object : objects) {
            if (SopsDecryptor.isEncrypted(object.getAdditionalProperties()) && spec.getDecryption() == null) {
                throw new ReconcileFailure(Reasons.RECONCILIATION_FAILED, ObjectRef.of(object).subject()
                        + " is SOPS encrypted, configuring decryption is required for this secret to be reconciled");
            }
            run.redaction.addSecret(object);
            owner.label(object);
        }

        // 5. Apply, as the Kustomization's identity, staged and dry-run first.
        Inventory previous = Inventory.from(run.status.getInventory());
        try (ApplyTargets.Target target = targets().forKustomization(k)) {
            ApplyOptions options = ApplyOptions.kustomizeController(ApplyTargets.FIELD_MANAGER)
                    .withForce(Boolean.TRUE.equals(spec.getForce()))
                    .withWait(Duration.ofSeconds(1), timeout);
            ChangeSet applied;
            try {
                applied = objects.isEmpty() ? new ChangeSet() : target.applier().applyAllStaged(objects, options);
            } catch (ApplyException | KubernetesClientException e) {
                throw new ReconcileFailure(Reasons.RECONCILIATION_FAILED, run.redaction.apply(describe(e)));
            }
            logChanges(run, applied, "server-side apply completed");
            Inventory current = Inventory.of(applied);
            run.status.setInventory(current.toResourceInventory());

            // 6. Prune what left the set (never after a failure above).
            if (Boolean.TRUE.equals(spec.getPrune())) {
                try {
                    ChangeSet pruned = target.applier().prune(previous, current, owner);
                    logChanges(run, pruned, "garbage collection completed");
                } catch (ApplyException | KubernetesClientException e) {
                    // Keep tracking what could not be deleted so the next run tries again.
                    List<Inventory.Entry> survivors = previous.diff(current);
                    List<io.currents.api.meta.ResourceRef> entries = new ArrayList<>(run.status.getInventory().getEntries());
                    survivors.forEach(s -> entries.add(new io.currents.api.meta.ResourceRef(s.id(), s.version())));
                    run.status.getInventory().setEntries(entries);
                    throw new ReconcileFailure(Reasons.PRUNE_FAILED, run.redaction.apply(describe(e)));
                }
            }

            // 7. Health.
            checkHealth(run, target, applied, timeout);
        }
        run.status.setLastAppliedRevision(run.revision);
    }

    private void checkHealth(Run run, ApplyTargets.Target target, ChangeSet applied, Duration timeout) throws ReconcileFailure {
        KustomizationSpec spec = run.k.getSpec();
        boolean wait = Boolean.TRUE.equals(spec.getWait());
        List<HasMetadata> toCheck = new ArrayList<>();
        if (wait) {
            for (ChangeSetEntry entry : applied.entries()) {
                if (entry.action() != Action.SKIPPED) {
                    toCheck.add(stub(entry.ref().apiVersion(entry.version()), entry.ref().kind(), entry.ref().namespace(), entry.ref().name()));
                }
            }
        } else if (spec.getHealthChecks() != null) {
            for (NamespacedObjectKindReference ref : spec.getHealthChecks()) {
                String namespace = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? run.k.getMetadata().getNamespace() : ref.getNamespace();
                toCheck.add(stub(ref.getApiVersion(), ref.getKind(), namespace, ref.getName()));
            }
        }
        // Never wait on ourselves.
        toCheck.removeIf(o -> KIND.equals(o.getKind()) && run.k.getMetadata().getName().equals(o.getMetadata().getName())
                && run.k.getMetadata().getNamespace().equals(o.getMetadata().getNamespace()));
        if (toCheck.isEmpty()) {
            run.conditions.delete(Conditions.HEALTHY);
            return;
        }
        boolean wasHealthy = Conditions.isTrue(run.status.getConditions(), Conditions.HEALTHY);
        long started = System.nanoTime();
        HealthCheck.Report report = new HealthCheck(target.client()).waitFor(toCheck,
                FluxDuration.parseOr(healthCheckPollInterval, Duration.ofSeconds(2)), timeout);
        if (!report.healthy()) {
            String message = run.redaction.apply(report.message());
            run.conditions.markFalse(Conditions.HEALTHY, Reasons.HEALTH_CHECK_FAILED, message);
            throw new ReconcileFailure(Reasons.HEALTH_CHECK_FAILED, "health check failed after "
                    + FluxDuration.format(Duration.ofNanos(System.nanoTime() - started)) + ": " + message);
        }
        String message = "Health check passed in " + FluxDuration.format(Duration.ofNanos(System.nanoTime() - started));
        run.conditions.markTrue(Conditions.HEALTHY, Reasons.SUCCEEDED, message);
        if (!wasHealthy) {
            run.healthMessage = message;
        }
    }

    private static GenericKubernetesResource stub(String apiVersion, String kind, String namespace, String name) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion(apiVersion);
        object.setKind(kind);
        object.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace == null || namespace.isEmpty() ? null : namespace).build());
        return object;
    }

    private SopsDecryption decryption(Kustomization k, Decryption decryption) throws ReconcileFailure {
        if (!"sops".equals(decryption.getProvider())) {
            throw ReconcileFailure.stalled(Reasons.BUILD_FAILED, "unsupported decryption provider '" + decryption.getProvider() + "'");
        }
        SopsKeys keys = new SopsKeys();
        if (decryption.getSecretRef() != null && decryption.getSecretRef().getName() != null) {
            String namespace = k.getMetadata().getNamespace();
            String name = decryption.getSecretRef().getName();
            Secret secret;
            try {
                secret = client.secrets().inNamespace(namespace).withName(name).get();
            } catch (KubernetesClientException e) {
                throw new ReconcileFailure(Reasons.DECRYPTION_FAILED, "cannot get decryption Secret '" + namespace + "/" + name + "': " + e.getMessage());
            }
            if (secret == null) {
                throw new ReconcileFailure(Reasons.DECRYPTION_FAILED, "cannot get decryption Secret '" + namespace + "/" + name + "': not found");
            }
            Map<String, byte[]> data = new LinkedHashMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
            }
            try {
                keys = SopsKeys.fromSecretData(data);
            } catch (SopsException e) {
                throw new ReconcileFailure(Reasons.DECRYPTION_FAILED, "failed to import keys from decryption Secret '"
                        + namespace + "/" + name + "': " + e.getMessage());
            }
        }
        return new SopsDecryption(keys);
    }

    private void logChanges(Run run, ChangeSet changeSet, String what) {
        List<String> lines = changeSet.entries().stream()
                .filter(e -> e.action() == Action.CREATED || e.action() == Action.CONFIGURED || e.action() == Action.DELETED)
                .map(ChangeSetEntry::toString).toList();
        if (!lines.isEmpty()) {
            LOG.infof("%s %s: %s (revision %s)", key(run.k), what, changeSet.toMap(), run.revision);
            run.changes.addAll(lines);
        }
    }

    // --- events ---

    private void recordEvents(Run run, KustomizationStatus before, KustomizationStatus after, Duration took, Duration interval) {
        Kustomization k = run.k;
        Map<String, String> meta = run.revision == null ? Map.of() : Map.of(FluxMeta.REVISION_METADATA_KEY, run.revision);
        if (!run.changes.isEmpty()) {
            events.normal(k, Reasons.PROGRESSING, String.join("\n", run.changes), meta);
        }
        if (run.healthMessage != null) {
            events.normal(k, Reasons.PROGRESSING, run.healthMessage, meta);
        }
        Condition oldReady = Conditions.find(before.getConditions(), Conditions.READY).orElse(null);
        Condition newReady = Conditions.find(after.getConditions(), Conditions.READY).orElse(null);
        boolean readyChanged = oldReady == null || newReady == null
                || !Objects.equals(oldReady.getStatus(), newReady.getStatus())
                || !Objects.equals(oldReady.getMessage(), newReady.getMessage());
        if (run.failure == null) {
            boolean newRevision = !Objects.equals(before.getLastAppliedRevision(), after.getLastAppliedRevision());
            if (readyChanged || newRevision || !run.changes.isEmpty()) {
                String message = "Reconciliation finished in " + FluxDuration.format(took) + ", next run in " + FluxDuration.format(interval);
                LOG.infof("%s %s", key(k), message);
                Map<String, String> withCommitStatus = new LinkedHashMap<>(meta);
                withCommitStatus.put("commit_status", "update");
                events.normal(k, Reasons.RECONCILIATION_SUCCEEDED, message, withCommitStatus);
            }
        } else if (readyChanged) {
            String message = run.failure.getMessage();
            if (run.infoOnly) {
                String info = "Dependencies do not meet ready condition, retrying in " + FluxDuration.format(dependencyInterval());
                LOG.infof("%s %s: %s", key(k), info, message);
                events.normal(k, run.failure.reason(), info, meta);
            } else {
                LOG.warnf("%s reconciliation failed: %s", key(k), message);
                events.warning(k, run.failure.reason(), message, meta);
            }
        }
    }

    // --- deletion ---

    /** On deletion: delete (or orphan) the applied objects according to {@code spec.deletionPolicy}, then let go. */
    @Override
    public DeleteControl cleanup(Kustomization k, Context<Kustomization> context) {
        String key = key(k);
        requeue().forget(key);
        metrics.recordCondition(k, List.of(), Conditions.READY, true);
        KustomizationStatus status = k.getStatus();
        Inventory inventory = Inventory.from(status == null ? null : status.getInventory());
        if (Boolean.TRUE.equals(k.getSpec().getSuspend()) || inventory.isEmpty()) {
            return DeleteControl.defaultDelete();
        }
        DeletionPolicy policy = DeletionPolicy.orDefault(k.getSpec().getDeletionPolicy());
        boolean prune = Boolean.TRUE.equals(k.getSpec().getPrune());
        if (!policy.deletes(prune)) {
            return DeleteControl.defaultDelete();
        }
        Map<String, String> meta = status.getLastAppliedRevision() == null ? Map.of()
                : Map.of(FluxMeta.REVISION_METADATA_KEY, status.getLastAppliedRevision());
        if (!targets().canImpersonate(k)) {
            String message = "unable to prune objects: the service account to impersonate is gone: "
                    + inventory.refs().stream().map(ObjectRef::subject).collect(Collectors.joining(", "));
            LOG.warnf("%s %s", key, message);
            events.warning(k, Reasons.PRUNE_FAILED, message, meta);
            return DeleteControl.defaultDelete();
        }
        Duration timeout = FluxDuration.parseOr(k.getSpec().getTimeout(), FluxDuration.parseOr(k.getSpec().getInterval(), Duration.ofMinutes(5)));
        try (ApplyTargets.Target target = targets().forKustomization(k)) {
            Owner owner = Owner.kustomization(k.getMetadata().getName(), k.getMetadata().getNamespace());
            ChangeSet deleted = target.applier().finalizeInventory(inventory, owner, policy, prune, timeout);
            if (deleted.hasChanges()) {
                events.normal(k, Reasons.PROGRESSING, deleted.toString(), meta);
                LOG.infof("%s garbage collection on deletion: %s", key, deleted.toMap());
            }
            return DeleteControl.defaultDelete();
        } catch (ReconcileFailure | ApplyException | KubernetesClientException e) {
            String message = "pruning for deleted resource failed: " + describe(e);
            LOG.warnf("%s %s", key, message);
            events.warning(k, Reasons.PRUNE_FAILED, message, meta);
            if (policy == DeletionPolicy.WAIT_FOR_TERMINATION && e instanceof ApplyException ae && ae.getMessage().startsWith("timeout")) {
                // Flux gives up waiting after the timeout and lets the object go.
                return DeleteControl.defaultDelete();
            }
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(10));
        }
    }

    @PreDestroy
    void close() {
        if (targets != null) {
            targets.close();
        }
    }

    // --- helpers ---

    private Kustomization getKustomization(String namespace, String name) {
        try {
            return client.resources(Kustomization.class).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            return null;
        }
    }

    private boolean featureEnabled(String gate) {
        String gates = featureGates.orElse("");
        for (String pair : gates.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv[0].equals(gate)) {
                return kv.length == 1 || Boolean.parseBoolean(kv[1].trim());
            }
        }
        return false;
    }

    private Duration dependencyInterval() {
        return FluxDuration.parseOr(requeueDependency, Duration.ofSeconds(30));
    }

    private RequeuePolicy requeue() {
        if (requeue == null) {
            requeue = new RequeuePolicy(jitterPercentage, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
        return requeue;
    }

    private synchronized ApplyTargets targets() {
        if (targets == null) {
            targets = new ApplyTargets(client, defaultServiceAccount.orElse(""),
                    new KubeconfigPolicy(insecureKubeconfigExec, insecureKubeconfigTls));
        }
        return targets;
    }

    private synchronized ArtifactFetcher fetcher() {
        if (fetcher == null) {
            fetcher = new ArtifactFetcher(artifactFetchRetries, sizeOf(maxArtifactSize), System.getenv("SOURCE_CONTROLLER_LOCALHOST"));
        }
        return fetcher;
    }

    private synchronized ManifestBuilder builder() {
        if (builder == null) {
            long max = sizeOf(maxArtifactSize);
            builder = new ManifestBuilder(max <= 0 ? 64L * 1024 * 1024 : Math.min(max, 64L * 1024 * 1024),
                    noRemoteBases ? RemoteResources.disabled("remote bases are disabled on this controller (no-remote-bases=true)")
                            : RemoteResources.enabled());
        }
        return builder;
    }

    private static long sizeOf(String quantity) {
        return new Quantity(quantity).getNumericalAmount().longValue();
    }

    static String key(HasMetadata obj) {
        return KIND + "/" + obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
    }

    private static String stripLeadingSlash(String path) {
        if (path == null) {
            return "";
        }
        String p = path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    private static String displayPath(String path) {
        return path == null || path.isEmpty() ? "./" : path;
    }

    static String describe(Throwable e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }

    /** Writes the status only when it changed (server-side apply of status, no optimistic lock), and comes back after {@code next}. */
    private static UpdateControl<Kustomization> finish(Kustomization k, KustomizationStatus before, KustomizationStatus after, Duration next) {
        UpdateControl<Kustomization> control;
        if (Objects.equals(JSON.valueToTree(before), JSON.valueToTree(after))) {
            control = UpdateControl.noUpdate();
        } else {
            k.setStatus(after);
            k.getMetadata().setManagedFields(null);
            k.getMetadata().setResourceVersion(null);
            control = UpdateControl.patchStatus(k);
        }
        return next == null ? control : control.rescheduleAfter(next);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debugf("could not remove %s: %s", dir, e.getMessage());
        }
    }
}
