package io.currents.testkit;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.currents.testkit.registry.TestCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTPS server on loopback posing as the Kubernetes API server a tenant's kubeconfig points at (with the tenant's
 * own CA, as a kubeconfig may legitimately carry): it records the headers of every request, to prove what a
 * controller sends there, and answers list calls with empty lists and anything else with 404, so that clients go on
 * far enough to show their credentials.
 */
public final class TenantApiServer implements AutoCloseable {

    /** One request as it arrived: method, path and the headers (names in lower case). */
    public record Request(String method, String path, Map<String, List<String>> headers) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    private final HttpsServer server;
    private final String caPem;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private TenantApiServer(HttpsServer server, String caPem) {
        this.server = server;
        this.caPem = caPem;
    }

    public static TenantApiServer start() {
        try {
            TestCertificates.Pair certificates = TestCertificates.caAndServer("127.0.0.1");
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.serving(certificates)));
            TenantApiServer recorder = new TenantApiServer(server, certificates.caCertificatePem());
            server.createContext("/", exchange -> {
                Map<String, List<String>> headers = new java.util.TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
                recorder.requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers));
                exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                boolean list = "GET".equals(exchange.getRequestMethod()) && path.matches("/api/v1/(namespaces/[^/]+/)?[a-z]+");
                String kind = list ? Character.toUpperCase(path.charAt(path.lastIndexOf('/') + 1))
                        + path.substring(path.lastIndexOf('/') + 2, path.length() - 1) + "List" : null;
                byte[] body = (list
                        ? "{\"apiVersion\":\"v1\",\"kind\":\"" + kind + "\",\"metadata\":{},\"items\":[]}"
                        : "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(list ? 200 : 404, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return recorder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code https://127.0.0.1:<port>}. */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The server's CA certificate, base64 of the PEM: a kubeconfig's {@code certificate-authority-data}. */
    public String certificateAuthorityData() {
        return java.util.Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
