package io.currents.source.git;

/**
 * Credentials for a Git remote: HTTP basic ({@code username}/{@code password}), an HTTP bearer
 * token, or an SSH private key (PEM or OpenSSH, optionally protected by {@code passphrase}) with the
 * {@code knownHosts} lines the server's host key must match. Never printed: {@link #toString()}
 * only says which kinds are present.
 */
public record GitAuth(String username, String password, String bearerToken, byte[] privateKey, String passphrase,
                      String knownHosts) {

    public static GitAuth none() {
        return new GitAuth(null, null, null, null, null, null);
    }

    public static GitAuth basic(String username, String password) {
        return new GitAuth(username, password, null, null, null, null);
    }

    public static GitAuth bearer(String token) {
        return new GitAuth(null, null, token, null, null, null);
    }

    public static GitAuth ssh(byte[] privateKey, String passphrase, String knownHosts) {
        return new GitAuth(null, null, null, privateKey, passphrase, knownHosts);
    }

    boolean hasBasic() {
        return GitReference.present(username) || GitReference.present(password);
    }

    boolean hasBearer() {
        return GitReference.present(bearerToken);
    }

    @Override
    public String toString() {
        return "GitAuth[basic=" + hasBasic() + ", bearer=" + hasBearer() + ", sshKey=" + (privateKey != null)
                + ", knownHosts=" + GitReference.present(knownHosts) + "]";
    }
}
