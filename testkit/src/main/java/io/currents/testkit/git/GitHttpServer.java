package io.currents.testkit.git;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.currents.testkit.registry.TestCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * Serves the bare repositories under a directory over Git's smart HTTP protocol on 127.0.0.1, by
 * running Git's own {@code git http-backend} as a CGI program for each request; optionally behind
 * HTTP basic authentication and/or a bearer token, over HTTPS, and asking for a client certificate.
 */
public final class GitHttpServer implements AutoCloseable {

    private static final String HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

    private final Path root;
    private final String username;
    private final String password;
    private final String bearerToken;
    private final HttpServer server;
    private final boolean https;
    private final ExecutorService executor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    private GitHttpServer(Builder builder) throws IOException {
        this.root = builder.root.toAbsolutePath();
        this.username = builder.username;
        this.password = builder.password;
        this.bearerToken = builder.bearerToken;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        this.https = builder.tls != null;
        if (https) {
            HttpsServer secure = HttpsServer.create(address, 0);
            SSLContext context = TestCertificates.serving(builder.tls, builder.clientCa);
            boolean needClient = builder.clientCa != null;
            secure.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = context.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(needClient);
                    params.setSSLParameters(parameters);
                }
            });
            this.server = secure;
        } else {
            this.server = HttpServer.create(address, 0);
        }
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "git-http-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server for the repositories under {@code root}, without authentication. */
    public static GitHttpServer start(Path root) {
        return builder(root).start();
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** {@code http://127.0.0.1:<port>}, or {@code https://…} for a server with TLS. */
    public String baseUrl() {
        return (https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The clone URL of a repository created with {@link TestRepo#create(Path, String)} under the root. */
    public String url(TestRepo repo) {
        return baseUrl() + "/" + repo.servedPath();
    }

    /** Every request served so far, as {@code "METHOD /path?query"}: lets tests tell an ls-remote from a fetch. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /**
     * How many upload-pack requests asked for objects so far: a {@code want} line (protocol v0/v1) or
     * {@code command=fetch} (v2). Listing references, whatever the protocol, is not a fetch.
     */
    public int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            String user = authenticate(exchange.getRequestHeaders());
            if (user == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            runBackend(exchange, path, query, user);
        }
    }

    /** The authenticated user name, "" when no authentication is configured, or null when refused. */
    private String authenticate(Headers headers) {
        if (username == null && bearerToken == null) {
            return "";
        }
        String authorization = headers.getFirst("Authorization");
        if (authorization == null) {
            return null;
        }
        if (bearerToken != null && authorization.equals("Bearer " + bearerToken)) {
            return "token";
        }
        if (username != null && authorization.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
            if (decoded.equals(username + ":" + password)) {
                return username;
            }
        }
        return null;
    }

    private void runBackend(HttpExchange exchange, String path, String query, String user) throws IOException {
        ProcessBuilder cgi = new ProcessBuilder(HTTP_BACKEND);
        Map<String, String> env = cgi.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", path);
        env.put("QUERY_STRING", query == null ? "" : query);
        env.put("REMOTE_ADDR", "127.0.0.1");
        if (!user.isEmpty()) {
            env.put("REMOTE_USER", user);
        }
        Headers headers = exchange.getRequestHeaders();
        putIfPresent(env, "CONTENT_TYPE", headers.getFirst("Content-Type"));
        putIfPresent(env, "CONTENT_LENGTH", headers.getFirst("Content-Length"));
        putIfPresent(env, "HTTP_CONTENT_ENCODING", headers.getFirst("Content-Encoding"));
        putIfPresent(env, "HTTP_GIT_PROTOCOL", headers.getFirst("Git-Protocol"));
        Process process = cgi.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (InputStream body = exchange.getRequestBody(); OutputStream stdin = process.getOutputStream()) {
                byte[] bytes = body.readAllBytes();
                if (path.endsWith("/git-upload-pack") && asksForObjects(bytes, headers.getFirst("Content-Encoding"))) {
                    fetches.incrementAndGet();
                }
                stdin.write(bytes);
            } catch (IOException ignored) {
                // the backend may stop reading early (e.g. on an error it reports on stdout)
            }
        });
        try (InputStream stdout = process.getInputStream()) {
            int status = 200;
            String line;
            while (!(line = readHeaderLine(stdout)).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.split(" ")[0]);
                } else {
                    exchange.getResponseHeaders().add(name, value);
                }
            }
            exchange.sendResponseHeaders(status, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                stdout.transferTo(out);
            }
        } finally {
            try {
                feeder.join();
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static boolean asksForObjects(byte[] body, String encoding) throws IOException {
        byte[] plain = "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes() : body;
        String text = new String(plain, StandardCharsets.ISO_8859_1);
        // pkt-lines: four hex digits of length, then the line
        return text.matches("(?s)^[0-9a-f]{4}want .*") || text.contains("command=fetch");
    }

    private static void putIfPresent(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    private static String readHeaderLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Configures authentication before starting. */
    public static final class Builder {
        private final Path root;
        private String username;
        private String password;
        private String bearerToken;
        private TestCertificates.Pair tls;
        private String clientCa;

        private Builder(Path root) {
            this.root = root;
        }

        /** Requires HTTP basic authentication with these credentials. */
        public Builder basicAuth(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** Accepts {@code Authorization: Bearer <token>} (besides basic auth, when that is set too). */
        public Builder bearerToken(String token) {
            this.bearerToken = token;
            return this;
        }

        /** Serves HTTPS with the pair's server certificate (for 127.0.0.1). */
        public Builder tls(TestCertificates.Pair certificates) {
            this.tls = certificates;
            return this;
        }

        /** With {@link #tls}: refuses connections without a client certificate signed by {@code caPem}. */
        public Builder requireClientCertificate(String caPem) {
            this.clientCa = caPem;
            return this;
        }

        public GitHttpServer start() {
            try {
                return new GitHttpServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
