package io.currents.runtime.reconcile;

import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.FluxSpec;
import io.currents.api.meta.FluxStatus;
import io.currents.runtime.events.EventRecorder;
import io.currents.runtime.options.UnsupportedOptions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The reconcile every Flux kind shares, written once: it reads the status (keeping a copy of it as found), records
 * the suspend metric and stops while {@code spec.suspend} is true, runs the kind's {@link #steps}, turns what they
 * return ({@link Ready}) or throw ({@link ReconcileFailure}) into Flux's conditions ({@code Ready}, {@code Reconciling},
 * {@code Stalled}), a requeue (the interval with jitter, or backoff capped at the retry interval), one event when
 * Ready changes, and metrics, then writes the status once if it changed. Along the way the steps may report progress
 * ({@link Reconciliation#progress}), which is written at once, as Flux's serial patcher does.
 *
 * <p>Rules every kind follows: a {@code reconcile.fluxcd.io/requestedAt} value is recorded in
 * {@code status.lastHandledReconcileAt} by every reconcile that sees it, suspended or not, once the reconcile is done
 * (the steps see it through {@link Reconciliation#requested()}); the spec is never written; an unexpected exception
 * is a retried failure with the kind's {@link #unexpectedFailureReason()}.
 */
public abstract class FluxReconciler<R extends CustomResource<? extends FluxSpec, S>, S extends FluxStatus>
        implements Reconciler<R> {

    protected final Logger log = Logger.getLogger(getClass());

    protected KubernetesClient client;
    protected EventRecorder events;
    protected ReconcileMetrics metrics;
    private int jitterPercentage = 5;
    private volatile RequeuePolicy requeue;

    /** The controller's runtime services; called by CDI once the reconciler is created. */
    @Inject
    public void useRuntime(KubernetesClient client, EventRecorder events, ReconcileMetrics metrics,
                           @ConfigProperty(name = "interval-jitter-percentage", defaultValue = "5") int jitterPercentage) {
        this.client = client;
        this.events = events;
        this.metrics = metrics;
        this.jitterPercentage = jitterPercentage;
    }

    // --- what each kind provides ---

    /** A new, empty status of the kind (for an object that has none yet). */
    protected abstract S newStatus();

    /** The kind's reconcile, as named steps: return how it succeeded, or throw how it failed. */
    protected abstract Ready steps(Reconciliation<R, S> reconciliation) throws ReconcileFailure;

    /** The interval when {@code spec.interval} is not set (only kinds that make it optional need one). */
    protected Duration defaultInterval() {
        return Duration.ofMinutes(10);
    }

    /** The cap of the backoff between failed attempts: the interval, unless the kind has a retry interval. */
    protected Duration retryInterval(R obj) {
        return interval(obj);
    }

    /** The Ready reason of a failure no step expected (an exception): Flux's generic {@code Failed}. */
    protected String unexpectedFailureReason() {
        return Conditions.FAILED;
    }

    /**
     * Whether a retried failure records {@code status.observedGeneration}. Kinds that compare it with the generation
     * to reuse what they built (HelmChart) record it only on success or when stalled, as Flux's source-controller does.
     */
    protected boolean recordsGenerationOnRetry() {
        return true;
    }

    /**
     * Whether Currents leaves this object alone (Flux's OCI HelmRepositories are plain data): {@link #leftAlone} then
     * runs instead of the reconcile, and nothing of the status is written by the skeleton.
     */
    protected boolean leftAlone(R obj) {
        return false;
    }

    protected void leftAlone(R obj, S status) {
    }

    /**
     * The fields the kind's CRD accepts but this controller does not act on: an object setting one gets a Warning
     * event {@code UnsupportedOptions} once per generation and a line in its Ready message. None by default.
     */
    protected UnsupportedOptions unsupportedOptions() {
        return UnsupportedOptions.none();
    }

    /** The metadata of the kind's events (Flux's {@code revision}, {@code digest}): the reconcile's revision by default. */
    protected Map<String, String> eventMetadata(Reconciliation<R, S> reconciliation) {
        String revision = reconciliation.revision();
        return revision == null ? Map.of() : Map.of(FluxMeta.REVISION_METADATA_KEY, revision);
    }

    // --- the reconcile ---

    @Override
    public final UpdateControl<R> reconcile(R obj, Context<R> context) {
        // What is written goes to the operator SDK's cache too: the next reconcile must not start from a status
        // older than the last one written (an event queued during this reconcile would otherwise run on it).
        BiConsumer<HasMetadata, HasMetadata> cache = (updated, previous) -> context.eventSourceRetriever().getControllerEventSource()
                .handleRecentResourceUpdate(ResourceID.fromResource(obj), cast(updated), cast(previous));
        return reconcile(obj, context.getControllerConfiguration().fieldManager(), cache);
    }

    @SuppressWarnings("unchecked")
    private R cast(HasMetadata resource) {
        return (R) resource;
    }

    /** The reconcile, writing status under {@code fieldManager} (the controller's name) and telling {@code cache} of it. */
    final UpdateControl<R> reconcile(R obj, String fieldManager, BiConsumer<HasMetadata, HasMetadata> cache) {
        long started = System.nanoTime();
        S status = obj.getStatus() == null ? newStatus() : obj.getStatus();
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        S before = StatusPatcher.copy(client.getKubernetesSerialization(), status);
        if (leftAlone(obj)) {
            leftAlone(obj, status);
            return UpdateControl.noUpdate();
        }
        StatusPatcher patcher = new StatusPatcher(client, obj, fieldManager, before, cache);
        Conditions conditions = Conditions.of(status.getConditions(), obj.getMetadata().getGeneration(), clock());
        Reconciliation<R, S> reconciliation = new Reconciliation<>(obj, status, before, conditions, patcher,
                ReconcileRequest.isPending(obj, before.getLastHandledReconcileAt()), clock());

        boolean suspended = Boolean.TRUE.equals(obj.getSpec().getSuspend());
        metrics.recordSuspend(obj, suspended);
        if (suspended) {
            log.debugf("%s is suspended", key(obj));
            return finish(reconciliation, patcher, null);
        }

        Ready ready = null;
        ReconcileFailure failure;
        try {
            ready = steps(reconciliation);
            failure = null;
        } catch (ReconcileFailure f) {
            failure = f;
        } catch (RuntimeException e) {
            log.errorf(e, "unexpected failure reconciling %s", key(obj));
            failure = new ReconcileFailure(unexpectedFailureReason(), "reconciliation failed: " + describe(e));
        } finally {
            reconciliation.removeWorkDirs();
        }

        Duration next = failure == null ? succeeded(reconciliation, ready) : failed(reconciliation, failure);
        reportUnsupportedOptions(reconciliation);
        if (failure == null || failure.isStalled() || recordsGenerationOnRetry()) {
            status.setObservedGeneration(obj.getMetadata().getGeneration());
        }
        announce(reconciliation, ready, failure);
        metrics.recordCondition(obj, status.getConditions(), Conditions.READY, false);
        metrics.recordDuration(obj, Duration.ofNanos(System.nanoTime() - started));
        return finish(reconciliation, patcher, next);
    }

    private Duration succeeded(Reconciliation<R, S> reconciliation, Ready ready) {
        Objects.requireNonNull(ready, "steps() returned no Ready");
        reconciliation.conditions().markReady(ready.reason(), ready.message());
        String key = key(reconciliation.object());
        return switch (ready.requeue()) {
            case INTERVAL -> requeue().afterSuccess(key, interval(reconciliation.object()));
            case AFTER -> requeue().afterSuccess(key, ready.requeueAfter());
            case NEVER -> {
                requeue().forget(key);
                yield null;
            }
        };
    }

    private Duration failed(Reconciliation<R, S> reconciliation, ReconcileFailure failure) {
        Conditions conditions = reconciliation.conditions();
        if (!failure.isStalled()) {
            conditions.markFailedWithRetry(failure.reason(), failure.getMessage());
            return failure.requeueAfterOrNull() != null ? failure.requeueAfterOrNull()
                    : requeue().afterFailure(key(reconciliation.object()), retryInterval(reconciliation.object()));
        }
        if (failure.keepsReady()) {
            conditions.set(Conditions.STALLED, Conditions.TRUE, failure.reason(), failure.getMessage());
            conditions.delete(Conditions.RECONCILING);
            if (!Conditions.isFalse(conditions.list(), Conditions.READY)) {
                conditions.markFalse(Conditions.READY, failure.reason(), failure.getMessage());
            }
        } else {
            conditions.markStalled(failure.reason(), failure.getMessage());
        }
        return failure.requeueAfterOrNull();
    }

    /** Names the fields set but not acted on: a line in the Ready message, and a Warning event once per generation. */
    private void reportUnsupportedOptions(Reconciliation<R, S> reconciliation) {
        R obj = reconciliation.object();
        List<String> found = unsupportedOptions().setIn(obj);
        if (found.isEmpty()) {
            return;
        }
        String note = UnsupportedOptions.message(found, events.controllerName());
        Conditions.find(reconciliation.status().getConditions(), Conditions.READY).ifPresent(ready -> ready.setMessage(
                ready.getMessage() == null || ready.getMessage().isEmpty() ? note : ready.getMessage() + "; " + note));
        if (!Objects.equals(reconciliation.before().getObservedGeneration(), obj.getMetadata().getGeneration())) {
            log.warnf("%s %s: %s", key(obj), UnsupportedOptions.REASON, note);
            events.warning(obj, UnsupportedOptions.REASON, note, Map.of());
        }
    }

        /** One event when Ready changed (or the steps say something new came of the reconcile), none on a quiet loop. */
    private void announce(Reconciliation<R, S> reconciliation, Ready ready, ReconcileFailure failure) {
        R obj = reconciliation.object();
        boolean readyChanged = readyChanged(reconciliation.before().getConditions(), reconciliation.status().getConditions());
        Map<String, String> metadata = new LinkedHashMap<>(eventMetadata(reconciliation));
        if (failure == null) {
            if (!ready.isReported() && (readyChanged || ready.isChanged())) {
                metadata.putAll(ready.eventMetadata());
                events.normal(obj, ready.eventReason(), ready.eventMessage(), metadata);
            }
            return;
        }
        if (!readyChanged) {
            return;
        }
        switch (failure.severity()) {
            case ERROR -> {
                log.warnf("%s %s: %s", key(obj), failure.reason(), failure.getMessage());
                events.warning(obj, failure.reason(), failure.eventMessage(), metadata);
            }
            case INFO -> {
                log.infof("%s %s: %s", key(obj), failure.eventMessage(), failure.getMessage());
                events.normal(obj, failure.reason(), failure.eventMessage(), metadata);
            }
            case NONE -> {
            }
        }
    }

    /** Whether Ready appeared, or changed its status or message. */
    static boolean readyChanged(List<Condition> before, List<Condition> after) {
        Condition oldReady = Conditions.find(before, Conditions.READY).orElse(null);
        Condition newReady = Conditions.find(after, Conditions.READY).orElse(null);
        if (newReady == null) {
            return false;
        }
        return oldReady == null || !Objects.equals(oldReady.getStatus(), newReady.getStatus())
                || !Objects.equals(oldReady.getMessage(), newReady.getMessage());
    }

    /** Records the reconcile request and writes the status if it changed; never the spec. */
    private UpdateControl<R> finish(Reconciliation<R, S> reconciliation, StatusPatcher patcher, Duration next) {
        R obj = reconciliation.object();
        S status = reconciliation.status();
        ReconcileRequest.requestedAt(obj).ifPresent(status::setLastHandledReconcileAt);
        UpdateControl<R> control = UpdateControl.noUpdate();
        try {
            patcher.patch(status);
        } catch (KubernetesClientException e) {
            // The API server is unreachable or refused the write. The operator SDK's retry would give up after a few
            // attempts and leave the object until its next event: a longer outage would strand it, its stored
            // artifact or applied state no longer told in its status. Look again with our own backoff instead.
            // A 404 too: a restarting API server answers 404 for custom resources until it serves their definitions
            // again, so it does not mean the object is gone (if it is, the rescheduled reconcile finds nothing to do).
            Duration retry = requeue().afterFailure(key(obj), retryInterval(obj));
            log.warnf("%s: could not write the status (%s); reconciling again in %s", key(obj), describe(e), retry);
            return control.rescheduleAfter(retry);
        }
        return next == null ? control : control.rescheduleAfter(next);
    }

    // --- for the kinds ---

    /** {@code spec.interval}, or the kind's default when it is not set. */
    protected Duration interval(R obj) {
        return FluxDuration.parseOr(obj.getSpec().getInterval(), defaultInterval());
    }

    /** On deletion: forget the object's backoff and mark its condition metric deleted. */
    protected void forget(R obj) {
        requeue().forget(key(obj));
        metrics.recordCondition(obj, List.of(), Conditions.READY, true);
    }

    protected RequeuePolicy requeue() {
        if (requeue == null) {
            requeue = new RequeuePolicy(jitterPercentage, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
        return requeue;
    }

    protected Clock clock() {
        return Clock.systemUTC();
    }

    /** {@code Kind/namespace/name}, for logs. */
    public static String key(HasMetadata obj) {
        return obj.getKind() + "/" + obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
    }

    /** An exception's message, or its type when it has none. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
