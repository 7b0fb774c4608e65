package io.currents.runtime.health;

/** The kstatus verdict on an object: whether it has reached the state its spec asks for. */
public enum Status {
    CURRENT("Current"),
    IN_PROGRESS("InProgress"),
    FAILED("Failed"),
    TERMINATING("Terminating"),
    NOT_FOUND("NotFound"),
    UNKNOWN("Unknown");

    private final String display;

    Status(String display) {
        this.display = display;
    }

    /** The name kstatus and Flux print, e.g. {@code InProgress}. */
    @Override
    public String toString() {
        return display;
    }
}
