package io.currents.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An HTTPS reverse proxy in front of the local kube-apiserver that injects API faults: answers with an error status
 * (429 with {@code Retry-After}, 500) or delays requests that match a rule, and records every request so a test can
 * count them. It serves with the API server's own certificate, so a client of the API server's kubeconfig accepts it
 * (the {@link TcpProxy} in front of the API server is pointed at it), and forwards with the admin client certificate.
 */
final class FaultyApiServer implements AutoCloseable {

    /** A request as it arrived. */
    record Request(Instant at, String method, String path, String query) {
    }

    /** What to do with the requests that match: answer {@code status} (0: forward) after {@code delay}. */
    record Fault(Predicate<Request> matches, int status, Duration delay) {
    }

    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");

    private final HttpsServer server;
    private final HttpClient upstream;
    private final URI target;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Fault fault;

    private FaultyApiServer(HttpsServer server, HttpClient upstream, URI target) {
        this.server = server;
        this.upstream = upstream;
        this.target = target;
    }

    /** Starts in front of the API server at {@code https://127.0.0.1:<port>} with kube-api-test's files in {@code dir}. */
    static FaultyApiServer start(int apiServerPort, Path dir) {
        try {
            Certificate apiCert = certificate(dir.resolve("apiserver.crt"));
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setHttpsConfigurator(new HttpsConfigurator(context(apiCert, key(dir.resolve("apiserver.key")), null)));
            SSLContext client = context(certificate(dir.resolve("client.crt")), key(dir.resolve("client.key")), apiCert);
            HttpClient upstream = HttpClient.newBuilder().sslContext(client).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            FaultyApiServer proxy = new FaultyApiServer(server, upstream, URI.create("https://127.0.0.1:" + apiServerPort));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", proxy::handle);
            server.start();
            return proxy;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the faulty API server proxy", e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Applies {@code fault} to the matching requests from now on; {@code null} forwards everything. */
    void inject(Fault fault) {
        this.fault = fault;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Request request = new Request(Instant.now(), exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery());
            requests.add(request);
            byte[] body = exchange.getRequestBody().readAllBytes();
            Fault f = fault;
            if (f != null && f.matches().test(request)) {
                if (!f.delay().isZero()) {
                    Thread.sleep(f.delay().toMillis());
                }
                if (f.status() > 0) {
                    byte[] status = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + f.status()
                            + ",\"reason\":\"" + (f.status() == 429 ? "TooManyRequests" : "InternalError") + "\",\"message\":\"injected by the fault suite\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    if (f.status() == 429) {
                        exchange.getResponseHeaders().add("Retry-After", "1");
                    }
                    exchange.sendResponseHeaders(f.status(), status.length);
                    exchange.getResponseBody().write(status);
                    return;
                }
            }
            forward(exchange, uri, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange, URI uri, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target.resolve(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = upstream.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        long length = response.headers().firstValueAsLong("content-length").orElse(0);
        exchange.sendResponseHeaders(response.statusCode(), length == 0 && isEmpty(response) ? -1 : length);
        // streamed as it comes: a watch is one long response
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private static boolean isEmpty(HttpResponse<InputStream> response) {
        return response.statusCode() == 204 || response.statusCode() == 304
                || response.headers().firstValueAsLong("content-length").orElse(-1) == 0;
    }

    private static Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey key(Path pem) throws IOException {
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return parsed instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) parsed);
        }
    }

    private static SSLContext context(Certificate cert, PrivateKey key, Certificate trusted) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("key", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        TrustManagerFactory tmf = null;
        if (trusted != null) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted);
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
