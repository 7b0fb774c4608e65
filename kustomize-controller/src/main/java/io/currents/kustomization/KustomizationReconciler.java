package io.currents.kustomization;

import io.currents.api.kustomize.v1.BlockedPrune;
import io.currents.api.kustomize.v1.Decryption;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.kustomize.v1.KustomizationSpec;
import io.currents.api.kustomize.v1.KustomizationStatus;
import io.currents.api.meta.FluxMeta;
import io.currents.api.source.extensions.v1beta1.ArtifactGenerator;
import io.currents.api.meta.NamespacedObjectKindReference;
import io.currents.api.meta.ResourceRef;
import io.currents.kustomize.RemoteResources;
import io.currents.runtime.apply.Action;
import io.currents.runtime.apply.ApplyException;
import io.currents.runtime.apply.ApplyOptions;
import io.currents.runtime.apply.ChangeSet;
import io.currents.runtime.apply.ChangeSetEntry;
import io.currents.runtime.apply.DeletionPolicy;
import io.currents.runtime.apply.IgnoreRules;
import io.currents.runtime.apply.Inventory;
import io.currents.runtime.apply.KubeconfigPolicy;
import io.currents.runtime.apply.ObjectRef;
import io.currents.runtime.apply.Owner;
import io.currents.runtime.artifact.ArtifactFetcher;
import io.currents.runtime.cel.CelException;
import io.currents.runtime.health.CustomHealthChecks;
import io.currents.runtime.health.HealthCheck;
import io.currents.runtime.manifests.KustomizationPath;
import io.currents.runtime.manifests.ManifestBuilder;
import io.currents.runtime.manifests.PostBuildVariables;
import io.currents.runtime.manifests.Reasons;
import io.currents.runtime.manifests.SopsDecryption;
import io.currents.runtime.net.InternalDestinations;
import io.currents.runtime.operator.ManagedFieldsFreeStore;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.DependencyKinds;
import io.currents.runtime.reconcile.ConfigDependencyWatch;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.reconcile.FluxReconciler;
import io.currents.runtime.reconcile.FluxUpdateFilter;
import io.currents.runtime.reconcile.Ready;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.Reconciliation;
import io.currents.runtime.reconcile.SourceWatch;
import io.currents.runtime.sops.SopsDecryptor;
import io.currents.runtime.identity.CloudIdentity;
import io.currents.runtime.sops.SopsException;
import io.currents.runtime.sops.SopsKeys;
import io.currents.runtime.sops.VaultKubernetesAuth;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reconciles a Kustomization: resolve the source and dependencies, download and verify the artifact, build
 * it with kustomize (spec overlays, SOPS, post-build substitution), server-side apply the result as the
 * right identity, record the inventory, prune what left it, wait for health, and report through
 * conditions, events and metrics. A failure before the apply never touches the cluster.
 */
@ControllerConfiguration(name = "kustomization", finalizerName = FluxMeta.FINALIZER,
        informer = @Informer(onUpdateFilter = FluxUpdateFilter.class, itemStore = ManagedFieldsFreeStore.class))
public class KustomizationReconciler extends FluxReconciler<Kustomization, KustomizationStatus> implements Cleaner<Kustomization> {

    static final String KIND = "Kustomization";
    static final String SOURCE_INDEX = "sourceRef";

    @ConfigProperty(name = "requeue-dependency", defaultValue = "30s")
    String requeueDependency;
    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;
    static final String CANCEL_HEALTH_CHECK_ON_NEW_REVISION = "CancelHealthCheckOnNewRevision";
    static final String OBJECT_LEVEL_WORKLOAD_IDENTITY = io.currents.runtime.apply.KubeconfigConfigMap.OBJECT_LEVEL_WORKLOAD_IDENTITY;

