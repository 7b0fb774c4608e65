package io.currents.runtime.sops;

/** A SOPS document that cannot be decrypted; messages name keys and fingerprints, never plaintext. */
public class SopsException extends RuntimeException {

    public SopsException(String message) {
        super(message);
    }

    public SopsException(String message, Throwable cause) {
        super(message, cause);
    }
}
