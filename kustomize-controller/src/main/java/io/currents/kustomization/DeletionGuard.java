package io.currents.kustomization;

import io.currents.api.kustomize.v1.BlockedPrune;
import io.currents.api.meta.ResourceRef;
import io.currents.runtime.apply.Inventory;
import io.currents.runtime.reconcile.ReconcileFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deletion guard (a Currents extension to Flux's {@code spec.prune}): refuses a prune that deletes more objects,
 * or a larger share of the inventory, than allowed, or that would delete everything because the build became empty,
 * until a person approves that revision's prune with {@code currents approve prune kustomization <name>}.
 * The cluster default comes from the controller's flags; a Kustomization's annotations override it.
 */
final class DeletionGuard {

    static final String MAX_OBJECTS = "currents.io/prune-max-objects";
    static final String MAX_PERCENT = "currents.io/prune-max-percent";
    static final String REFUSE_EMPTY = "currents.io/prune-refuse-empty";
    static final String APPROVED_REVISION = "currents.io/prune-approved-revision";
    static final String PRUNE_BLOCKED = "PruneBlocked";

    /** The limits in force: 0 objects or 0 percent means no limit of that kind. */
    record Limits(int maxObjects, int maxPercent, boolean refuseEmpty) {

        /** These limits with the Kustomization's annotations applied over them; a malformed value is a spec error. */
        Limits overriddenBy(Map<String, String> annotations) throws ReconcileFailure {
            if (annotations == null) {
                return this;
            }
            return new Limits(number(annotations, MAX_OBJECTS, maxObjects, Integer.MAX_VALUE),
                    number(annotations, MAX_PERCENT, maxPercent, 100),
                    bool(annotations, REFUSE_EMPTY, refuseEmpty));
        }

        private static int number(Map<String, String> annotations, String key, int fallback, int max) throws ReconcileFailure {
            String value = annotations.get(key);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 0 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw ReconcileFailure.stalled(PRUNE_BLOCKED, "annotation " + key + ": '" + value
                    + "' is not a whole number from 0 to " + max + "; no prune is done until it is fixed");
        }

        private static boolean bool(Map<String, String> annotations, String key, boolean fallback) throws ReconcileFailure {
            String value = annotations.get(key);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw ReconcileFailure.stalled(PRUNE_BLOCKED, "annotation " + key + ": '" + value
                        + "' is neither true nor false; no prune is done until it is fixed");
            };
        }
    }

    private final Limits limits;

    DeletionGuard(Limits limits) {
        this.limits = limits;
    }

    /**
     * The prune refused for this revision, or empty when it may go ahead: within the limits, nothing to delete, or
     * approved for exactly this revision.
     */
    Optional<BlockedPrune> check(Inventory previous, Inventory current, String revision, Map<String, String> annotations)
            throws ReconcileFailure {
        List<Inventory.Entry> leaving = previous.diff(current);
        if (leaving.isEmpty()) {
            return Optional.empty();
        }
        Limits in = limits.overriddenBy(annotations);
        int total = previous.entries().size();
        String why = null;
        if (in.refuseEmpty() && current.isEmpty() && leaving.size() == total) {
            why = "the build of revision " + revision + " has no objects: pruning would delete all " + total
                    + " objects of the inventory";
        } else if (in.maxObjects() > 0 && leaving.size() > in.maxObjects()) {
            why = "pruning would delete " + leaving.size() + " objects, more than the " + in.maxObjects() + " allowed by "
                    + MAX_OBJECTS;
        } else if (in.maxPercent() > 0 && leaving.size() * 100L > (long) in.maxPercent() * total) {
            why = "pruning would delete " + leaving.size() + " of " + total + " objects (" + (leaving.size() * 100 / total)
                    + "%), more than the " + in.maxPercent() + "% allowed by " + MAX_PERCENT;
        }
        if (why == null || (annotations != null && revision.equals(annotations.get(APPROVED_REVISION)))) {
            return Optional.empty();
        }
        BlockedPrune blocked = new BlockedPrune();
        blocked.setRevision(revision);
        blocked.setMessage("prune blocked: " + why + "; nothing was deleted. Approve with 'currents approve prune kustomization"
                + " <name>', which sets " + APPROVED_REVISION + "=" + revision + ", or raise the limit");
        List<ResourceRef> entries = new ArrayList<>();
        leaving.forEach(e -> entries.add(new ResourceRef(e.id(), e.version())));
        blocked.setEntries(entries);
        return Optional.of(blocked);
    }
}
