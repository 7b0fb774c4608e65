package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real HTTP server on loopback playing Slack, Teams, a webhook or the GitHub API: it records every request and
 * answers with a configurable status code.
 */
final class RecordingServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    record Request(String method, String path, Map<String, String> headers, byte[] body, Instant at) {
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
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String responseBody = "ok";
    private volatile String getBody = "[]";
    private volatile long delayMillis;

    RecordingServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> String.join(",", e.getValue()), (a, b) -> a));
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body, Instant.now()));
            if (delayMillis > 0) {
                sleep(delayMillis);
            }
            boolean get = "GET".equals(exchange.getRequestMethod());
            byte[] answer = (get ? getBody : responseBody).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(get ? 200 : status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void answerWith(int status) {
        this.status = status;
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
                + " of " + requests.size() + ": " + requests.stream().map(r -> r.method() + " " + r.path()).toList());
    }

    Request awaitOne(Duration timeout) {
        return await(1, r -> true, timeout).get(0);
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
    }
}
