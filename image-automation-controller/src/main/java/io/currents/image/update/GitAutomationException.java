package io.currents.image.update;

import io.currents.git.GitException;

/** A failed step of an update run that is not Git's own (the update path, the rewrite), with the Flux reason to report. */
public class GitAutomationException extends GitException {

    public GitAutomationException(String reason, String message) {
        super(reason, message);
    }
}
