package io.currents.sourcewatcher.build;

/** An artifact could not be built from its copy operations; the message is meant for the object's status. */
public class BuildException extends Exception {

    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
