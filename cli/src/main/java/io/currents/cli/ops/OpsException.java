package io.currents.cli.ops;

/** A failure the user can act on; its message is one sentence saying what happened and what to do. */
public final class OpsException extends RuntimeException {
    public OpsException(String message) {
        super(message);
    }

    public OpsException(String message, Throwable cause) {
        super(message, cause);
    }
}
