package io.currents.runtime.cel;

/** A CEL expression failed to parse or to evaluate; the message names the expression. */
public class CelException extends Exception {

    public CelException(String message) {
        super(message);
    }

    public CelException(String message, Throwable cause) {
        super(message, cause);
    }
}
