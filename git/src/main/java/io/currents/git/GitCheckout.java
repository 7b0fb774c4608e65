package io.currents.git;

/**
 * The result of a checkout: the Flux revision ({@code main@sha1:…}, {@code v1.0.0@sha1:…},
 * {@code sha1:…}), the commit id, the first line of the commit message, and which keys verified
 * the signatures (null when verification was not asked for).
 */
public record GitCheckout(String revision, String commit, String commitMessage, SignatureVerification verification) {

    /** Flux's {@code SourceVerified} message, e.g. {@code verified signature of commit 'abc…' with key 'ABCD…'}; null without verification. */
    public String verificationMessage() {
        return verification == null ? null : verification.message();
    }
}
