package io.currents.image.registry;

/** A registry request that failed, with a message fit for a status condition (never credentials). */
public class RegistryException extends Exception {

    private final int status;

    public RegistryException(String message) {
        this(message, 0);
    }

    public RegistryException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status that ended the request, or 0 when it never got an answer. */
    public int status() {
        return status;
    }
}
