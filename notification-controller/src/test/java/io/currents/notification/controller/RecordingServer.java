package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real HTTP(S) server on loopback playing a chat service, an incident tool or a Git host's API: it records every
 * request (method, path, query, headers, body, the client certificate's subject) and answers with a status and body
 * chosen per method and path, or a default.
 */
final class RecordingServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    record Request(String method, String path, String query, Map<String, String> headers, byte[] body, Instant at,
                   String clientCertificate) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The body as a form ({@code application/x-www-form-urlencoded}). */
        Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : text().split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return form;
        }

        /** Method and path with the query, as a log line shows it. */
        String line() {
            return method + " " + path + (query == null ? "" : "?" + query);
        }
    }

    private record Answer(String method, String path, int status, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final boolean https;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String responseBody = "ok";
    private volatile String getBody = "[]";
    private volatile long delayMillis;

    RecordingServer() {
        this(0);
    }

    /** On a fixed port: for the services whose API address is configured on the controller, not on the Provider. */
    RecordingServer(int port) {
        this(port, null, false);
    }

    private RecordingServer(int port, TestCertificates tls, boolean clientAuth) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer s = HttpsServer.create(address, 0);
                s.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext(clientAuth)) {
                    @Override
                    public void configure(HttpsParameters params) {
                        params.setNeedClientAuth(clientAuth);
                    }
                });
                server = s;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.https = tls != null;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** An HTTPS server with the test CA's certificate; with {@code clientAuth}, it demands a client certificate of that CA. */
    static RecordingServer https(TestCertificates tls, boolean clientAuth) {
        return new RecordingServer(0, tls, clientAuth);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> String.join(",", e.getValue()), (a, b) -> a));
        String client = null;
        if (exchange instanceof HttpsExchange secure) {
            try {
                client = secure.getSSLSession().getPeerPrincipal().getName();
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                client = null;
            }
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(), headers, body, Instant.now(), client));
        if (delayMillis > 0) {
            sleep(delayMillis);
        }
        Answer answer = answers.stream().filter(a -> a.method().equals(method) && path.startsWith(a.path())).reduce((a, b) -> b)
                .orElse(null);
        int code;
        byte[] reply;
        if (answer != null) {
            code = answer.status();
            reply = answer.body().getBytes(StandardCharsets.UTF_8);
        } else {
            boolean get = "GET".equals(method);
            code = get ? 200 : status;
            reply = (get ? getBody : responseBody).getBytes(StandardCharsets.UTF_8);
        }
        if (reply.length > 0 && (reply[0] == '{' || reply[0] == '[')) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(code, reply.length == 0 ? -1 : reply.length);
        if (reply.length > 0) {
            exchange.getResponseBody().write(reply);
        }
        exchange.close();
    }

    String url(String path) {
        return (https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Answers requests of this method whose path starts with {@code pathPrefix} (the last matching rule wins). */
    RecordingServer answer(String method, String pathPrefix, int status, String body) {
        answers.add(new Answer(method, pathPrefix, status, body));
        return this;
    }

    void answerWith(int status) {
        this.status = status;
    }

    /** What POST (and other non-GET) requests are answered with by default. */
    void answerWith(int status, String body) {
        this.status = status;
        this.responseBody = body;
    }

    /** Answers only after this long (to exceed a Provider's timeout). */
    void delay(Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    /** What GET requests are answered with (200); {@code []} by default. */
    void answerGetWith(String body) {
        this.getBody = body;
    }

    static boolean isPost(Request r) {
        return "POST".equals(r.method());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits until {@code count} requests matching {@code filter} arrived; returns them. */
    List<Request> await(int count, Predicate<Request> filter, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<Request> matching = requests.stream().filter(filter).toList();
            if (matching.size() >= count) {
                return matching;
            }
            sleep(50);
        }
        throw new AssertionError("expected " + count + " request(s) within " + timeout + ", got " + requests.stream().filter(filter).count()
                + " of " + requests.size() + ": " + requests.stream().map(Request::line).toList());
    }

    Request awaitOne(Duration timeout) {
        return await(1, r -> true, timeout).get(0);
    }

    /** Waits for one request with this method and path (query excluded). */
    Request await(String method, String path) {
        return await(1, r -> r.method().equals(method) && r.path().equals(path), NotificationScenario.TIMEOUT).get(0);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
