package io.currents.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A team's webhook on 127.0.0.1: records the JSON bodies a generic Provider POSTs to it. */
final class WebhookRecorder implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Map<?, ?>> events = new CopyOnWriteArrayList<>();

    private WebhookRecorder(HttpServer server) {
        this.server = server;
    }

    static WebhookRecorder start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookRecorder recorder = new WebhookRecorder(server);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    if ("POST".equals(exchange.getRequestMethod())) {
                        recorder.events.add(JSON.readValue(body, Map.class));
                    }
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return recorder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    List<Map<?, ?>> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