    @ConfigProperty(name = "no-remote-bases", defaultValue = "false")
    boolean noRemoteBases;
    /** Currents only: remote bases may not point at the API server, loopback or link-local addresses. */
    @ConfigProperty(name = "no-internal-destinations", defaultValue = "false")
    boolean noInternalDestinations;
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
    /** Flux's --concurrent: how many runs build and apply at once (runs waiting for health do not count). */
    @ConfigProperty(name = "concurrent", defaultValue = "4")
    int concurrent;
    private Semaphore workers;
    @ConfigProperty(name = "health-check-poll-interval", defaultValue = "2s")
    String healthCheckPollInterval;
    @ConfigProperty(name = ConfigDependencyWatch.SELECTOR_PROPERTY, defaultValue = ConfigDependencyWatch.DEFAULT_SELECTOR)
    String watchConfigsLabelSelector;
    /** Currents' default: a change to an unlabelled ConfigMap/Secret this controller reads reconciles its readers ("0s": off). */
    @ConfigProperty(name = ConfigDependencyWatch.REFERENCED_DEBOUNCE_PROPERTY, defaultValue = ConfigDependencyWatch.DEFAULT_REFERENCED_DEBOUNCE)
    String watchReferencedConfigsDebounce;
    @ConfigProperty(name = "feature-gates")
    Optional<String> featureGates;
    /** Flux's --sops-age-secret: a Secret of the controller's namespace whose *.agekey identities every decryption may use. */
    @ConfigProperty(name = "sops-age-secret")
    Optional<String> sopsAgeSecret;
    /** Flux's --sops-vault-configmap: the ConfigMap of Vault addresses and login paths for Vault Kubernetes auth. */
    @ConfigProperty(name = "sops-vault-configmap")
    Optional<String> sopsVaultConfigMap;
    @ConfigProperty(name = "runtime-namespace", defaultValue = "currents-system")
    String runtimeNamespace;
    /** The controller's own ServiceAccount ("namespace/name") for Vault Kubernetes auth; empty: read from the pod's token. */
    @ConfigProperty(name = "controller-service-account")
    Optional<String> controllerServiceAccount;
    /** Deletion guard defaults for the cluster (Currents extension); 0 means no limit. */
    @ConfigProperty(name = "prune-max-objects", defaultValue = "0")
    int pruneMaxObjects;
    @ConfigProperty(name = "prune-max-percent", defaultValue = "0")
    int pruneMaxPercent;
    @ConfigProperty(name = "prune-refuse-empty", defaultValue = "true")
    boolean pruneRefuseEmpty;

    private final Map<String, InformerEventSource<? extends HasMetadata, Kustomization>> sourceCaches = new HashMap<>();
    private volatile ApplyTargets targets;
    private volatile ArtifactFetcher fetcher;
    private volatile ManifestBuilder builder;

    // --- watches ---

    /**
     * Watches GitRepositories, OCIRepositories, Buckets (and ExternalArtifacts with that feature gate); a new artifact revision reconciles every
     * Kustomization that points at the source (found through an index on {@code spec.sourceRef}). Also watches
     * Kustomizations and HelmReleases: one becoming Ready reconciles its dependents at once ({@link DependencyKinds}).
     * Kustomization that points at the source (found through an index on {@code spec.sourceRef}). A ConfigMap or
     * Secret it reads ({@code postBuild.substituteFrom}, {@code decryption.secretRef}, {@code kubeConfig}) labelled
     * {@code reconcile.fluxcd.io/watch: Enabled} reconciles it when its data changes.
     */
    @Override
    public List<EventSource<?, Kustomization>> prepareEventSources(EventSourceContext<Kustomization> context) {
        IndexerResourceCache<Kustomization> primaries = context.getPrimaryCache();
        primaries.addIndexer(SOURCE_INDEX, k -> k.getSpec() == null || k.getSpec().getSourceRef() == null
                ? List.of() : List.of(SourceArtifacts.sourceKeyOf(k)));
        List<EventSource<?, Kustomization>> sources = new ArrayList<>();
        SourceArtifacts.kinds(featureEnabled(SourceArtifacts.EXTERNAL_ARTIFACT_GATE)).forEach((kind, type) -> {
            InformerEventSource<? extends HasMetadata, Kustomization> source
                    = SourceWatch.onNewArtifact(kind, type, Kustomization.class, SOURCE_INDEX, context);
            sourceCaches.put(kind, source);
            sources.add(source);
        });
        sources.addAll(DependencyKinds.wakeDependents(context, Kustomization.class, KIND,
                k -> k.getSpec() == null ? null : k.getSpec().getDependsOn(), client));
        sources.addAll(ConfigDependencyWatch.eventSources(Kustomization.class, context, watchConfigsLabelSelector,
                KustomizationReconciler::configDependencies,
                FluxDuration.parse(watchReferencedConfigsDebounce)));
        return sources;
    }

