package io.currents.runtime.health;

/** A kstatus result: the status and the human message explaining it. */
public record ObjectStatus(Status status, String message) {

    public static ObjectStatus current(String message) {
        return new ObjectStatus(Status.CURRENT, message);
    }

    public static ObjectStatus inProgress(String message) {
        return new ObjectStatus(Status.IN_PROGRESS, message);
    }

    public static ObjectStatus failed(String message) {
        return new ObjectStatus(Status.FAILED, message);
    }

    public boolean isCurrent() {
        return status == Status.CURRENT;
    }
}
