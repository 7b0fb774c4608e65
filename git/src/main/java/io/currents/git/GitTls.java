package io.currents.git;

import javax.net.ssl.SSLContext;

/**
 * TLS settings for an HTTPS remote, from Flux's Secret keys: {@code ca.crt} (PEM certificates to
 * trust instead of the system's), {@code tls.crt} and {@code tls.key} (a client certificate and its
 * PEM key, for servers that ask for mutual TLS). The key is never printed. Git remotes and
 * source-controller's Helm repositories read these keys alike.
 */
public record GitTls(String caCertificates, String clientCertificate, String clientKey) {

    /** No custom settings: the JVM's trust store, no client certificate. */
    public static final GitTls NONE = new GitTls(null, null, null);

    public boolean isEmpty() {
        return !GitAuth.present(caCertificates) && !GitAuth.present(clientCertificate) && !GitAuth.present(clientKey);
    }

    /**
     * The SSL context these settings describe, or null when they are empty (the JVM's default applies).
     *
     * @throws GitException {@code AuthenticationFailed} when a certificate or key cannot be read, or
     *                      only one of {@code tls.crt} and {@code tls.key} is given
     */
    public SSLContext sslContext() throws GitException {
        if (isEmpty()) {
            return null;
        }
        if (GitAuth.present(clientCertificate) != GitAuth.present(clientKey)) {
            throw failure("a client certificate needs both 'tls.crt' and 'tls.key'");
        }
        try {
            return PemTls.sslContext(GitAuth.present(caCertificates) ? caCertificates : null,
                    GitAuth.present(clientCertificate) ? clientCertificate : null, clientKey);
        } catch (PemTls.InvalidMaterial e) {
            throw failure(e.getMessage());
        }
    }

    private static GitException failure(String message) {
        return new GitException(GitException.AUTHENTICATION_FAILED, message);
    }

    @Override
    public String toString() {
        return "GitTls[ca=" + GitAuth.present(caCertificates) + ", clientCertificate=" + GitAuth.present(clientCertificate) + "]";
    }
}
