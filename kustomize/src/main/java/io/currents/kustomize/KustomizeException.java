package io.currents.kustomize;

/** A kustomization could not be built; the message names the file and the problem. */
public class KustomizeException extends RuntimeException {
    public KustomizeException(String message) {
        super(message);
    }

    public KustomizeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Prefixes the message with context, as kustomize's error wrapping does. */
    static KustomizeException wrap(String prefix, RuntimeException e) {
        return new KustomizeException(prefix + ": " + e.getMessage(), e);
    }
}
