package io.currents.kustomization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for notification-controller's event endpoint ({@code events-addr}): every POSTed body is appended as one
 * line to a file named by a system property, because the test profile that starts it and the tests that read it run
 * in different class loaders of the same JVM.
 */
final class EventReceiver {

    private static final String FILE_PROPERTY = "currents.test.kustomize-events-file";
    private static final String ADDRESS_PROPERTY = "currents.test.kustomize-events-addr";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventReceiver() {
    }

    /** Starts the receiver once per JVM and returns its address. */
    static synchronized String address() {
        synchronized (System.class) {
            if (System.getProperty(ADDRESS_PROPERTY) == null) {
                start();
            }
            return System.getProperty(ADDRESS_PROPERTY);
        }
    }

    private static void start() {
        try {
            Path file = Files.createTempFile("kustomize-controller-events", ".jsonl");
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String line = new String(body, StandardCharsets.UTF_8).replace('\n', ' ').replace('\r', ' ') + "\n";
                synchronized (System.class) {
                    Files.writeString(file, line, StandardOpenOption.APPEND);
                }
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
            });
            server.start();
            System.setProperty(FILE_PROPERTY, file.toString());
            System.setProperty(ADDRESS_PROPERTY, "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events received so far. */
    static List<JsonNode> received() {
        String file = System.getProperty(FILE_PROPERTY);
        List<JsonNode> events = new ArrayList<>();
        if (file == null) {
            return events;
        }
        try {
            List<String> lines;
            synchronized (System.class) {
                lines = Files.readAllLines(Path.of(file));
            }
            for (String line : lines) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
