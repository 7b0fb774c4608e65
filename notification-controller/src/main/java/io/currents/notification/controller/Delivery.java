package io.currents.notification.controller;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Sends HTTP requests for one notification: through the Provider's proxy, trusting its CA, each attempt bounded by the
 * Provider's timeout, and retried with exponential backoff on connection errors, timeouts, 429 and 5xx (as Flux's
 * retrying HTTP client does); other answers and TLS failures are final.
 */
final class Delivery {

    private final ProviderSettings settings;
    private final int retries;
    private final Duration backoff;
    private final HttpClient http;

    Delivery(ProviderSettings settings, int retries, Duration backoff) throws DispatchException {
        this.settings = settings;
        this.retries = retries;
        this.backoff = backoff;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NORMAL);
        if (settings.proxy() != null) {
            try {
                URI proxy = URI.create(settings.proxy());
                int port = proxy.getPort() > 0 ? proxy.getPort() : ("https".equals(proxy.getScheme()) ? 443 : 80);
                builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), port)));
            } catch (IllegalArgumentException e) {
                throw new DispatchException("invalid proxy URL");
            }
        }
        if (settings.caCertificate() != null) {
            builder.sslContext(sslContext(settings.caCertificate()));
        }
        this.http = builder.build();
    }

    /** A JSON POST with the Provider's extra headers. */
    HttpRequest.Builder post(URI uri, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::setHeader);
        return request;
    }

    /** A GET with the Provider's extra headers. */
    HttpRequest.Builder get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET();
        headers.forEach(request::setHeader);
        return request;
    }

    static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Sends with retries; returns the final answer when it is 2xx, fails otherwise. */
    HttpResponse<String> send(HttpRequest request) throws DispatchException, InterruptedException {
        // scheme and host only: webhook paths (Slack, Discord, Teams) carry credentials
        String target = request.uri().getScheme() + "://" + request.uri().getHost()
                + (request.uri().getPort() > 0 ? ":" + request.uri().getPort() : "");
        String last = null;
        Duration wait = backoff;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait.multipliedBy(2);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int code = response.statusCode();
                if (code >= 200 && code < 300) {
                    return response;
                }
                last = request.method() + " " + target + " failed with status code " + code;
                if (code != 429 && code < 500) {
                    throw new DispatchException(last);
                }
            } catch (javax.net.ssl.SSLException e) {
                // a certificate the provider's CA does not vouch for will not change on a retry
                throw new DispatchException(request.method() + " " + target + " failed: TLS: " + e.getMessage());
            } catch (HttpTimeoutException e) {
                last = request.method() + " " + target + " timed out after " + settings.timeout().toSeconds() + "s";
            } catch (IOException e) {
                last = request.method() + " " + target + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        throw new DispatchException(last + " (giving up after " + (retries + 1) + " attempts)", true);
    }

    private static SSLContext sslContext(byte[] pem) throws DispatchException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new DispatchException("invalid 'ca.crt' in certSecretRef: no PEM certificate found");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new DispatchException("invalid 'ca.crt' in certSecretRef: " + e.getMessage());
        }
    }
}
