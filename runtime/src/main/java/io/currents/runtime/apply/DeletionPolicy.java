package io.currents.runtime.apply;

/** What happens to the applied objects when the Kustomization that applied them is deleted ({@code spec.deletionPolicy}). */
public enum DeletionPolicy {
    /** Delete the objects only if {@code spec.prune} is true (the default). */
    MIRROR_PRUNE("MirrorPrune"),
    /** Always delete the objects. */
    DELETE("Delete"),
    /** Delete the objects and wait until they are gone before letting the Kustomization go. */
    WAIT_FOR_TERMINATION("WaitForTermination"),
    /** Leave the objects in the cluster. */
    ORPHAN("Orphan");

    private final String value;

    DeletionPolicy(String value) {
        this.value = value;
    }

    /** Parses the API value; empty means MirrorPrune. */
    public static DeletionPolicy of(String value) {
        if (value == null || value.isEmpty()) {
            return MIRROR_PRUNE;
        }
        for (DeletionPolicy policy : values()) {
            if (policy.value.equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown deletion policy " + value);
    }

    /** Parses the API value leniently: empty or unknown (the CRD's enum normally prevents it) means MirrorPrune. */
    public static DeletionPolicy orDefault(String value) {
        try {
            return of(value);
        } catch (IllegalArgumentException e) {
            return MIRROR_PRUNE;
        }
    }

    /** Whether the objects get deleted, given the Kustomization's {@code spec.prune}. */
    public boolean deletes(boolean prune) {
        return switch (this) {
            case MIRROR_PRUNE -> prune;
            case DELETE, WAIT_FOR_TERMINATION -> true;
            case ORPHAN -> false;
        };
    }

    @Override
    public String toString() {
        return value;
    }
}
