package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.PubsubMessage;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Pub/Sub server on loopback for the {@code googlepubsub} provider: Google's Pub/Sub emulator when it is installed
 * (the {@code google-cloud-cli-pubsub-emulator} package: the real service's behaviour, topics checked, messages pulled
 * back through its REST API), else a stand-in — a gRPC server implementing the Publisher service's {@code Publish}
 * call, which records what it receives and refuses unknown topics as the service does ({@code -Dcurrents.pubsub.standin=true}
 * picks it even where the emulator is installed).
 */
abstract class PubSubServer implements AutoCloseable {

    static final Path EMULATOR = Path.of("/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator");

    /** A message as the subscriber gets it. */
    record Published(byte[] data, Map<String, String> attributes) {
    }

    static PubSubServer start(int port) throws Exception {
        return Files.isExecutable(EMULATOR) && !Boolean.getBoolean("currents.pubsub.standin") ? new Emulator(port) : new StandIn(port);
    }

    abstract void createTopic(String project, String topic) throws Exception;

    abstract Published awaitMessage(String project, String topic, Duration timeout) throws Exception;

    /** Google's emulator as a process; a subscription per topic collects what is published. */
    static final class Emulator extends PubSubServer {
        private final Process process;
        private final String base;
        private final HttpClient http = HttpClient.newHttpClient();

        Emulator(int port) throws Exception {
            Path log = Files.createTempFile("pubsub-emulator", ".log");
            process = new ProcessBuilder(EMULATOR.toString(), "--host=127.0.0.1", "--port=" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            base = "http://127.0.0.1:" + port + "/v1/projects/";
            NotificationScenario.await(() -> {
                try {
                    return Files.readString(log).contains("Server started");
                } catch (IOException e) {
                    return false;
                }
            }, "the Pub/Sub emulator to start");
        }

        private JsonNode call(String method, String path, String body) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
            }
            return NotificationScenario.JSON.readTree(response.body());
        }

        @Override
        void createTopic(String project, String topic) throws Exception {
            call("PUT", project + "/topics/" + topic, "");
            call("PUT", project + "/subscriptions/" + topic + "-test",
                    "{\"topic\":\"projects/" + project + "/topics/" + topic + "\"}");
        }

        @Override
        Published awaitMessage(String project, String topic, Duration timeout) throws Exception {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                JsonNode pulled = call("POST", project + "/subscriptions/" + topic + "-test:pull",
                        "{\"maxMessages\":1,\"returnImmediately\":true}");
                JsonNode received = pulled.path("receivedMessages");
                if (received.size() > 0) {
                    JsonNode message = received.get(0).path("message");
                    Map<String, String> attributes = new java.util.LinkedHashMap<>();
                    message.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
                    return new Published(Base64.getDecoder().decode(message.path("data").asText()), attributes);
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no message on projects/" + project + "/topics/" + topic + " within " + timeout);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The stand-in: Pub/Sub's Publisher gRPC service, Publish only. */
    static final class StandIn extends PubSubServer {
        private final Server server;
        private final Map<String, List<Published>> topics = new ConcurrentHashMap<>();

        StandIn(int port) throws IOException {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(new PublisherGrpc.PublisherImplBase() {
                        @Override
                        public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
                            List<Published> messages = topics.get(request.getTopic());
                            if (messages == null) {
                                response.onError(Status.NOT_FOUND.withDescription("Topic not found").asRuntimeException());
                                return;
                            }
                            PublishResponse.Builder ids = PublishResponse.newBuilder();
                            for (PubsubMessage m : request.getMessagesList()) {
                                messages.add(new Published(m.getData().toByteArray(), Map.copyOf(m.getAttributesMap())));
                                ids.addMessageIds(Integer.toString(messages.size()));
                            }
                            response.onNext(ids.build());
                            response.onCompleted();
                        }
                    }).build().start();
        }

        @Override
        void createTopic(String project, String topic) {
            topics.put("projects/" + project + "/topics/" + topic, new CopyOnWriteArrayList<>());
        }

        @Override
        Published awaitMessage(String project, String topic, Duration timeout) throws Exception {
            List<Published> messages = topics.get("projects/" + project + "/topics/" + topic);
            NotificationScenario.await(() -> !messages.isEmpty(), "a message on " + topic);
            return messages.get(0);
        }

        @Override
        public void close() {
            server.shutdownNow();
        }
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
