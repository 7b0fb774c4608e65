package io.currents.runtime.apply;

/** An object could not be applied or deleted; the message names the object as Flux does. */
public class ApplyException extends RuntimeException {

    private final ObjectRef ref;

    public ApplyException(ObjectRef ref, String message, Throwable cause) {
        super(message, cause);
        this.ref = ref;
    }

    /** The object the failure is about, or null when it concerns the whole set. */
    public ObjectRef ref() {
        return ref;
    }
}
