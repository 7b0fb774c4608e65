package io.currents.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The local control plane's webhook token authenticator ({@code --authentication-token-webhook-config-file}): the API
 * server sends it the bearer tokens it does not know itself (TokenReview), and it asks the authenticators tests
 * registered — a fake cloud deciding whether an EKS, GKE or AKS token it issued names one of its identities — so that
 * the real API server accepts exactly the tokens a managed cluster would. Unknown tokens are not authenticated.
 */
public final class TokenWebhook implements AutoCloseable {

    /** Who a token authenticates as: a Kubernetes user name and groups. */
    public record User(String username, List<String> groups) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Function<String, Optional<User>>> AUTHENTICATORS = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final Path config;

    private TokenWebhook(HttpServer server, Path config) {
        this.server = server;
        this.config = config;
    }

    /** Lets this authenticator decide about tokens until the returned handle is closed. */
    public static AutoCloseable register(Function<String, Optional<User>> authenticator) {
        AUTHENTICATORS.add(authenticator);
        return () -> AUTHENTICATORS.remove(authenticator);
    }

    /** Starts the webhook on loopback and writes the kubeconfig the API server reads it from into {@code dir}. */
    static TokenWebhook start(Path dir) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/authenticate", TokenWebhook::review);
            server.start();
            Path config = dir.resolve("token-webhook.kubeconfig");
            Files.writeString(config, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: fake-clouds
                        cluster:
                          server: http://127.0.0.1:%d/authenticate
                    users:
                      - name: kube-apiserver
                        user: {}
                    contexts:
                      - name: webhook
                        context: {cluster: fake-clouds, user: kube-apiserver}
                    current-context: webhook
                    """.formatted(server.getAddress().getPort()));
            return new TokenWebhook(server, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kubeconfig file for {@code --authentication-token-webhook-config-file}. */
    Path config() {
        return config;
    }

    private static void review(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode review = JSON.readTree(exchange.getRequestBody());
            String token = review.path("spec").path("token").asText("");
            Optional<User> user = Optional.empty();
            for (Function<String, Optional<User>> authenticator : AUTHENTICATORS) {
                user = authenticator.apply(token);
                if (user.isPresent()) {
                    break;
                }
            }
            ObjectNode answer = JSON.createObjectNode();
            answer.put("apiVersion", review.path("apiVersion").asText("authentication.k8s.io/v1beta1"));
            answer.put("kind", "TokenReview");
            ObjectNode status = answer.putObject("status");
            status.put("authenticated", user.isPresent());
            user.ifPresent(u -> {
                ObjectNode node = status.putObject("user");
                node.put("username", u.username());
                u.groups().forEach(node.putArray("groups")::add);
            });
            byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
