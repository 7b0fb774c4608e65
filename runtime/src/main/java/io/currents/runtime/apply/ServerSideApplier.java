package io.currents.runtime.apply;

import io.currents.runtime.health.HealthCheck;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The server-side apply engine of kustomize-controller (after fluxcd/pkg ssa): dry-runs each object,
 * compares the result with the live object and applies only what drifted, in stages so that CRDs and
 * Namespaces exist before what needs them; recreates objects whose immutable fields changed when forced;
 * deletes (prunes) objects that left the set.
 */
public final class ServerSideApplier {

    private static final Pattern IMMUTABLE = Pattern.compile("(?s).*(is\\simmutable|immutable\\sfield|field is immutable).*");
    private static final List<String> IGNORED_METADATA = List.of(
            "managedFields", "resourceVersion", "generation", "creationTimestamp", "uid", "selfLink");

    private final KubernetesClient client;
    private final String fieldManager;
    /** How many requests of one set are in flight at once (see {@link #withParallelRequests}). */
    private volatile int parallelRequests = 1;
    private final Map<String, ResourceDefinitionContext> definitions = new ConcurrentHashMap<>();
    private volatile VersionInfo serverVersion;

    /**
     * @param client       the client to apply with (possibly impersonating, see {@link ClusterAccess})
     * @param fieldManager the SSA field manager name, {@code kustomize-controller} for Kustomizations
     */
    public ServerSideApplier(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.fieldManager = fieldManager;
    }

    public String fieldManager() {
        return fieldManager;
    }