    /** The ConfigMaps and Secrets a Kustomization reads, as Flux's watch label covers them. */
    private static List<ConfigDependencyWatch.Reference> configDependencies(Kustomization k) {
        KustomizationSpec spec = k.getSpec();
        List<ConfigDependencyWatch.Reference> refs = new ArrayList<>();
        if (spec == null) {
            return refs;
        }
        if (spec.getPostBuild() != null && spec.getPostBuild().getSubstituteFrom() != null) {
            spec.getPostBuild().getSubstituteFrom().forEach(ref -> refs.add(new ConfigDependencyWatch.Reference(ref.getKind(), ref.getName())));
        }
        if (spec.getDecryption() != null && spec.getDecryption().getSecretRef() != null) {
            refs.add(new ConfigDependencyWatch.Reference("Secret", spec.getDecryption().getSecretRef().getName()));
        }
        if (spec.getKubeConfig() != null && spec.getKubeConfig().getSecretRef() != null) {
            refs.add(new ConfigDependencyWatch.Reference("Secret", spec.getKubeConfig().getSecretRef().getName()));
        }
        if (spec.getKubeConfig() != null && spec.getKubeConfig().getConfigMapRef() != null) {
            refs.add(new ConfigDependencyWatch.Reference("ConfigMap", spec.getKubeConfig().getConfigMapRef().getName()));
        }
        return refs;
    }

    // --- reconcile ---

    @Override
    protected KustomizationStatus newStatus() {
        return new KustomizationStatus();
    }

    /** Flux's {@code spec.retryInterval}: the cap of the backoff after any failure, the interval when unset. */
    @Override
    protected Duration retryInterval(Kustomization k) {
        return FluxDuration.parseOr(k.getSpec().getRetryInterval(), interval(k));
    }

    @Override
    protected String unexpectedFailureReason() {
        return Reasons.RECONCILIATION_FAILED;
    }

    @Override
    protected Ready steps(Reconciliation<Kustomization, KustomizationStatus> r) throws ReconcileFailure {
        Redaction redaction = new Redaction();
        // `concurrent` runs at once; a run waiting for health gives its turn back (checkHealth), so that Kustomizations
        // whose health never comes do not hold back the others (the threads are more than `concurrent`)
        workers().acquireUninterruptibly();
        try {
            return reconcileRevision(r, redaction);
        } catch (RuntimeException e) {
            log.errorf(e, "unexpected failure reconciling %s", r.key());
            throw new ReconcileFailure(Reasons.RECONCILIATION_FAILED, redaction.apply("reconciliation failed: " + describe(e)));
        } finally {
            workers().release();
        }
    }

    private synchronized Semaphore workers() {
        if (workers == null) {
            workers = new Semaphore(Math.max(1, concurrent), true);
        }
        return workers;
    }

