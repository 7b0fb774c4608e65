package io.currents.git;

import java.time.Duration;
import java.util.List;

/**
 * Everything needed to fetch one revision of a Git repository, mirroring a GitRepository spec:
 * URL, reference, credentials, proxy, timeout, submodules, sparse directories, a limit on the size
 * of the checked-out files ({@code maxSizeBytes <= 0} means no limit), a limit on the objects
 * received ({@code maxFetchBytes <= 0} means none) and signature verification
 * ({@code verificationMode} {@code HEAD}, {@code Tag} or {@code TagAndHEAD} with armored OpenPGP
 * public keys; null mode means no verification).
 */
public record GitCheckoutRequest(String url, GitReference ref, GitAuth auth, GitProxy proxy, Duration timeout,
                                 boolean recurseSubmodules, List<String> sparseCheckout, long maxSizeBytes,
                                 long maxFetchBytes, String verificationMode, List<String> publicKeys) {

    /** Flux's default {@code spec.timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public GitCheckoutRequest {
        ref = ref == null ? GitReference.branch(GitReference.DEFAULT_BRANCH) : ref;
        auth = auth == null ? GitAuth.none() : auth;
        timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_TIMEOUT : timeout;
        sparseCheckout = sparseCheckout == null ? List.of() : List.copyOf(sparseCheckout);
        publicKeys = publicKeys == null ? List.of() : List.copyOf(publicKeys);
    }

    /** An anonymous request for {@code ref} with the defaults. */
    public static GitCheckoutRequest of(String url, GitReference ref) {
        return new GitCheckoutRequest(url, ref, null, null, null, false, null, 0, 0, null, null);
    }

    public GitCheckoutRequest withRef(GitReference ref) {
        return new GitCheckoutRequest(url, ref, auth, proxy, timeout, recurseSubmodules, sparseCheckout, maxSizeBytes,
                maxFetchBytes, verificationMode, publicKeys);
    }

    public GitCheckoutRequest withAuth(GitAuth auth) {
        return new GitCheckoutRequest(url, ref, auth, proxy, timeout, recurseSubmodules, sparseCheckout, maxSizeBytes,
                maxFetchBytes, verificationMode, publicKeys);
    }

    public GitCheckoutRequest withProxy(GitProxy proxy) {
        return new GitCheckoutRequest(url, ref, auth, proxy, timeout, recurseSubmodules, sparseCheckout, maxSizeBytes,
                maxFetchBytes, verificationMode, publicKeys);
    }

    public GitCheckoutRequest withTimeout(Duration timeout) {
        return new GitCheckoutRequest(url, ref, auth, proxy, timeout, recurseSubmodules, sparseCheckout, maxSizeBytes,
                maxFetchBytes, verificationMode, publicKeys);
    }

    public GitCheckoutRequest withSubmodules(boolean recurse) {
        return new GitCheckoutRequest(url, ref, auth, proxy, timeout, recurse, sparseCheckout, maxSizeBytes,
                maxFetchBytes, verificationMode, publicKeys);
    }

    public GitCheckoutRequest withSparseCheckout(List<String> directories) {
        return new GitCheckoutRequest(url, ref, auth, proxy, timeout, recurseSubmodules, directories, maxSizeBytes,
                maxFetchBytes, verificationMode, publicKeys);
    }

    public GitCheckoutRequest withMaxSize(long bytes) {
        return new GitCheckoutRequest(url, ref, auth, proxy, timeout, recurseSubmodules, sparseCheckout, bytes,
                maxFetchBytes, verificationMode, publicKeys);
    }

    /** Bounds the objects received (the Git database on disk) as well as the files written. */
    public GitCheckoutRequest withMaxFetchSize(long bytes) {
        return new GitCheckoutRequest(url, ref, auth, proxy, timeout, recurseSubmodules, sparseCheckout, maxSizeBytes,
                bytes, verificationMode, publicKeys);
    }

    public GitCheckoutRequest withVerification(String mode, List<String> armoredPublicKeys) {
        return new GitCheckoutRequest(url, ref, auth, proxy, timeout, recurseSubmodules, sparseCheckout, maxSizeBytes,
                maxFetchBytes, mode, armoredPublicKeys);
    }
}
