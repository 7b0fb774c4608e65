package io.currents.runtime.reconcile;

import io.currents.api.meta.FluxMeta;
import io.currents.runtime.events.Redaction;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and writes status conditions the way Flux does (kstatus): {@code Ready}, {@code Reconciling},
 * {@code Stalled} and each kind's own types. The transition time only moves when the status flips.
 */
public final class Conditions {

    public static final String READY = FluxMeta.READY_CONDITION;
    public static final String RECONCILING = FluxMeta.RECONCILING_CONDITION;
    public static final String STALLED = FluxMeta.STALLED_CONDITION;
    public static final String HEALTHY = FluxMeta.HEALTHY_CONDITION;

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    // Reasons shared by all Flux kinds (fluxcd/pkg/apis/meta).
    public static final String SUCCEEDED = FluxMeta.SUCCEEDED_REASON;
    public static final String FAILED = FluxMeta.FAILED_REASON;
    public static final String PROGRESSING = FluxMeta.PROGRESSING_REASON;
    public static final String PROGRESSING_WITH_RETRY = FluxMeta.PROGRESSING_WITH_RETRY_REASON;
    public static final String SUSPENDED = FluxMeta.SUSPENDED_REASON;
    public static final String DEPENDENCY_NOT_READY = FluxMeta.DEPENDENCY_NOT_READY_REASON;
    public static final String RECONCILIATION_SUCCEEDED = FluxMeta.RECONCILIATION_SUCCEEDED_REASON;
    public static final String RECONCILIATION_FAILED = FluxMeta.RECONCILIATION_FAILED_REASON;
    public static final String INVALID_PATH = "InvalidPath";

    private final List<Condition> conditions;
    private final long generation;
    private final Clock clock;

    private Conditions(List<Condition> conditions, long generation, Clock clock) {
        this.conditions = conditions;
        this.generation = generation;
        this.clock = clock;
    }

    /** Edits {@code conditions} in place, stamping each condition with {@code generation}. */
    public static Conditions of(List<Condition> conditions, Long generation, Clock clock) {
        return new Conditions(conditions, generation == null ? 0 : generation, clock);
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    public static boolean isFalse(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> FALSE.equals(c.getStatus())).orElse(false);
    }

    public Conditions markTrue(String type, String reason, String message) {
        return set(type, TRUE, reason, message);
    }

    public Conditions markFalse(String type, String reason, String message) {
        return set(type, FALSE, reason, message);
    }

    public Conditions markUnknown(String type, String reason, String message) {
        return set(type, UNKNOWN, reason, message);
    }

    /** Marks the object as being worked on: Reconciling=True, Ready=Unknown (kept False if it was False). */
    public Conditions markReconciling(String reason, String message) {
        set(RECONCILING, TRUE, reason, message);
        if (!isFalse(conditions, READY)) {
            set(READY, UNKNOWN, reason, message);
        }
        return this;
    }

    /** Marks an error that retrying cannot fix until the spec changes: Stalled=True, Ready=False, not Reconciling. */
    public Conditions markStalled(String reason, String message) {
        set(STALLED, TRUE, reason, message);
        set(READY, FALSE, reason, message);
        delete(RECONCILING);
        return this;
    }

    /** Marks success: Ready=True, and clears Reconciling and Stalled. */
    public Conditions markReady(String reason, String message) {
        set(READY, TRUE, reason, message);
        delete(RECONCILING);
        delete(STALLED);
        return this;
    }

    /** Marks a failure that will be retried: Ready=False, Reconciling=True with ProgressingWithRetry. */
    public Conditions markFailedWithRetry(String reason, String message) {
        set(READY, FALSE, reason, message);
        set(RECONCILING, TRUE, PROGRESSING_WITH_RETRY, message);
        delete(STALLED);
        return this;
    }

    public Conditions set(String type, String status, String reason, String message) {
        // status is readable by everyone who may read the object: no URL credentials there, whatever the caller wrote
        message = Redaction.urlCredentials(message);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Condition existing = find(conditions, type).orElse(null);
        if (existing == null) {
            Condition c = new Condition();
            c.setType(type);
            c.setStatus(status);
            c.setReason(reason);
            c.setMessage(message == null ? "" : message);
            c.setObservedGeneration(generation);
            c.setLastTransitionTime(now.toString());
            conditions.add(c);
            return this;
        }
        if (!Objects.equals(existing.getStatus(), status)) {
            existing.setLastTransitionTime(now.toString());
        }
        existing.setStatus(status);
        existing.setReason(reason);
        existing.setMessage(message == null ? "" : message);
        existing.setObservedGeneration(generation);
        return this;
    }

    public Conditions delete(String type) {
        conditions.removeIf(c -> type.equals(c.getType()));
        return this;
    }

    public List<Condition> list() {
        return conditions;
    }
}
