package io.currents.source;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stands in for notification-controller's event endpoint: records every POSTed body, one JSON
 * document per line, in a file named by the system property {@code currents.test.events-file}
 * (the test resource and the tests run in different class loaders, a file is what they share).
 */
final class EventSink {

    private final HttpServer server;
    private final Path file;

    private EventSink(HttpServer server, Path file) {
        this.server = server;
        this.file = file;
    }

    static EventSink start() {
        try {
            Path file = Files.createTempFile("currents-events", ".jsonl");
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String line = new String(body, StandardCharsets.UTF_8).replace('\n', ' ') + "\n";
                synchronized (EventSink.class) {
                    Files.writeString(file, line, StandardOpenOption.APPEND);
                }
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
            });
            server.start();
            System.setProperty("currents.test.events-file", file.toString());
            return new EventSink(server, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The events received so far, as JSON text lines. */
    static java.util.List<String> received() throws IOException {
        return Files.readAllLines(Path.of(System.getProperty("currents.test.events-file")));
    }
}