    /** The numbered steps: source, dependencies, fetch, build, apply, prune, health. A failure before the apply changes nothing. */
    private Ready reconcileRevision(Reconciliation<Kustomization, KustomizationStatus> r, Redaction redaction) throws ReconcileFailure {
        Kustomization k = r.object();
        KustomizationSpec spec = k.getSpec();
        KustomizationStatus status = r.status();

        // 0. Expressions compile, or nothing is worth retrying.
        CustomHealthChecks customHealth;
        try {
            customHealth = CustomHealthChecks.of(spec.getHealthCheckExprs());
        } catch (CelException e) {
            throw ReconcileFailure.stalled(Reasons.INVALID_CEL_EXPRESSION, Reasons.TERMINAL_ERROR_MESSAGE + ": " + e.getMessage());
        }

        // As Flux: object-level workload identity needs the ObjectLevelWorkloadIdentity gate, off by default.
        if (spec.getDecryption() != null && spec.getDecryption().getServiceAccountName() != null
                && !spec.getDecryption().getServiceAccountName().isEmpty() && !featureEnabled(OBJECT_LEVEL_WORKLOAD_IDENTITY)) {
            throw ReconcileFailure.stalled(Reasons.FEATURE_GATE_DISABLED, "spec.decryption.serviceAccountName (object-level workload "
                    + "identity) requires the " + OBJECT_LEVEL_WORKLOAD_IDENTITY + " feature gate of the kustomize-controller");
        }

        // 1. Source and its artifact.
        SourceArtifacts.Source source = new SourceArtifacts(client, noCrossNamespaceRefs,
                featureEnabled(SourceArtifacts.EXTERNAL_ARTIFACT_GATE), sourceCaches).resolve(k);
        if (source.artifact() == null) {
            throw ReconcileFailure.retry(Reasons.ARTIFACT_FAILED, "Source artifact not found, retrying in "
                    + FluxDuration.format(dependencyInterval())).requeueAfter(dependencyInterval());
        }
        String revision = source.artifact().getRevision();
        r.revision(revision);

        // 2. Dependencies.
        try {
            new Dependencies(client).check(k, revision);
        } catch (ReconcileFailure f) {
            throw f.isStalled() ? f.requeueAfter(interval(k)) : f.requeueAfter(dependencyInterval())
                    .informational("Dependencies do not meet ready condition, retrying in " + FluxDuration.format(dependencyInterval()));
        }

        // A new revision or spec, or a failure to recover from, is announced while it is worked on: Reconciling=True is
        // written once at the start; the later steps' progress only replaces its message in memory, written with the
        // result or when a health check is waited for. A request to reconcile the same again writes its status once, at
        // the end; a periodic re-apply of the same writes nothing but what changed.
        boolean changing = !Objects.equals(revision, status.getLastAppliedRevision())
                || !Objects.equals(k.getMetadata().getGeneration(), r.before().getObservedGeneration())
                || !Conditions.isTrue(r.before().getConditions(), Conditions.READY);
        boolean newState = changing || r.requested();
        Duration timeout = FluxDuration.parseOr(spec.getTimeout(), interval(k));
        String forRevision = " for revision " + revision + " with a timeout of " + FluxDuration.format(timeout);
        if (changing) {
            r.progress(Reasons.PROGRESSING, "Fetching manifests" + forRevision);
        }

        // 3. Download, verify and unpack; find spec.path in it.
        Path root;
        try {
            root = Files.createDirectory(r.workDir("kustomization").resolve("source")).toRealPath();
            fetcher().fetch(source.artifact(), root);
        } catch (ArtifactFetcher.ArtifactNotFound e) {
            throw ReconcileFailure.retry(Reasons.ARTIFACT_FAILED, "Source is not ready, artifact not found, retrying in "
                    + FluxDuration.format(dependencyInterval())).requeueAfter(dependencyInterval());
        } catch (IOException e) {
            throw ReconcileFailure.retry(Reasons.ARTIFACT_FAILED, describe(e));
        }
        Path dir = KustomizationPath.resolve(root, spec.getPath(), revision);
        status.setLastAttemptedRevision(revision);

        // 4. Build: overlays, decryption, substitution.
        if (changing) {
            r.conditions().markReconciling(Reasons.PROGRESSING, "Building manifests" + forRevision);
        }
        // kustomize's notices (deprecated fields, ...) once per revision and spec, not on every periodic run
        boolean announceNotices = !Objects.equals(revision, r.before().getLastAttemptedRevision())
                || !Objects.equals(k.getMetadata().getGeneration(), r.before().getObservedGeneration());
        List<GenericKubernetesResource> objects = build(k, root, dir, redaction, notices -> {
            if (announceNotices) {
                events.warning(k, Reasons.BUILD_WARNING, redaction.apply("kustomize build notices:\n" + String.join("\n", notices)),
                        eventMetadata(r));
            }
        });
        String digest = ReconciliationHistory.digest(objects);
        String originRevision = source.artifact().getMetadata() == null ? null
                : source.artifact().getMetadata().get(ArtifactGenerator.ORIGIN_REVISION_ANNOTATION);
        Map<String, String> historyMetadata = originRevision == null || originRevision.isEmpty()
                ? Map.of("revision", revision) : Map.of("revision", revision, "originRevision", originRevision);
        Owner owner = Owner.kustomization(k.getMetadata().getName(), k.getMetadata().getNamespace());
        objects.forEach(owner::label);

        // 5. Apply, as the Kustomization's identity, staged and dry-run first.
        if (changing) {
            r.conditions().markReconciling(Reasons.PROGRESSING, "Detecting drift" + forRevision);
        }
        Inventory previous = Inventory.from(status.getInventory());
        List<String> changes = new ArrayList<>();
        try (ApplyTargets.Target target = targets().forKustomization(k)) {
            ApplyOptions options = ApplyOptions.kustomizeController(ApplyTargets.FIELD_MANAGER)
                    .withForce(Boolean.TRUE.equals(spec.getForce()))
                    .withWait(Duration.ofSeconds(1), timeout)
                    .withIgnoreRules(ignoreRules(spec));
            ChangeSet applied;
            try {
                applied = objects.isEmpty() ? new ChangeSet() : target.applier().applyAllStaged(objects, options);
            } catch (ApplyException | KubernetesClientException e) {
                throw new ReconcileFailure(Reasons.RECONCILIATION_FAILED, redaction.apply(describe(e)));
            }
            changes.addAll(changes(r, applied, "server-side apply completed"));
            Inventory current = Inventory.of(applied);
            status.setInventory(current.toResourceInventory());

            // 6. Prune what left the set (never after a failure above), unless the deletion guard refuses it.
            clearBlockedPrune(r);
            if (Boolean.TRUE.equals(spec.getPrune())) {
                Optional<BlockedPrune> blocked = deletionGuard().check(previous, current, revision, k.getMetadata().getAnnotations());
                if (blocked.isPresent()) {
                    keepInInventory(status, previous.diff(current));
                    status.setBlockedPrune(blocked.get());
                    announceChanges(k, changes, revision);
                    throw blockedPrune(r, blocked.get());
                }
                try {
                    ChangeSet pruned = target.applier().prune(previous, current, owner);
                    changes.addAll(changes(r, pruned, "garbage collection completed"));
                } catch (ApplyException | KubernetesClientException e) {
                    // Keep tracking what could not be deleted so the next run tries again.
                    keepInInventory(status, previous.diff(current));
                    announceChanges(k, changes, revision);
                    throw new ReconcileFailure(Reasons.PRUNE_FAILED, redaction.apply(describe(e)));
                }
            }
            announceChanges(k, changes, revision);

            // 7. Health.
            checkHealth(r, target, applied, timeout, newState, redaction, customHealth);
        } catch (ReconcileFailure failure) {
            status.setHistory(ReconciliationHistory.upsert(status.getHistory(), digest, Instant.now(), r.elapsed(),
                    failure.reason(), historyMetadata));
            throw failure;
        }
        status.setLastAppliedRevision(revision);
        status.setLastAppliedOriginRevision(originRevision == null || originRevision.isEmpty() ? null : originRevision);
        // A periodic run that found everything as it was (same revision, spec and build, nothing changed, already Ready)
        // is not counted in the history, so that it writes nothing (Flux counts it; see docs/performance.md).
        boolean quiet = !newState && changes.isEmpty() && status.getHistory() != null && !status.getHistory().isEmpty()
                && Objects.equals(status.getHistory().getFirst().getDigest(), digest)
                && Reasons.RECONCILIATION_SUCCEEDED.equals(status.getHistory().getFirst().getLastReconciledStatus());
        if (!quiet) {
            status.setHistory(ReconciliationHistory.upsert(status.getHistory(), digest, Instant.now(), r.elapsed(),
                    Reasons.RECONCILIATION_SUCCEEDED, historyMetadata));
        }

        String finished = "Reconciliation finished in " + FluxDuration.format(r.elapsed()) + ", next run in " + FluxDuration.format(interval(k));
        boolean newRevision = !Objects.equals(r.before().getLastAppliedRevision(), revision);
        if (newRevision || !changes.isEmpty() || !Conditions.isTrue(r.before().getConditions(), Conditions.READY)) {
            log.infof("%s %s", r.key(), finished);
        }
        return Ready.of(Reasons.RECONCILIATION_SUCCEEDED, "Applied revision: " + revision)
                .changed(newRevision || !changes.isEmpty())
                .announcedAs(Reasons.RECONCILIATION_SUCCEEDED, finished, Map.of("commit_status", "update"));
    }

