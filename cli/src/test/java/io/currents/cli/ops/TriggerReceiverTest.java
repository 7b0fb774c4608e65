package io.currents.cli.ops;

import com.sun.net.httpserver.HttpServer;
import io.currents.cli.output.ExitCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code trigger receiver}: the request flux's command sends to a Receiver webhook (path, signature, token), checked by
 * a real HTTP server on loopback, and its retries.
 */
class TriggerReceiverTest {

    record Request(String path, Map<String, List<String>> headers, String body) {
    }

    private HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Integer> statuses = new ArrayDeque<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (requests) {
                requests.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
            }
            int status = statuses.isEmpty() ? 200 : statuses.removeFirst();
            byte[] answer = (status == 200 ? "" : "no receiver here").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/base/";
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aGenericHmacReceiverGetsThePayloadSignedWithItsToken() throws Exception {
        String payload = "{\"image\":\"ghcr.io/org/app:v1.0.0\"}";
        Cli.Run r = Cli.run("trigger", "receiver", "my-receiver", "-n", "apps", "--type=generic-hmac", "--token=my-token",
                "--url=" + base(), "--payload=" + payload);
        assertThat(r.code()).as(r.err()).isZero();
        Cli.assertGolden("trigger/receiver-hmac.txt", r.err());
        assertThat(requests).hasSize(1);
        Request request = requests.get(0);
        assertThat(request.path()).isEqualTo("/base/hook/" + sha256("my-token" + "my-receiver" + "apps"));
        assertThat(request.body()).isEqualTo(payload);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("my-token".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(request.headers().get("X-signature")).containsExactly("sha256="
                + HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8))));
        assertThat(request.headers().get("Content-type")).containsExactly("application/json");
    }

    @Test
    void aGenericReceiverIsRetriedWhileItsPathIsNotServedYet() throws Exception {
        statuses.addAll(List.of(404, 503));
        Cli.Run r = Cli.run("trigger", "receiver", "hook", "--token=t", "--url=" + base(), "--retry-delay=10ms");
        assertThat(r.code()).as(r.err()).isZero();
        String url = base() + "hook/" + sha256("t" + "hook" + "currents-system");
        url = url.replace("/base//", "/base/");
        assertThat(r.err()).isEqualTo("► triggering Receiver currents-system/hook\n"
                + "◎ request to " + url + " failed with status 404: no receiver here; retrying in 10ms (1/10)\n"
                + "◎ request to " + url + " failed with status 503: no receiver here; retrying in 10ms (2/10)\n"
                + "✔ Receiver currents-system/hook triggered\n");
        assertThat(requests).hasSize(3).allSatisfy(q -> assertThat(q.headers()).doesNotContainKey("X-signature"));
        assertThat(requests.get(0).body()).isEqualTo("{}");
    }

    @Test
    void aRefusalThatRetryingCannotFixFailsAtOnce() {
        statuses.addAll(List.of(401));
        Cli.Run r = Cli.run("trigger", "receiver", "hook", "--token=t", "--url=" + base(), "--retry-delay=10ms");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).endsWith("failed with status 401: no receiver here\n");
        assertThat(requests).hasSize(1);

        statuses.addAll(List.of(500, 500, 500));
        Cli.Run limited = Cli.run("trigger", "receiver", "hook", "--token=t", "--url=" + base(), "--retry-delay=10ms", "--retries=1");
        assertThat(limited.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(requests).hasSize(3);
    }

    @Test
    void aGenericOidcReceiverGetsTheBearerTokenAndAPathWithoutToken() throws Exception {
        Cli.Run r = Cli.run("trigger", "receiver", "oidc", "-n", "apps", "--type=generic-oidc", "--oidc-token=eyJ.token",
                "--url=" + base().replaceAll("/$", ""));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(requests.get(0).path()).isEqualTo("/base/hook/" + sha256("oidc" + "apps"));
        assertThat(requests.get(0).headers().get("Authorization")).containsExactly("Bearer eyJ.token");
    }

    @Test
    void flagsAreCheckedAsFluxChecksThem() {
        assertRefused("✗ --url is required", "--token=t");
        assertRefused("✗ invalid --type \"github\", must be one of: generic, generic-hmac, generic-oidc", "--url=http://x", "--type=github");
        assertRefused("✗ --token is required for --type=generic", "--url=http://x");
        assertRefused("✗ --oidc-provider, --oidc-token and --oidc-audience can only be set for --type=generic-oidc", "--url=http://x",
                "--token=t", "--oidc-token=x");
        assertRefused("✗ --token must not be set for --type=generic-oidc, the Receiver of this type has no secret", "--url=http://x",
                "--type=generic-oidc", "--token=t");
        assertRefused("✗ --oidc-provider and --oidc-token are mutually exclusive", "--url=http://x", "--type=generic-oidc",
                "--oidc-provider=github", "--oidc-token=x");
        assertRefused("✗ invalid --oidc-provider \"gitlab\", must be one of: github, forgejo", "--url=http://x", "--type=generic-oidc",
                "--oidc-provider=gitlab");
        assertRefused("✗ --oidc-audience can only be set together with --oidc-provider", "--url=http://x", "--type=generic-oidc",
                "--oidc-audience=a");
        assertThat(requests).isEmpty();
    }

    private static void assertRefused(String message, String... flags) {
        String[] args = new String[3 + flags.length];
        System.arraycopy(new String[] {"trigger", "receiver", "r"}, 0, args, 0, 3);
        System.arraycopy(flags, 0, args, 3, flags.length);
        Cli.Run r = Cli.run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo(message + "\n");
    }
}
