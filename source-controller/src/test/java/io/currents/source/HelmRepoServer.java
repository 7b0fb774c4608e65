package io.currents.source;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A static Helm chart repository on 127.0.0.1: serves whatever files the test puts (index.yaml,
 * packaged charts) under {@code /<path>}, optionally behind basic auth, and counts chart downloads.
 */
final class HelmRepoServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger chartDownloads = new AtomicInteger();
    private volatile String expectedAuth;

    private HelmRepoServer(HttpServer server) {
        this.server = server;
    }

    static HelmRepoServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            HelmRepoServer repo = new HelmRepoServer(server);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String auth = repo.expectedAuth;
                    if (auth != null && !auth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"charts\"");
                        exchange.sendResponseHeaders(401, -1);
                        return;
                    }
                    String path = exchange.getRequestURI().getPath().substring(1);
                    byte[] body = repo.files.get(path);
                    if (body == null) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    if (path.endsWith(".tgz")) {
                        repo.chartDownloads.incrementAndGet();
                    }
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository URL, e.g. {@code http://127.0.0.1:1234/charts}. */
    String url(String prefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + prefix;
    }

    HelmRepoServer put(String path, byte[] content) {
        files.put(path, content);
        return this;
    }

    HelmRepoServer put(String path, String content) {
        return put(path, content.getBytes(StandardCharsets.UTF_8));
    }

    byte[] get(String path) {
        return files.get(path);
    }

    HelmRepoServer requireBasicAuth(String username, String password) {
        expectedAuth = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    int chartDownloads() {
        return chartDownloads.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
