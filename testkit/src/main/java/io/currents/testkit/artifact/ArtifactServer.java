package io.currents.testkit.artifact;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves tar.gz artifacts over HTTP on 127.0.0.1 the way source-controller's storage does, so consumers
 * (kustomize-controller, helm-controller) can be tested without a running source-controller.
 */
public final class ArtifactServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger downloads = new AtomicInteger();

    private ArtifactServer(HttpServer server) {
        this.server = server;
    }

    /** Starts a server on a free loopback port. */
    public static ArtifactServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ArtifactServer artifacts = new ArtifactServer(http);
            http.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = artifacts.files.get(exchange.getRequestURI().getPath());
                    if (body == null) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    artifacts.downloads.incrementAndGet();
                    exchange.getResponseHeaders().add("Content-Type", "application/x-gzip");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            http.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "artifact-server");
                t.setDaemon(true);
                return t;
            }));
            http.start();
            return artifacts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Publishes a tar.gz of {@code files} at {@code path} (e.g. {@code gitrepository/ns/name/abc.tar.gz}). */
    public PublishedArtifact publish(String path, String revision, Map<String, String> files) {
        return publishBytes(path, revision, Tarball.of(files));
    }

    /** Publishes raw bytes as an artifact; the digest is computed from them. */
    public PublishedArtifact publishBytes(String path, String revision, byte[] tarGz) {
        String normalized = path.startsWith("/") ? path.substring(1) : path;
        files.put("/" + normalized, tarGz);
        return new PublishedArtifact(normalized, url() + "/" + normalized, revision, "sha256:" + sha256(tarGz),
                tarGz.length, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** Removes an artifact, so downloads answer 404. */
    public void remove(String path) {
        files.remove("/" + (path.startsWith("/") ? path.substring(1) : path));
    }

    /** How many artifacts were served so far. */
    public int downloads() {
        return downloads.get();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
