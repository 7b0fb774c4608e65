package io.currents.notification.controller;

import javax.net.ssl.SSLContext;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP clients notifications are sent with, one per distinct (proxy, TLS material, connect timeout), kept and
 * reused: a client owns a selector thread and a connection pool, so making one per notification would cost a thread
 * start and a TLS handshake each time, which a flood of events cannot afford. The least recently used is shut down
 * when more than {@link #MAX_CLIENTS} settings are in use.
 */
final class HttpClients {

    static final int MAX_CLIENTS = 64;

    static {
        // Go's proxy support sends Basic credentials on CONNECT; the JDK refuses to unless this scheme is allowed. Set
        // in jvm.options too: it is read when the JDK's HTTP client is first used.
        if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
            System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        }
    }

    private record Key(String proxy, String proxyUser, int proxyPasswordHash, String tls, Duration connectTimeout, boolean redirects) {
    }

    private static final Map<Key, HttpClient> CLIENTS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, HttpClient> eldest) {
            if (size() > MAX_CLIENTS) {
                eldest.getValue().shutdown();
                return true;
            }
            return false;
        }
    };

    private HttpClients() {
    }

    static HttpClient forSettings(ProviderSettings settings, boolean followRedirects) throws DispatchException {
        ProviderSettings.ProxyTarget proxy = settings.proxy();
        ProviderTls tls = settings.tls();
        Key key = new Key(proxy == null ? null : proxy.uri().toString(), proxy == null ? null : proxy.username(),
                proxy == null ? 0 : Objects.hashCode(proxy.password()), tls == null ? null : tls.fingerprint(), settings.timeout(),
                followRedirects);
        synchronized (CLIENTS) {
            HttpClient client = CLIENTS.get(key);
            if (client != null) {
                return client;
            }
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(followRedirects ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
        if (proxy != null) {
            builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.uri().getHost(), proxy.uri().getPort())));
            if (proxy.username() != null) {
                builder.authenticator(new ProxyCredentials(proxy.username(), proxy.password()));
            }
        }
        if (tls != null) {
            SSLContext context = tls.sslContext();
            builder.sslContext(context);
        }
        HttpClient client = builder.build();
        synchronized (CLIENTS) {
            HttpClient raced = CLIENTS.putIfAbsent(key, client);
            if (raced != null) {
                client.shutdown();
                return raced;
            }
            return client;
        }
    }

    /** Answers only the proxy's challenge: a server's 401 never gets the proxy's credentials. */
    private static final class ProxyCredentials extends Authenticator {
        private final String username;
        private final String password;

        ProxyCredentials(String username, String password) {
            this.username = username;
            this.password = password;
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            if (getRequestorType() != RequestorType.PROXY) {
                return null;
            }
            return new PasswordAuthentication(username, (password == null ? "" : password).toCharArray());
        }
    }
}
