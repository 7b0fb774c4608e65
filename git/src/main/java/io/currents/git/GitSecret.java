package io.currents.git;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The layout of Flux's Git Secrets, read and written in one place: a GitRepository's
 * {@code secretRef} ({@code username}, {@code password}, {@code bearerToken}, {@code identity},
 * {@code identity.pub}, {@code known_hosts}, {@code ca.crt} or the older {@code caFile},
 * {@code tls.crt}, {@code tls.key}) and its {@code proxySecretRef} ({@code address},
 * {@code username}, {@code password}). Values are the Secret's decoded data.
 */
public final class GitSecret {

    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String BEARER_TOKEN = "bearerToken";
    public static final String IDENTITY = "identity";
    public static final String IDENTITY_PUB = "identity.pub";
    public static final String KNOWN_HOSTS = "known_hosts";
    public static final String CA_CRT = "ca.crt";
    public static final String CA_FILE = "caFile";
    public static final String TLS_CRT = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    public static final String PROXY_ADDRESS = "address";

    private GitSecret() {
    }

    /**
     * The credentials a Secret gives for {@code url}, with Flux's rules: for SSH the key, its
     * passphrase (in {@code password}) and known_hosts; for HTTP(S) a bearer token when there is one,
     * else basic authentication (falling back to the URL's user-info), plus the TLS keys.
     *
     * @param secret names the Secret in messages, e.g. {@code "secret 'ns/name'"}
     * @throws GitException {@code AuthenticationFailed} when a required key is missing
     */
    public static GitAuth auth(String url, Map<String, String> data, String secret) throws GitException {
        if (GitUrl.isSsh(url)) {
            if (!GitAuth.present(data.get(IDENTITY))) {
                throw new GitException(GitException.AUTHENTICATION_FAILED,
                        secret + " has no '" + IDENTITY + "' key for SSH authentication");
            }
            return GitAuth.ssh(data.get(IDENTITY).getBytes(StandardCharsets.UTF_8), data.get(PASSWORD), data.get(KNOWN_HOSTS));
        }
        String ca = GitAuth.present(data.get(CA_CRT)) ? data.get(CA_CRT) : data.get(CA_FILE);
        GitTls tls = new GitTls(ca, data.get(TLS_CRT), data.get(TLS_KEY));
        if (data.containsKey(BEARER_TOKEN)) {
            return GitAuth.bearer(data.get(BEARER_TOKEN)).withTls(tls);
        }
        String username = data.get(USERNAME);
        String password = data.get(PASSWORD);
        if (!GitAuth.present(username) && GitAuth.present(password)) {
            throw new GitException(GitException.AUTHENTICATION_FAILED, secret + " has a '" + PASSWORD
                    + "' but no '" + USERNAME + "': basic authentication needs both");
        }
        return GitAuth.basic(username, password).withTls(tls);
    }

    /**
     * The proxy a {@code proxySecretRef} Secret describes.
     *
     * @throws GitException {@code GitOperationFailed} when {@code address} is missing
     */
    public static GitProxy proxy(Map<String, String> data, String secret) throws GitException {
        String address = data.get(PROXY_ADDRESS);
        if (!GitAuth.present(address)) {
            throw new GitException(GitException.GIT_OPERATION_FAILED,
                    "invalid proxy " + secret + ": key '" + PROXY_ADDRESS + "' is missing");
        }
        return new GitProxy(address, data.get(USERNAME), data.get(PASSWORD));
    }

    /**
     * The Secret data for {@code auth}, as {@code flux create secret git} and {@code flux bootstrap}
     * write it: for an SSH key also its public half ({@code publicKeyLine}, may be null).
     */
    public static Map<String, String> data(GitAuth auth, String publicKeyLine) {
        Map<String, String> data = new LinkedHashMap<>();
        if (auth.privateKey() != null) {
            data.put(IDENTITY, new String(auth.privateKey(), StandardCharsets.UTF_8));
            if (publicKeyLine != null) {
                data.put(IDENTITY_PUB, publicKeyLine.endsWith("\n") ? publicKeyLine : publicKeyLine + "\n");
            }
            if (auth.knownHosts() != null) {
                data.put(KNOWN_HOSTS, auth.knownHosts());
            }
            putIfSet(data, PASSWORD, auth.passphrase());
        } else {
            putIfSet(data, USERNAME, auth.username());
            putIfSet(data, PASSWORD, auth.password());
        }
        putIfSet(data, BEARER_TOKEN, auth.bearerToken());
        putIfSet(data, CA_CRT, auth.tls().caCertificates());
        putIfSet(data, TLS_CRT, auth.tls().clientCertificate());
        putIfSet(data, TLS_KEY, auth.tls().clientKey());
        return data;
    }

    private static void putIfSet(Map<String, String> data, String key, String value) {
        if (value != null) {
            data.put(key, value);
        }
    }
}