    /**
     * Applies a whole set in Flux's stages: cluster definitions (CRDs, Namespaces, ClusterRoles) first, then
     * waits for them to be ready; then {@code *Class} kinds; then everything else.
     */
    public ChangeSet applyAllStaged(Collection<? extends HasMetadata> objects, ApplyOptions options) {
        List<HasMetadata> definitions = new ArrayList<>();
        List<HasMetadata> classes = new ArrayList<>();
        List<HasMetadata> rest = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (ApplyOrder.isClusterDefinition(object)) {
                definitions.add(object);
            } else if (ApplyOrder.isClassDefinition(object)) {
                classes.add(object);
            } else {
                rest.add(object);
            }
        }
        ChangeSet changeSet = new ChangeSet();
        if (!definitions.isEmpty()) {
            changeSet.append(applyAll(definitions, options));
            HealthCheck.Report report = new HealthCheck(client).waitFor(definitions, options.waitInterval(), options.waitTimeout());
            if (!report.healthy()) {
                throw new ApplyException(null, report.message(), null);
            }
        }
        if (!classes.isEmpty()) {
            changeSet.append(applyAll(classes, options));
        }
        if (!rest.isEmpty()) {
            changeSet.append(applyAll(rest, options));
        }
        return changeSet;
    }

    /**
     * Dry-runs every object first (so a bad object fails the set before anything changes), then applies
     * those that are new or drifted. The change set lists objects in apply order.
     *
     * <p>With {@link #withParallelRequests} the round trips of one set overlap, that many at a time: the reads and dry-runs of
     * all objects (none changes the cluster, so their order does not matter), then the applies of each group of
     * objects of the same rank in {@link ApplyOrder} (a RoleBinding is still applied after its Role, a Deployment after
     * its ServiceAccount). A failure is reported for the first failing object in apply order, as one at a time would.
     */
    public ChangeSet applyAll(Collection<? extends HasMetadata> objects, ApplyOptions options) {
        List<HasMetadata> sorted = new ArrayList<>(objects);
        sorted.sort(ApplyOrder.OBJECTS);
        List<Planned> plans = new ArrayList<>(inParallel(sorted, parallelRequests, object -> plan(Unstructured.copy(object), options, false)));
        // Recreating (forced, immutable field changed) deletes an object: only once every other object passed its dry-run.
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i).action == null) {
                plans.set(i, plan(plans.get(i).object, options, true));
            }
        }
        int from = 0;
        while (from < plans.size()) {
            int to = from + 1;
            while (to < plans.size() && ApplyOrder.sameRank(plans.get(from).object, plans.get(to).object)) {
                to++;
            }
            inParallel(plans.subList(from, to), parallelRequests, plan -> {
                if (plan.action == Action.CREATED || plan.action == Action.CONFIGURED) {
                    apply(plan.object, false);
                }
                return plan;
            });
            from = to;
        }
        ChangeSet changeSet = new ChangeSet();
        for (Planned plan : plans) {
            changeSet.add(entry(plan.object, plan.action));
        }
        return changeSet;
    }

    /** What kustomize-controller uses: the round trips of one set overlap four at a time. */
    public static final int PARALLEL_REQUESTS = 4;

    /**
     * Lets the round trips of one set overlap, {@code requests} at a time (1, the default: one after the other). Only
     * for clients whose completions do not depend on the JVM's common pool: with fabric8's JDK HTTP client (the CLI)
     * the overlapping requests of an install stopped getting answers on a 2-core machine, so the CLI keeps one at a
     * time; the controllers' Vert.x client is measured and tested with {@link #PARALLEL_REQUESTS}.
     */
    public ServerSideApplier withParallelRequests(int requests) {
        this.parallelRequests = Math.max(1, requests);
        return this;
    }

    /**
     * {@code work} on each item, up to {@code parallel} at once on virtual threads (one after the other with 1); the results in the items'
     * order, or the exception of the first item (in that order) that failed, once all have finished.
     */
    private static <T, R> List<R> inParallel(List<T> items, int parallel, java.util.function.Function<T, R> work) {
        if (parallel <= 1 || items.size() == 1) {
            List<R> results = new ArrayList<>();
            for (T item : items) {
                results.add(work.apply(item));
            }
            return results;
        }
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(parallel);
        List<java.util.concurrent.Future<R>> futures = new ArrayList<>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                futures.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return work.apply(item);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<R> results = new ArrayList<>();
        for (java.util.concurrent.Future<R> future : futures) {
            try {
                results.add(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new ApplyException(null, String.valueOf(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplyException(null, "interrupted", e);
            }
        }
        return results;
    }

    /** Applies one object if it is new or drifted. */
    public ChangeSetEntry apply(HasMetadata object, ApplyOptions options) {
        Planned plan = plan(Unstructured.copy(object), options, true);
        if (plan.action == Action.CREATED || plan.action == Action.CONFIGURED) {
            apply(plan.object, false);
        }
        return entry(plan.object, plan.action);
    }

    /** What an apply will do; a null action: recreate first (see {@code mayRecreate} of {@link #plan}). */
    private record Planned(GenericKubernetesResource object, Action action) {
    }

    /**
     * What applying one object would do, found without changing anything: the live object (null when absent),
     * the server's dry-run result (null when skipped) and the action an apply would take. Used by
     * {@code currents diff}; unlike {@link #apply} it never cleans up field managers of the live object.
     */
    public record DryRun(ObjectRef ref, GenericKubernetesResource live, GenericKubernetesResource merged, Action action) {
    }

    /** Dry-runs one object with this applier's field manager and compares the result with the live object. */
    public DryRun dryRun(HasMetadata object, ApplyOptions options) {
        GenericKubernetesResource desired = Unstructured.copy(object);
        CrdCompatibility.adapt(desired, serverVersion());
        ObjectRef ref = ObjectRef.of(desired);
        ResourceDefinitionContext definition = definition(desired.getApiVersion(), desired.getKind(), ref);
        normalizeNamespace(desired, definition, ref);
        GenericKubernetesResource existing = get(definition, ref);
        if (FluxMetadata.anyInMetadata(desired, options.exclusionSelector())
                || FluxMetadata.anyInMetadata(existing, options.exclusionSelector())
                || (existing != null && FluxMetadata.anyInMetadata(desired, options.ifNotPresentSelector()))) {
            return new DryRun(ref, existing, null, Action.SKIPPED);
        }
        GenericKubernetesResource merged;
        try {
            merged = apply(desired, true);
        } catch (KubernetesClientException e) {
            throw dryRunError(ref, e);
        }
        Snapshot snapshot = consistent(definition, ref, desired, existing, merged);
        existing = snapshot.live();
        merged = snapshot.merged();
        List<String> ignored = existing == null ? List.of() : options.ignoreRules().pathsFor(merged);
        Action action = existing == null ? Action.CREATED : hasDrifted(existing, merged, ignored) ? Action.CONFIGURED : Action.UNCHANGED;
        return new DryRun(ref, existing, merged, action);
    }


    /**
     * @param mayRecreate whether an object whose immutable fields changed is deleted now when forced; when false, such a
     *                    plan has a null action and is planned again with true
     */
    private Planned plan(GenericKubernetesResource desired, ApplyOptions options, boolean mayRecreate) {
        CrdCompatibility.adapt(desired, serverVersion());
        ObjectRef ref = ObjectRef.of(desired);
        ResourceDefinitionContext definition = definition(desired.getApiVersion(), desired.getKind(), ref);
        normalizeNamespace(desired, definition, ref);
        if (FluxMetadata.anyInMetadata(desired, options.exclusionSelector())) {
            return new Planned(desired, Action.SKIPPED);
        }
        // The dry-run comes first: when it creates, the server answers without a resourceVersion, so the object does not
        // exist and there is no live object to read, compare or clean up (one round trip less per new object). When it
        // fails, the live object decides below whether the failure stands, the object is skipped or recreated.
        GenericKubernetesResource dryRun = null;
        KubernetesClientException dryRunFailure = null;
        if (!FluxMetadata.anyInMetadata(desired, options.ifNotPresentSelector())) {
            try {
                dryRun = apply(desired, true);
            } catch (KubernetesClientException e) {
                dryRunFailure = e;
            }
            if (dryRun != null && isNew(dryRun)) {
                return new Planned(desired, Action.CREATED);
            }
        }
        GenericKubernetesResource existing = get(definition, ref);
        if (FluxMetadata.anyInMetadata(existing, options.exclusionSelector())) {
            return new Planned(desired, Action.SKIPPED);
        }
        if (existing != null && FluxMetadata.anyInMetadata(desired, options.ifNotPresentSelector())) {
            return new Planned(desired, Action.SKIPPED);
        }

        if (dryRun == null) {
            try {
                if (dryRunFailure != null) {
                    throw dryRunFailure;
                }
                dryRun = apply(desired, true);
            } catch (KubernetesClientException e) {
                if (existing == null || !isImmutableError(e) || !shouldForce(desired, existing, options)) {
                    throw dryRunError(ref, e);
                }
                if (!mayRecreate) {
                    return new Planned(desired, null);
                }
                recreate(definition, ref, options);
                existing = null;
                try {
                    dryRun = apply(desired, true);
                } catch (KubernetesClientException again) {
                    throw dryRunError(ref, again);
                }
            }
        }

        if (existing == null) {
            return new Planned(desired, Action.CREATED);
        }
        // Compare only what the same version answered (see consistent).
        Snapshot snapshot = consistent(definition, ref, desired, existing, dryRun);
        existing = snapshot.live();
        dryRun = snapshot.merged();
        if (existing == null) {
            return new Planned(desired, Action.CREATED);
        }
        boolean cleaned = cleanup(definition, ref, desired, existing, options.cleanup());
        List<String> ignored = options.ignoreRules().pathsFor(dryRun);
        if (cleaned || hasDrifted(existing, dryRun, ignored)) {
            return new Planned(ignored.isEmpty() ? desired : keepIgnored(desired, existing, dryRun, ignored), Action.CONFIGURED);
        }
        return new Planned(desired, Action.UNCHANGED);
    }

    /** Reads of the live object and dry-runs repeated until both answer for the same resourceVersion. */
    private static final int MAX_SNAPSHOT_ATTEMPTS = 3;

    /** A read of the live object (null: absent) and a dry-run of the desired one that describe the same version. */
    private record Snapshot(GenericKubernetesResource live, GenericKubernetesResource merged) {
    }

    /**
     * The read and the dry-run are two requests: another writer (the Deployment controller's revision annotation on a
     * Deployment just created, an HPA, a hand edit, a delete) can change the object between them, and a comparison of
     * two different versions reports a drift, or a create, that is not there. Both are repeated, up to
     * {@link #MAX_SNAPSHOT_ATTEMPTS} times, until they agree; after that the last pair is used as it is.
     */
    private Snapshot consistent(ResourceDefinitionContext definition, ObjectRef ref, GenericKubernetesResource desired,
                                GenericKubernetesResource live, GenericKubernetesResource merged) {
        for (int attempt = 0; attempt < MAX_SNAPSHOT_ATTEMPTS && !agree(live, merged); attempt++) {
            live = get(definition, ref);
            try {
                merged = apply(desired, true);
            } catch (KubernetesClientException e) {
                throw dryRunError(ref, e);
            }
        }
        return new Snapshot(live, merged);
    }

    /** Whether a read and a dry-run describe the same object: both absent, or the same resourceVersion. */
    static boolean agree(HasMetadata live, GenericKubernetesResource merged) {
        return live == null ? isNew(merged) : !isNew(merged) && sameVersion(live, merged);
    }

    /**
     * Whether the dry-run was computed on the version of the object that was read: a dry-run is not stored, so the
     * server answers with the resourceVersion of the object it merged into.
     */
    static boolean sameVersion(HasMetadata existing, HasMetadata dryRun) {
        String live = existing.getMetadata() == null ? null : existing.getMetadata().getResourceVersion();
        String merged = dryRun.getMetadata() == null ? null : dryRun.getMetadata().getResourceVersion();
        return live == null || merged == null || live.equals(merged);
    }

    /** A dry-run result for an object the apply would create: the server stored nothing, so it has no resourceVersion. */
    private static boolean isNew(GenericKubernetesResource dryRun) {
        String version = dryRun.getMetadata() == null ? null : dryRun.getMetadata().getResourceVersion();
        return version == null || version.isEmpty();
    }

    /**
     * The object to apply when some of its fields are ignored and differ in the cluster, as Flux resolves them:
     * a field another Apply manager owns is left out (so it keeps it); a field only we applied keeps its live value
     * (adopted, so that a change made with kubectl edit or an Update is not reverted, and we keep ownership).
     */
    private GenericKubernetesResource keepIgnored(GenericKubernetesResource desired, GenericKubernetesResource existing,
                                                  GenericKubernetesResource dryRun, List<String> ignored) {
        Map<String, Object> payload = Unstructured.toMap(desired);
        Map<String, Object> live = Unstructured.toMap(existing);
        Map<String, Object> merged = Unstructured.toMap(dryRun);
        for (String path : ignored) {
            JsonPointers.Found was = JsonPointers.get(live, path);
            JsonPointers.Found would = JsonPointers.get(merged, path);
            if (was.present() == would.present() && Objects.equals(was.value(), would.value())) {
                continue;
            }
            if (!was.present() || FieldOwnership.ownedByAnotherApplyManager(live, path, fieldManager)) {
                JsonPointers.remove(payload, path);
            } else {
                JsonPointers.set(payload, path, was.value());
            }
        }
        return Unstructured.fromMap(payload);
    }

    private GenericKubernetesResource apply(GenericKubernetesResource object, boolean dryRun) {
        ObjectRef ref = ObjectRef.of(object);
        Resource<GenericKubernetesResource> resource = resource(definition(object.getApiVersion(), object.getKind(), ref), object);
        try {
            var writable = dryRun ? resource.dryRun() : resource;
            return writable.fieldManager(fieldManager).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            if (dryRun) {
                throw e;
            }
            throw new ApplyException(ref, ref.subject() + " apply failed: " + reason(e), e);
        }
    }

    private boolean shouldForce(HasMetadata desired, HasMetadata existing, ApplyOptions options) {
        return options.force()
                || FluxMetadata.anyInMetadata(desired, options.forceSelector())
                || FluxMetadata.anyInMetadata(existing, options.forceSelector());
    }

    /** Like kubectl and Flux: Invalid and Conflict answers to an apply are treated as immutable-field changes. */
    private static boolean isImmutableError(KubernetesClientException e) {
        return e.getCode() == 422 || e.getCode() == 409 || IMMUTABLE.matcher(String.valueOf(e.getMessage())).matches();
    }

    private void recreate(ResourceDefinitionContext definition, ObjectRef ref, ApplyOptions options) {
        try {
            handle(definition, ref).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw new ApplyException(ref, ref.subject() + " immutable field detected, failed to delete object: " + reason(e), e);
            }
        }
        // Finalizers may keep the object around for a while; applying before it is gone would fail again.
        long deadline = System.nanoTime() + options.waitTimeout().toNanos();
        while (get(definition, ref) != null) {
            if (System.nanoTime() > deadline) {
                throw new ApplyException(ref, ref.subject()
                        + " immutable field detected, timeout waiting for the object to be deleted", null);
            }
            sleep(Duration.ofMillis(Math.min(500, options.waitInterval().toMillis())));
        }
    }

    private ApplyException dryRunError(ObjectRef ref, KubernetesClientException e) {
        if (e.getCode() == 404 && !ref.namespace().isEmpty()) {
            return new ApplyException(ref, ref.subject() + " namespace not specified: " + reason(e), e);
        }
        String statusReason = e.getStatus() != null ? e.getStatus().getReason() : null;
        String message = reason(e);
        if (e.getCode() == 422 && IMMUTABLE.matcher(message).matches()) {
            List<String> fields = new ArrayList<>();
            if (e.getStatus() != null && e.getStatus().getDetails() != null && e.getStatus().getDetails().getCauses() != null) {
                for (StatusCause cause : e.getStatus().getDetails().getCauses()) {
                    if (cause.getField() != null && IMMUTABLE.matcher(String.valueOf(cause.getMessage())).matches()) {
                        fields.add(cause.getField());
                    }
                }
            }
            return new ApplyException(ref, ref.subject() + " dry-run failed (" + statusReason + "): immutable field"
                    + (fields.size() == 1 ? " " : "s ") + String.join(", ", fields)
                    + " changed; recreate the object by enabling force or annotating it with "
                    + FluxMetadata.FORCE + ": " + FluxMetadata.ENABLED, e);
        }
        if ("Invalid".equals(statusReason) || statusReason == null || statusReason.isEmpty()) {
            return new ApplyException(ref, ref.subject() + " dry-run failed (" + (statusReason == null ? "Unknown" : statusReason)
                    + "): " + message, e);
        }
        return new ApplyException(ref, ref.subject() + " dry-run failed: " + message, e);
    }

    private static String reason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    /** Labels, annotations, and everything but metadata and status: what the user declares. */
    @SuppressWarnings("unchecked")
    static boolean hasDrifted(HasMetadata existing, HasMetadata dryRun) {
        return hasDrifted(existing, dryRun, List.of());
    }

    /** Whether the dry-run result differs from the live object outside the ignored pointers. */
    @SuppressWarnings("unchecked")
    static boolean hasDrifted(HasMetadata existing, HasMetadata dryRun, List<String> ignored) {
        Map<String, Object> live = IgnoreRules.without(Unstructured.toMap(existing), ignored);
        Map<String, Object> merged = IgnoreRules.without(Unstructured.toMap(dryRun), ignored);
        Map<String, Object> liveMeta = (Map<String, Object>) live.getOrDefault("metadata", Map.of());
        Map<String, Object> mergedMeta = (Map<String, Object>) merged.getOrDefault("metadata", Map.of());
        if (!orEmpty(liveMeta.get("labels")).equals(orEmpty(mergedMeta.get("labels")))
                || !orEmpty(liveMeta.get("annotations")).equals(orEmpty(mergedMeta.get("annotations")))) {
            return true;
        }
        return !withoutMetadataAndStatus(live).equals(withoutMetadataAndStatus(merged));
    }

    private static Object orEmpty(Object value) {
        return value == null ? Map.of() : value;
    }

    private static Map<String, Object> withoutMetadataAndStatus(Map<String, Object> object) {
        Map<String, Object> copy = new HashMap<>(object);
        copy.remove("metadata");
        copy.remove("status");
        return copy;
    }

    /**
     * Takes over fields set by kubectl (and similar) and strips stale annotations, as Flux does, so that a
     * field removed from Git is also removed from the cluster. Skipped for {@code ssa: Merge} objects.
     */
    @SuppressWarnings("unchecked")
    private boolean cleanup(ResourceDefinitionContext definition, ObjectRef ref, HasMetadata desired,
                            HasMetadata existing, ApplyOptions.Cleanup cleanup) {
        if (FluxMetadata.anyInMetadata(desired, cleanup.exclusions()) || FluxMetadata.anyInMetadata(existing, cleanup.exclusions())) {
            return false;
        }
        Map<String, Object> live = Unstructured.toMap(existing);
        Map<String, Object> meta = (Map<String, Object>) live.getOrDefault("metadata", Map.of());
        List<Map<String, Object>> patch = new ArrayList<>();
        Map<String, Object> annotations = (Map<String, Object>) meta.getOrDefault("annotations", Map.of());
        for (String key : cleanup.annotations()) {
            if (annotations.containsKey(key)) {
                patch.add(Map.of("op", "remove", "path", "/metadata/annotations/" + pointer(key)));
            }
        }
        Map<String, Object> labels = (Map<String, Object>) meta.getOrDefault("labels", Map.of());
        for (String key : cleanup.labels()) {
            if (labels.containsKey(key)) {
                patch.add(Map.of("op", "remove", "path", "/metadata/labels/" + pointer(key)));
            }
        }
        List<Map<String, Object>> managed = (List<Map<String, Object>>) meta.getOrDefault("managedFields", List.of());
        List<Map<String, Object>> replaced = takeOverManagers(managed, cleanup.fieldManagers());
        if (replaced != null) {
            patch.add(Map.of("op", "replace", "path", "/metadata/managedFields", "value", replaced));
        }
        if (patch.isEmpty()) {
            return false;
        }
        try {
            handle(definition, ref).patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch));
        } catch (KubernetesClientException e) {
            throw new ApplyException(ref, ref.subject() + " metadata.managedFields cleanup failed: " + reason(e), e);
        }
        return true;
    }

    /**
     * Merges the field sets of the listed managers into this applier's Apply entry, so the next apply owns
     * (and may remove) those fields. Returns null when no entry matched.
     */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> takeOverManagers(List<Map<String, Object>> entries, List<ApplyOptions.FieldManager> managers) {
        Map<String, Object> ours = null;
        for (Map<String, Object> entry : entries) {
            if (fieldManager.equals(entry.get("manager")) && "Apply".equals(entry.get("operation"))) {
                ours = new LinkedHashMap<>(entry);
            }
        }
        boolean edited = false;
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> entry : entries) {
            if (fieldManager.equals(entry.get("manager")) && "Apply".equals(entry.get("operation"))) {
                continue;
            }
            boolean matches = entry.get("subresource") == null && managers.stream().anyMatch(m ->
                    String.valueOf(entry.get("manager")).startsWith(m.name()) && m.operation().equals(entry.get("operation")));
            if (!matches) {
                result.add(entry);
                continue;
            }
            edited = true;
            if (ours == null) {
                ours = new LinkedHashMap<>(entry);
                ours.put("manager", fieldManager);
                ours.put("operation", "Apply");
            } else {
                ours.put("fieldsV1", union((Map<String, Object>) ours.get("fieldsV1"), (Map<String, Object>) entry.get("fieldsV1")));
            }
        }
        if (!edited) {
            return null;
        }
        result.add(ours);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> union(Map<String, Object> a, Map<String, Object> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        Map<String, Object> merged = new LinkedHashMap<>(a);
        b.forEach((key, value) -> merged.merge(key, value, (x, y) ->
                x instanceof Map && y instanceof Map ? union((Map<String, Object>) x, (Map<String, Object>) y) : x));
        return merged;
    }

    private static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    // --- deleting ---

    /**
     * Deletes the objects of the previous inventory that are absent from the new one (pruning). Only objects
     * that still carry the owner's labels are deleted; objects annotated {@code prune: Disabled} are skipped.
     */
    public ChangeSet prune(Inventory previous, Inventory current, Owner owner) {
        return deleteAll(previous.diff(current), owner, DeletionPropagation.BACKGROUND);
    }

    /**
     * Deletes the given inventory entries in reverse apply order, skipping objects without the owner's labels
     * (adopted by someone else) or annotated {@code kustomize.toolkit.fluxcd.io/prune: Disabled}.
     */
    public ChangeSet deleteAll(List<Inventory.Entry> entries, Owner owner, DeletionPropagation propagation) {
        List<Inventory.Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Inventory.Entry::ref, ApplyOrder.REFS).reversed());
        ChangeSet changeSet = new ChangeSet();
        for (Inventory.Entry entry : sorted) {
            changeSet.add(delete(entry, owner, propagation));
        }
        return changeSet;
    }

    private ChangeSetEntry delete(Inventory.Entry entry, Owner owner, DeletionPropagation propagation) {
        ObjectRef ref = entry.ref();
        ResourceDefinitionContext definition = definitionOrNull(entry.apiVersion(), ref.kind());
        if (definition == null) {
            // The kind is gone from the API (e.g. its CRD was deleted), so the object is gone too.
            return new ChangeSetEntry(ref, entry.version(), Action.DELETED);
        }
        GenericKubernetesResource existing = get(definition, ref);
        if (existing != null) {
            if (FluxMetadata.anyInMetadata(existing, Map.of(FluxMetadata.PRUNE, FluxMetadata.DISABLED))
                    || (owner != null && !owner.owns(existing))) {
                return new ChangeSetEntry(ref, entry.version(), Action.SKIPPED);
            }
            try {
                handle(definition, ref).withPropagationPolicy(propagation).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw new ApplyException(ref, ref.subject() + " delete failed: " + reason(e), e);
                }
            }
        }
        return new ChangeSetEntry(ref, entry.version(), Action.DELETED);
    }

    /**
     * The "delete everything" path of a Kustomization being deleted: deletes its inventory according to the
     * deletion policy (and {@code spec.prune} for MirrorPrune), waiting for the objects to disappear with
     * WaitForTermination. Orphaning returns an empty change set.
     */
    public ChangeSet finalizeInventory(Inventory inventory, Owner owner, DeletionPolicy policy, boolean prune, Duration timeout) {
        if (!policy.deletes(prune)) {
            return new ChangeSet();
        }
        ChangeSet deleted = deleteAll(inventory.entries(), owner, DeletionPropagation.BACKGROUND);
        if (policy == DeletionPolicy.WAIT_FOR_TERMINATION) {
            List<Inventory.Entry> waited = inventory.entries().stream()
                    .filter(e -> deleted.with(Action.DELETED).stream().anyMatch(d -> d.ref().equals(e.ref())))
                    .toList();
            waitForTermination(waited, Duration.ofSeconds(1), timeout);
        }
        return deleted;
    }

    /** Waits until none of the entries exists any more. */
    public void waitForTermination(List<Inventory.Entry> entries, Duration interval, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> remaining = new ArrayList<>();
            for (Inventory.Entry entry : entries) {
                ResourceDefinitionContext definition = definitionOrNull(entry.apiVersion(), entry.ref().kind());
                if (definition != null && get(definition, entry.ref()) != null) {
                    remaining.add(entry.ref().subject());
                }
            }
            if (remaining.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ApplyException(null, "timeout waiting for termination of: [" + String.join(", ", remaining) + "]", null);
            }
            sleep(interval);
        }
    }

    // --- API access ---

    /** The API server's version, asked once per applier: CRDs are adapted to it (see {@link CrdCompatibility}). */
    private VersionInfo serverVersion() {
        VersionInfo version = serverVersion;
        if (version == null) {
            try {
                version = client.getKubernetesVersion();
            } catch (KubernetesClientException e) {
                // Unknown: apply as written; an old server then names the field it refuses in the apply error.
                return null;
            }
            serverVersion = version;
        }
        return version;
    }

    private ChangeSetEntry entry(HasMetadata object, Action action) {
        return new ChangeSetEntry(ObjectRef.of(object), ObjectRef.versionOf(object.getApiVersion()), action);
    }

    private void normalizeNamespace(GenericKubernetesResource object, ResourceDefinitionContext definition, ObjectRef ref) {
        String namespace = object.getMetadata().getNamespace();
        if (!definition.isNamespaceScoped() && namespace != null) {
            // kustomize sets the namespace on custom cluster-scoped kinds it does not know; the API ignores it.
            object.getMetadata().setNamespace(null);
        } else if (definition.isNamespaceScoped() && (namespace == null || namespace.isEmpty())) {
            throw new ApplyException(ref, ref.subject() + " namespace not specified", null);
        }
    }

    private GenericKubernetesResource get(ResourceDefinitionContext definition, ObjectRef ref) {
        try {
            return handle(definition, ref).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw new ApplyException(ref, ref.subject() + " query failed: " + reason(e), e);
        }
    }

    private Resource<GenericKubernetesResource> handle(ResourceDefinitionContext definition, ObjectRef ref) {
        var resources = client.genericKubernetesResources(definition);
        return definition.isNamespaceScoped()
                ? resources.inNamespace(ref.namespace()).withName(ref.name())
                : resources.withName(ref.name());
    }

    private Resource<GenericKubernetesResource> resource(ResourceDefinitionContext definition, GenericKubernetesResource object) {
        var resources = client.genericKubernetesResources(definition);
        return definition.isNamespaceScoped()
                ? resources.inNamespace(object.getMetadata().getNamespace()).resource(object)
                : resources.resource(object);
    }

    private ResourceDefinitionContext definition(String apiVersion, String kind, ObjectRef ref) {
        ResourceDefinitionContext definition = definitionOrNull(apiVersion, kind);
        if (definition == null) {
            throw new ApplyException(ref, ref.subject() + " dry-run failed: no matches for kind \"" + kind
                    + "\" in version \"" + apiVersion + "\"", null);
        }
        return definition;
    }

    /** Discovers the plural and scope of a kind; not-found answers are not cached since a CRD may arrive. */
    private ResourceDefinitionContext definitionOrNull(String apiVersion, String kind) {
        String key = apiVersion + "/" + kind;
        ResourceDefinitionContext cached = definitions.get(key);
        if (cached != null) {
            return cached;
        }
        APIResourceList list;
        try {
            list = client.getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
        if (list == null || list.getResources() == null) {
            return null;
        }
        for (APIResource resource : list.getResources()) {
            if (kind.equals(resource.getKind()) && !resource.getName().contains("/")) {
                ResourceDefinitionContext definition = new ResourceDefinitionContext.Builder()
                        .withGroup(ObjectRef.groupOf(apiVersion))
                        .withVersion(ObjectRef.versionOf(apiVersion))
                        .withKind(kind)
                        .withPlural(resource.getName())
                        .withNamespaced(Objects.requireNonNullElse(resource.getNamespaced(), true))
                        .build();
                definitions.put(key, definition);
                return definition;
            }
        }
        return null;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException(null, "interrupted", e);
        }
    }
}
