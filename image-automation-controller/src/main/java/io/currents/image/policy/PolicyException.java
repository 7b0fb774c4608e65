package io.currents.image.policy;

/** A policy that cannot be applied as written (bad range, pattern or order), with a message for the status. */
public class PolicyException extends Exception {
    public PolicyException(String message) {
        super(message);
    }
}
