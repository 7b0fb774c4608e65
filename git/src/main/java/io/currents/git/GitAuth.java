package io.currents.git;

/**
 * Credentials for a Git remote, as Flux reads them from a Secret (see {@link GitSecret}): HTTP basic
 * ({@code username}/{@code password}), an HTTP bearer token, an SSH private key (PEM or OpenSSH,
 * optionally protected by {@code passphrase}) with the {@code knownHosts} lines the server's host key
 * must match, and for HTTPS the {@link GitTls} settings (custom CA, client certificate). Never
 * printed: {@link #toString()} only says which kinds are present.
 */
public record GitAuth(String username, String password, String bearerToken, byte[] privateKey, String passphrase,
                      String knownHosts, GitTls tls) {

    public GitAuth {
        tls = tls == null ? GitTls.NONE : tls;
    }

    public static GitAuth none() {
        return new GitAuth(null, null, null, null, null, null, null);
    }

    public static GitAuth basic(String username, String password) {
        return new GitAuth(username, password, null, null, null, null, null);
    }

    public static GitAuth bearer(String token) {
        return new GitAuth(null, null, token, null, null, null, null);
    }

    public static GitAuth ssh(byte[] privateKey, String passphrase, String knownHosts) {
        return new GitAuth(null, null, null, privateKey, passphrase, knownHosts, null);
    }

    /** These credentials with {@code tls} for HTTPS. */
    public GitAuth withTls(GitTls tls) {
        return new GitAuth(username, password, bearerToken, privateKey, passphrase, knownHosts, tls);
    }

    /** Whether nothing at all is set: an anonymous remote. */
    public boolean isEmpty() {
        return !hasBasic() && !hasBearer() && privateKey == null && !present(knownHosts) && tls.isEmpty();
    }

    boolean hasBasic() {
        return present(username) || present(password);
    }

    boolean hasBearer() {
        return present(bearerToken);
    }

    static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return "GitAuth[basic=" + hasBasic() + ", bearer=" + hasBearer() + ", sshKey=" + (privateKey != null)
                + ", knownHosts=" + present(knownHosts) + ", " + tls + "]";
    }
}
