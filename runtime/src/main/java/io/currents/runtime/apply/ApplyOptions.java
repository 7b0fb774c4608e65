package io.currents.runtime.apply;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a set is applied: force recreation of objects with immutable changes, the selectors that skip or
 * force individual objects, what to clean up from objects first edited by other tools, and how long to
 * wait for CRDs and Namespaces before applying what depends on them.
 *
 * @param force                recreate any object whose immutable fields changed
 * @param forceSelector        labels/annotations that force recreation of one object
 * @param exclusionSelector    labels/annotations that leave an object untouched
 * @param ifNotPresentSelector labels/annotations that only create an object, never update it
 * @param cleanup              metadata and field managers removed from live objects before applying
 * @param waitInterval         poll interval when waiting for cluster definitions
 * @param waitTimeout          how long to wait for cluster definitions (and for deleted objects to go)
 * @param ignoreRules          fields left out of drift detection and correction ({@code spec.ignore})
 */
public record ApplyOptions(
        boolean force,
        Map<String, String> forceSelector,
        Map<String, String> exclusionSelector,
        Map<String, String> ifNotPresentSelector,
        Cleanup cleanup,
        Duration waitInterval,
        Duration waitTimeout,
        IgnoreRules ignoreRules) {

    /** Options without drift ignore rules. */
    public ApplyOptions(boolean force, Map<String, String> forceSelector, Map<String, String> exclusionSelector,
                        Map<String, String> ifNotPresentSelector, Cleanup cleanup, Duration waitInterval, Duration waitTimeout) {
        this(force, forceSelector, exclusionSelector, ifNotPresentSelector, cleanup, waitInterval, waitTimeout, IgnoreRules.none());
    }

    /** A field manager of {@code metadata.managedFields}: name prefix and operation ({@code Apply} or {@code Update}). */
    public record FieldManager(String name, String operation) {
    }

    /**
     * What to strip from live objects before applying, so fields set by {@code kubectl} (or by a pre-SSA
     * controller) are taken over and removed when they leave the desired state.
     *
     * @param exclusions labels/annotations that keep an object's other managers untouched ({@code ssa: Merge})
     */
    public record Cleanup(List<String> annotations, List<String> labels, List<FieldManager> fieldManagers,
                          Map<String, String> exclusions) {

        public static Cleanup none() {
            return new Cleanup(List.of(), List.of(), List.of(), Map.of());
        }
    }

    /** Options with kustomize-controller's selectors and cleanup rules, for the given field manager. */
    public static ApplyOptions kustomizeController(String fieldManager) {
        Cleanup cleanup = new Cleanup(
                List.of("kubectl.kubernetes.io/last-applied-configuration", "fluxcd.io/sync-checksum", "fluxcd.io/sync-gc-mark"),
                List.of("fluxcd.io/sync-gc-mark"),
                List.of(new FieldManager("kubectl", "Apply"),
                        new FieldManager("kubectl", "Update"),
                        new FieldManager("before-first-apply", "Update"),
                        new FieldManager(fieldManager, "Update")),
                Map.of(FluxMetadata.SSA, FluxMetadata.MERGE));
        return new ApplyOptions(false,
                Map.of(FluxMetadata.FORCE, FluxMetadata.ENABLED),
                Map.of(FluxMetadata.RECONCILE, "disabled", FluxMetadata.SSA, FluxMetadata.IGNORE),
                Map.of(FluxMetadata.SSA, FluxMetadata.IF_NOT_PRESENT),
                cleanup,
                Duration.ofSeconds(2),
                Duration.ofSeconds(60));
    }

    public ApplyOptions withForce(boolean force) {
        return new ApplyOptions(force, forceSelector, exclusionSelector, ifNotPresentSelector, cleanup, waitInterval, waitTimeout,
                ignoreRules);
    }

    public ApplyOptions withWait(Duration interval, Duration timeout) {
        return new ApplyOptions(force, forceSelector, exclusionSelector, ifNotPresentSelector, cleanup, interval, timeout, ignoreRules);
    }

    public ApplyOptions withCleanup(Cleanup cleanup) {
        return new ApplyOptions(force, forceSelector, exclusionSelector, ifNotPresentSelector, cleanup, waitInterval, waitTimeout,
                ignoreRules);
    }

    public ApplyOptions withIgnoreRules(IgnoreRules rules) {
        return new ApplyOptions(force, forceSelector, exclusionSelector, ifNotPresentSelector, cleanup, waitInterval, waitTimeout,
                rules == null ? IgnoreRules.none() : rules);
    }
}
