package io.currents.kustomize.yaml;

/** A YAML text could not be read or written; the caller adds the file name. */
public final class YamlException extends RuntimeException {
    public YamlException(String message) {
        super(message);
    }
}
