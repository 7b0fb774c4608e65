package io.currents.kustomize;

import java.util.List;

/** A kustomization could not be built; the message names the file and the problem. */
public class KustomizeException extends RuntimeException {
    private List<BuildWarning> warnings = List.of();

    public KustomizeException(String message) {
        super(message);
    }

    public KustomizeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The notices kustomize would have printed before failing (see {@link ResourceList#warnings()}). */
    public List<BuildWarning> warnings() {
        return warnings;
    }

    KustomizeException withWarnings(List<BuildWarning> w) {
        this.warnings = List.copyOf(w);
        return this;
    }

    /** Prefixes the message with context, as kustomize's error wrapping does. */
    static KustomizeException wrap(String prefix, RuntimeException e) {
        return new KustomizeException(prefix + ": " + e.getMessage(), e);
    }
}
