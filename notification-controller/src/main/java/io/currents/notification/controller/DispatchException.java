package io.currents.notification.controller;

/** A notification that could not be delivered; the message says why and never contains a secret. */
class DispatchException extends Exception {

    private final boolean retryable;

    DispatchException(String message) {
        this(message, false);
    }

    DispatchException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    boolean retryable() {
        return retryable;
    }
}