    /** Keeps tracking objects that were not deleted, so the next run prunes (or guards) them again. */
    private static void keepInInventory(KustomizationStatus status, List<Inventory.Entry> kept) {
        List<ResourceRef> entries = new ArrayList<>(status.getInventory().getEntries());
        kept.forEach(e -> entries.add(new ResourceRef(e.id(), e.version())));
        status.getInventory().setEntries(entries);
    }

    /**
     * Forgets a prune blocked earlier. Removed with a merge patch: leaving the field out of the server-side apply of the
     * status makes Kubernetes 1.20 store a null there, which the schema then refuses.
     */
    private void clearBlockedPrune(Reconciliation<Kustomization, KustomizationStatus> r) {
        r.status().setBlockedPrune(null);
        if (r.before().getBlockedPrune() == null) {
            return;
        }
        Kustomization k = r.object();
        client.resources(Kustomization.class).inNamespace(k.getMetadata().getNamespace()).withName(k.getMetadata().getName())
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"blockedPrune\":null}}");
    }

    /**
     * Ready=False with PruneBlocked and a Warning event naming the objects; no retry before the next interval, since only
     * an approval, a new revision or a spec change (each of which triggers a reconcile) can change the outcome.
     */
    private ReconcileFailure blockedPrune(Reconciliation<Kustomization, KustomizationStatus> r, BlockedPrune blocked) {
        BlockedPrune before = r.before().getBlockedPrune();
        if (before == null || !Objects.equals(before.getRevision(), blocked.getRevision())
                || !Objects.equals(before.getEntries().size(), blocked.getEntries().size())) {
            List<String> subjects = blocked.getEntries().stream().map(e -> ObjectRef.parse(e.getId()).subject()).toList();
            String listed = String.join("\n", subjects.subList(0, Math.min(subjects.size(), 50)))
                    + (subjects.size() > 50 ? "\n... and " + (subjects.size() - 50) + " more (status.blockedPrune)" : "");
            events.warning(r.object(), DeletionGuard.PRUNE_BLOCKED, blocked.getMessage() + "\n" + listed,
                    Map.of(FluxMeta.REVISION_METADATA_KEY, blocked.getRevision()));
            log.warnf("%s %s", r.key(), blocked.getMessage());
        }
        return new ReconcileFailure(DeletionGuard.PRUNE_BLOCKED, blocked.getMessage()).reported().requeueAfter(interval(r.object()));
    }

    /** Overlays, decryption and post-build substitution; the objects labelled as this Kustomization's. */
    private List<GenericKubernetesResource> build(Kustomization k, Path root, Path dir, Redaction redaction,
                                                  Consumer<List<String>> notices) throws ReconcileFailure {
        KustomizationSpec spec = k.getSpec();
        SopsDecryption decryption = spec.getDecryption() == null ? null : decryption(k, spec.getDecryption());
        PostBuildVariables variables = spec.getPostBuild() == null ? null
                : PostBuildVariables.load(client, k.getMetadata().getNamespace(), spec.getPostBuild());
        if (variables != null) {
            redaction.addAll(variables.secretValues());
        }
        List<GenericKubernetesResource> objects;
        try {
            objects = builder().build(root, dir, spec, decryption, variables, featureEnabled("StrictPostBuildSubstitutions"),
                    notices);
        } catch (ReconcileFailure f) {
            throw f.withMessage(redaction.apply(f.getMessage()));
        }
        for (GenericKubernetesResource object : objects) {
            if (SopsDecryptor.isEncrypted(object.getAdditionalProperties()) && spec.getDecryption() == null
                    && !SopsDecryption.isDisabled(object.getMetadata().getAnnotations())) {
                throw new ReconcileFailure(Reasons.RECONCILIATION_FAILED, ObjectRef.of(object).subject()
                        + " is SOPS encrypted, configuring decryption is required for this secret to be reconciled");
            }
            redaction.addSecret(object);
        }
        return objects;
    }

    private void checkHealth(Reconciliation<Kustomization, KustomizationStatus> r, ApplyTargets.Target target, ChangeSet applied,
                             Duration timeout, boolean newState, Redaction redaction, CustomHealthChecks custom) throws ReconcileFailure {
        Kustomization k = r.object();
        KustomizationSpec spec = k.getSpec();
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
                String namespace = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? k.getMetadata().getNamespace() : ref.getNamespace();
                toCheck.add(stub(ref.getApiVersion(), ref.getKind(), namespace, ref.getName()));
            }
        }
        // Never wait on ourselves.
        toCheck.removeIf(o -> KIND.equals(o.getKind()) && k.getMetadata().getName().equals(o.getMetadata().getName())
                && k.getMetadata().getNamespace().equals(o.getMetadata().getNamespace()));
        if (toCheck.isEmpty()) {
            r.conditions().delete(Conditions.HEALTHY);
            return;
        }
        boolean wasHealthy = Conditions.isTrue(r.status().getConditions(), Conditions.HEALTHY);
        if (newState || !wasHealthy) {
            String message = "Running health checks for revision " + r.revision() + " with a timeout of " + FluxDuration.format(timeout);
            r.conditions().markUnknown(Conditions.HEALTHY, Reasons.PROGRESSING, message);
            r.progress(Reasons.PROGRESSING, message);
        }
        long started = System.nanoTime();
        String[] newRevision = new String[1];
        HealthCheck.Report report;
        workers().release();
        try {
            report = new HealthCheck(target.client(), custom).waitFor(toCheck,
                    FluxDuration.parseOr(healthCheckPollInterval, Duration.ofSeconds(2)), timeout, () -> {
                        newRevision[0] = cancelHealthCheckOnNewRevision() ? newSourceRevision(k, r.revision()) : null;
                        return newRevision[0] == null ? null : "health check canceled: the source has a new revision " + newRevision[0];
                    });
        } finally {
            workers().acquireUninterruptibly();
        }
        if (newRevision[0] != null) {
            // Flux's CancelHealthCheckOnNewRevision: stop waiting on the old revision and reconcile the new one right away
            String message = redaction.apply(report.message());
            r.conditions().markFalse(Conditions.HEALTHY, Reasons.HEALTH_CHECK_FAILED, message);
            throw ReconcileFailure.retry(Reasons.HEALTH_CHECK_FAILED, message).requeueAfter(Duration.ofMillis(1));
        }
        if (!report.healthy()) {
            String message = redaction.apply(report.message());
            r.conditions().markFalse(Conditions.HEALTHY, Reasons.HEALTH_CHECK_FAILED, message);
            throw new ReconcileFailure(Reasons.HEALTH_CHECK_FAILED, "health check failed after "
                    + FluxDuration.format(Duration.ofNanos(System.nanoTime() - started)) + ": " + message);
        }
        String message = "Health check passed in " + FluxDuration.format(Duration.ofNanos(System.nanoTime() - started));
        if (wasHealthy && !newState) {
            // a periodic run keeps the message it found, so that it has nothing to write
            return;
        }
        r.conditions().markTrue(Conditions.HEALTHY, Reasons.SUCCEEDED, message);
        if (!wasHealthy) {
            events.normal(k, Reasons.PROGRESSING, message, eventMetadata(r));
        }
    }

    /** {@code spec.ignore}: fields left out of drift detection and correction, as Flux resolves them. */
    private static IgnoreRules ignoreRules(KustomizationSpec spec) {
        if (spec.getIgnore() == null || spec.getIgnore().isEmpty()) {
            return IgnoreRules.none();
        }
        return IgnoreRules.of(spec.getIgnore().stream().map(rule -> new IgnoreRules.Rule(rule.getPaths(), rule.getTarget())).toList());
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
        addGlobalDecryption(k, decryption, keys);
        return new SopsDecryption(keys);
    }

    /**
     * The controller's global decryption settings, as Flux falls back to them: the identities of the --sops-age-secret,
     * Vault Kubernetes auth with --sops-vault-configmap (for the decryption ServiceAccount, or the controller's own), and
     * the VAULT_TOKEN environment variable. With an object-level ServiceAccount, cloud KMS calls without credentials in
     * the Secret use that account's cloud identity, never the controller's own.
     */
    private void addGlobalDecryption(Kustomization k, Decryption decryption, SopsKeys keys) throws ReconcileFailure {
        if (sopsAgeSecret.isPresent() && !sopsAgeSecret.get().isBlank()) {
            String ref = runtimeNamespace + "/" + sopsAgeSecret.get();
            Secret global;
            try {
                global = client.secrets().inNamespace(runtimeNamespace).withName(sopsAgeSecret.get()).get();
            } catch (KubernetesClientException e) {
                throw new ReconcileFailure(Reasons.DECRYPTION_FAILED, "cannot get the global SOPS age Secret '" + ref + "': " + e.getMessage());
            }
            if (global == null) {
                throw new ReconcileFailure(Reasons.DECRYPTION_FAILED, "cannot get the global SOPS age Secret '" + ref + "': not found");
            }
            try {
                for (Map.Entry<String, String> entry : (global.getData() == null ? Map.<String, String>of() : global.getData()).entrySet()) {
                    if (entry.getKey().endsWith(".agekey")) {
                        keys.addAgeIdentities(new String(Base64.getDecoder().decode(entry.getValue()), StandardCharsets.UTF_8));
                    }
                }
            } catch (SopsException e) {
                throw new ReconcileFailure(Reasons.DECRYPTION_FAILED, "failed to import keys from the global SOPS age Secret '"
                        + ref + "': " + e.getMessage());
            }
        }
        String objectAccount = decryption.getServiceAccountName() == null || decryption.getServiceAccountName().isBlank()
                ? null : decryption.getServiceAccountName();
        if (objectAccount != null) {
            // object-level workload identity: the account's token is exchanged for its own cloud credentials
            keys.cloudIdentity(CloudIdentity.serviceAccount(client, k.getMetadata().getNamespace(), objectAccount));
        }
        if (sopsVaultConfigMap.isPresent() && !sopsVaultConfigMap.get().isBlank()) {
            String[] account = objectAccount != null ? new String[]{k.getMetadata().getNamespace(), objectAccount} : controllerAccount();
            keys.vaultLogin(new VaultKubernetesAuth(client, runtimeNamespace, sopsVaultConfigMap.get(),
                    account == null ? null : account[0], account == null ? null : account[1]));
        }
        keys.fallbackVaultToken(System.getenv("VAULT_TOKEN"));
    }

    /** The controller's own ServiceAccount: the setting, else the subject of the pod's service account token. */
    private String[] controllerAccount() {
        if (controllerServiceAccount.isPresent() && controllerServiceAccount.get().contains("/")) {
            return controllerServiceAccount.get().split("/", 2);
        }
        try {
            return VaultKubernetesAuth.serviceAccountOf(java.nio.file.Files.readString(
                    java.nio.file.Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The created, configured and deleted objects of a change set, logged. */
    private List<String> changes(Reconciliation<Kustomization, KustomizationStatus> r, ChangeSet changeSet, String what) {
        List<String> lines = changeSet.entries().stream()
                .filter(e -> e.action() == Action.CREATED || e.action() == Action.CONFIGURED || e.action() == Action.DELETED)
                .map(ChangeSetEntry::toString).toList();
        if (!lines.isEmpty()) {
            log.infof("%s %s: %s (revision %s)", r.key(), what, changeSet.toMap(), r.revision());
        }
        return lines;
    }

    /** Flux's Progressing event listing what the apply and prune changed. */
    private void announceChanges(Kustomization k, List<String> changes, String revision) {
        if (!changes.isEmpty()) {
            events.normal(k, Reasons.PROGRESSING, String.join("\n", changes), Map.of(FluxMeta.REVISION_METADATA_KEY, revision));
        }
    }

    // --- deletion ---

    /** On deletion: delete (or orphan) the applied objects according to {@code spec.deletionPolicy}, then let go. */
    @Override
    public DeleteControl cleanup(Kustomization k, Context<Kustomization> context) {
        String key = key(k);
        forget(k);
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
        Optional<String> missing = targets().missingIdentity(k);
        if (missing.isPresent()) {
            String gone = k.getSpec().getKubeConfig() == null ? "the service account to impersonate is gone" : missing.get();
            String message = "unable to prune objects: " + gone + ": "
                    + inventory.refs().stream().map(ObjectRef::subject).collect(Collectors.joining(", "));
            log.warnf("%s %s", key, message);
            events.warning(k, Reasons.PRUNE_FAILED, message, meta);
            return DeleteControl.defaultDelete();
        }
        Duration timeout = FluxDuration.parseOr(k.getSpec().getTimeout(), interval(k));
        try (ApplyTargets.Target target = targets().forKustomization(k)) {
            Owner owner = Owner.kustomization(k.getMetadata().getName(), k.getMetadata().getNamespace());
            ChangeSet deleted = target.applier().finalizeInventory(inventory, owner, policy, prune, timeout);
            if (deleted.hasChanges()) {
                events.normal(k, Reasons.PROGRESSING, deleted.toString(), meta);
                log.infof("%s garbage collection on deletion: %s", key, deleted.toMap());
            }
            return DeleteControl.defaultDelete();
        } catch (ReconcileFailure | ApplyException | KubernetesClientException e) {
            String message = "pruning for deleted resource failed: " + describe(e);
            log.warnf("%s %s", key, message);
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

    /** Flux's CancelHealthCheckOnNewRevision feature gate, on unless {@code feature-gates} sets it to false. */
    private boolean cancelHealthCheckOnNewRevision() {
        return featureGates.orElse("").replace(" ", "").contains(CANCEL_HEALTH_CHECK_ON_NEW_REVISION + "=")
                ? featureEnabled(CANCEL_HEALTH_CHECK_ON_NEW_REVISION) : true;
    }

    /** The source's artifact revision when it differs from {@code revision} (read from the informer's cache), else null. */
    private String newSourceRevision(Kustomization k, String revision) {
        try {
            SourceArtifacts.Source source = new SourceArtifacts(client, noCrossNamespaceRefs,
                    featureEnabled(SourceArtifacts.EXTERNAL_ARTIFACT_GATE), sourceCaches).resolve(k);
            String current = source.artifact() == null ? null : source.artifact().getRevision();
            return current == null || current.equals(revision) ? null : current;
        } catch (ReconcileFailure | RuntimeException e) {
            // the source went away or cannot be read: the health check goes on, the next run reports it
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

    private DeletionGuard deletionGuard() {
        return new DeletionGuard(new DeletionGuard.Limits(pruneMaxObjects, pruneMaxPercent, pruneRefuseEmpty));
    }

    private Duration dependencyInterval() {
        return FluxDuration.parseOr(requeueDependency, Duration.ofSeconds(30));
    }

    private synchronized ApplyTargets targets() {
        if (targets == null) {
            targets = new ApplyTargets(client, defaultServiceAccount.orElse(""),
                    new KubeconfigPolicy(insecureKubeconfigExec, insecureKubeconfigTls), featureEnabled(OBJECT_LEVEL_WORKLOAD_IDENTITY));
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
            RemoteResources remote = noRemoteBases
                    ? RemoteResources.disabled("remote bases are disabled on this controller (no-remote-bases=true)")
                    : RemoteResources.enabled();
            if (noInternalDestinations) {
                remote = remote.withDestinationCheck(InternalDestinations.forApiServer(client.getMasterUrl().toString())
                        .andThen(why -> why == null ? null : why + " (no-internal-destinations=true)"));
            }
            builder = new ManifestBuilder(max <= 0 ? 64L * 1024 * 1024 : Math.min(max, 64L * 1024 * 1024), remote);
        }
        return builder;
    }

    private static long sizeOf(String quantity) {
        return new Quantity(quantity).getNumericalAmount().longValue();
    }
}
