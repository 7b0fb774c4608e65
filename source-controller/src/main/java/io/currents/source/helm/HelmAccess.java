package io.currents.source.helm;

import io.currents.git.GitException;
import io.currents.git.GitTls;


import javax.net.ssl.SSLContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * How to reach one HTTP/S chart repository: its URL, basic-auth credentials (sent to the repository's
 * own host and port, or to any host with {@code passCredentials}), the TLS material of
 * {@code certSecretRef} and the timeout of one request.
 */
public record HelmAccess(String url, String username, String password, boolean passCredentials, SSLContext ssl,
                         Duration timeout) {

    public static HelmAccess anonymous(String url, Duration timeout) {
        return new HelmAccess(url, null, null, false, null, timeout);
    }

    boolean hasCredentials() {
        return username != null && !username.isEmpty();
    }

    /** Whether credentials go along to {@code target}: same scheme, host and port as the repository, or passCredentials. */
    boolean credentialsFor(URI target) {
        if (!hasCredentials()) {
            return false;
        }
        if (passCredentials) {
            return true;
        }
        URI repo = URI.create(url);
        return Objects.equals(repo.getHost(), target.getHost()) && port(repo) == port(target);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    String basicAuthHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + (password == null ? "" : password))
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A TLS context from PEM text: {@code caCrt} to trust (besides nothing else, as Helm does when a CA
     * is given), {@code tlsCrt} + {@code tlsKey} as client certificate. Null when all three are absent.
     *
     * @throws IllegalArgumentException with a message naming the bad key
     */
    public static SSLContext tls(String caCrt, String tlsCrt, String tlsKey) {
        try {
            return new GitTls(caCrt, tlsCrt, tlsKey).sslContext();
        } catch (GitException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
