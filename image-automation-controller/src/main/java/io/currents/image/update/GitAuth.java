package io.currents.image.update;

/**
 * Credentials for the Git remote, read from the GitRepository's Secret with Flux's keys: HTTP basic
 * ({@code username}/{@code password}), a bearer token ({@code bearerToken}), or an SSH key
 * ({@code identity}, passphrase in {@code password}) with {@code known_hosts}. Never printed.
 */
public record GitAuth(String username, String password, String bearerToken, byte[] identity, String passphrase, String knownHosts) {

    public static GitAuth none() {
        return new GitAuth(null, null, null, null, null, null);
    }

    boolean hasBasic() {
        return present(username) || present(password);
    }

    static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    @Override
    public String toString() {
        return "GitAuth[basic=" + hasBasic() + ", bearer=" + present(bearerToken) + ", sshKey=" + (identity != null) + "]";
    }
}
