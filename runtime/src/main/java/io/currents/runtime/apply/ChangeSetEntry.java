package io.currents.runtime.apply;

/** One object of a change set: its reference, its API version and the action taken. */
public record ChangeSetEntry(ObjectRef ref, String version, Action action) {

    /** {@code Deployment/apps/hello configured}. */
    @Override
    public String toString() {
        return ref.subject() + " " + action;
    }
}
