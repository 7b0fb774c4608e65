package io.currents.image.update;

/** A failed step of an update run (credentials, clone, rewrite, commit, push), with the Flux reason to report. */
public class GitAutomationException extends Exception {

    private final String reason;

    public GitAutomationException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
