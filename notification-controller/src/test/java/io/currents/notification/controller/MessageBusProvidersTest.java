package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.NKey;
import io.nats.client.Subscription;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static io.currents.notification.controller.NotificationScenario.ref;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message-bus providers publish the event JSON with the vendors' clients: NATS to a real {@code nats-server}
 * (username/password and NKey authentication), Google Pub/Sub to Google's Pub/Sub emulator where it is installed (else
 * to {@link PubSubServer.StandIn}, a gRPC server implementing Publish).
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class MessageBusProvidersTest {

    @Inject
    NotificationObjects objects;

    @Test
    void natsReceivesTheEventFromAUserWithPasswordAndFromAnNKey() throws Exception {
        NKey nkey = NKey.createUser(null);
        String seed = new String(nkey.getSeed());
        String publicKey = new String(nkey.getPublicKey());
        try (NatsServer nats = NatsServer.start("authorization {\n  users = [\n    {user: flux, password: s3cret}\n    {nkey: "
                + publicKey + "}\n  ]\n}\n");
             Connection subscriber = Nats.connect(new io.nats.client.Options.Builder().server(nats.url()).userInfo("flux", "s3cret").build())) {
            Subscription subscription = subscriber.subscribe("flux.events");
            subscriber.flush(Duration.ofSeconds(5));
            NotificationScenario s = new NotificationScenario("nats", objects);
            s.secret("nats-user", Map.of("username", "flux", "password", "s3cret"));
            s.secret("nats-nkey", Map.of("nkey", seed));
            s.secret("nats-wrong", Map.of("username", "flux", "password", "wrong"));
            s.route("user", Notifiers.NATS, nats.url(), spec -> {
                spec.setChannel("flux.events");
                spec.setSecretRef(ref("nats-user"));
            });
            s.route("nkey", Notifiers.NATS, nats.url(), spec -> {
                spec.setChannel("flux.events");
                spec.setSecretRef(ref("nats-nkey"));
            });
            s.route("wrong", Notifiers.NATS, nats.url(), spec -> {
                spec.setChannel("flux.events");
                spec.setSecretRef(ref("nats-wrong"));
            });

            s.post(s.event("Kustomization", "apps", "info", "ReconciliationSucceeded", "published to NATS", Map.of("revision", "main@sha1:abc")));

            for (int i = 0; i < 2; i++) {
                Message message = subscription.nextMessage(NotificationScenario.TIMEOUT);
                assertThat(message).as("message " + (i + 1) + " of 2").isNotNull();
                JsonNode event = NotificationScenario.JSON.readTree(message.getData());
                assertThat(event.path("message").asText()).isEqualTo("published to NATS");
                assertThat(event.path("involvedObject").path("name").asText()).isEqualTo("apps");
            }
            assertThat(s.awaitWarning("wrong", "NotificationDispatchFailed").get(0).getMessage()).contains("error connecting to server")
                    .doesNotContain("wrong");
            assertThat(subscription.nextMessage(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void googlePubSubReceivesTheEventWithTheHeadersAsAttributes() throws Exception {
        try (PubSubServer pubsub = PubSubServer.start(NotificationControllerTestResource.PUBSUB_PORT)) {
            pubsub.createTopic("flux-project", "flux-events");
            NotificationScenario s = new NotificationScenario("pubsub", objects);
            s.secret("pubsub", Map.of("headers", "team: platform\ncluster: prod-eu\n"));
            s.route("pubsub", Notifiers.GOOGLE_PUBSUB, "flux-project", spec -> {
                spec.setChannel("flux-events");
                spec.setSecretRef(ref("pubsub"));
            });

            s.post(s.event("Kustomization", "apps", "error", "HealthCheckFailed", "published to Pub/Sub", Map.of("revision", "main@sha1:abc")));

            PubSubServer.Published message = pubsub.awaitMessage("flux-project", "flux-events", NotificationScenario.TIMEOUT);
            JsonNode event = NotificationScenario.JSON.readTree(message.data());
            assertThat(event.path("message").asText()).isEqualTo("published to Pub/Sub");
            assertThat(event.path("severity").asText()).isEqualTo("error");
            assertThat(message.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "platform", "cluster", "prod-eu"));
        }
    }

    /** A nats-server process (Debian's package) on a free loopback port with the given authorization block. */
    static final class NatsServer implements AutoCloseable {
        private final Process process;
        private final int port;

        private NatsServer(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static NatsServer start(String config) throws Exception {
            int port = io.currents.testkit.ControlPlane.freePort();
            Path conf = Files.createTempFile("nats", ".conf");
            Files.writeString(conf, "listen: 127.0.0.1:" + port + "\n" + config);
            Path log = Files.createTempFile("nats", ".log");
            Process process = new ProcessBuilder(binary(), "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            NatsServer server = new NatsServer(process, port);
            NotificationScenario.await(() -> {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (java.io.IOException e) {
                    return !process.isAlive() && fail(log);
                }
            }, "nats-server listening on " + port);
            return server;
        }

        private static boolean fail(Path log) {
            try {
                throw new AssertionError("nats-server exited: " + Files.readString(log));
            } catch (java.io.IOException e) {
                throw new AssertionError("nats-server exited");
            }
        }

        private static String binary() {
            for (String candidate : new String[]{"/usr/sbin/nats-server", "/usr/bin/nats-server"}) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return candidate;
                }
            }
            throw new AssertionError("nats-server is not installed: run hack/install-test-deps.sh");
        }

        String url() {
            return "nats://127.0.0.1:" + port;
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
