package io.currents.git;

/**
 * A failed Git operation (credentials, fetch, checkout, verification, commit, push) with Flux's
 * condition reason ({@value #AUTHENTICATION_FAILED}, {@value #GIT_OPERATION_FAILED},
 * {@value #URL_INVALID}, {@value #VERIFICATION_ERROR}) and a message
 * fit for a status condition: it never contains credentials or URL user-info.
 */
public class GitException extends Exception {

    public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
    public static final String GIT_OPERATION_FAILED = "GitOperationFailed";
    public static final String URL_INVALID = "URLInvalid";
    public static final String VERIFICATION_ERROR = "VerificationError";

    private final String reason;

    public GitException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
