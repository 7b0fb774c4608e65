package io.currents.runtime.apply;

/**
 * What a kubeconfig from a tenant's Secret ({@code spec.kubeConfig.secretRef}) may use beyond plain credentials:
 * Flux's {@code --insecure-kubeconfig-exec} (run {@code users[].user.exec}) and {@code --insecure-kubeconfig-tls}
 * (honour {@code insecure-skip-tls-verify}). Both default to false.
 */
public record KubeconfigPolicy(boolean allowExec, boolean allowInsecureTls) {

    /** Neither exec nor unverified TLS: the default, and what a multi-tenant cluster should keep. */
    public static final KubeconfigPolicy STRICT = new KubeconfigPolicy(false, false);

    /** The property (and Flux flag) that allows exec credential plugins. */
    public static final String EXEC_FLAG = "insecure-kubeconfig-exec";
    /** The property (and Flux flag) that allows {@code insecure-skip-tls-verify}. */
    public static final String TLS_FLAG = "insecure-kubeconfig-tls";
}
