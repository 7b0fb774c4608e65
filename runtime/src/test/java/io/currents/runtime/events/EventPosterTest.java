package io.currents.runtime.events;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Events posted to notification-controller are retried as Flux's recorder retries them, and only then. */
class EventPosterTest {

    private final EventPoster poster = new EventPoster(Duration.ofMillis(20));

    @Test
    void a503IsRetriedUntilAccepted() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = server(exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            return calls.incrementAndGet() < 3 ? 503 : 202;
        });
        try {
            int status = poster.post(address(server), "{\"m\":1}".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            assertThat(status).isEqualTo(202);
            assertThat(bodies).containsExactly("{\"m\":1}", "{\"m\":1}", "{\"m\":1}");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDuplicateOrABadEventIsNotRetriedAndAFailingEndpointIsGivenUpAfterFourRetries() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        int[] answer = {429};
        HttpServer server = server(exchange -> {
            calls.incrementAndGet();
            return answer[0];
        });
        try {
            assertThat(poster.post(address(server), new byte[0]).get(10, TimeUnit.SECONDS)).isEqualTo(429);
            assertThat(calls).hasValue(1);
            answer[0] = 500;
            assertThat(poster.post(address(server), new byte[0]).get(10, TimeUnit.SECONDS)).isEqualTo(500);
            assertThat(calls).hasValue(1 + 1 + EventPoster.RETRIES);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRefusedConnectionIsRetriedUntilTheServerListens() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        var result = poster.post(URI.create("http://127.0.0.1:" + port + "/"), new byte[0]);
        Thread.sleep(50);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
        try {
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(202);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void atMostAThousandFailedPostsWaitForARetryAndThoseBeyondAreGivenUp() throws Exception {
        EventPoster slow = new EventPoster(Duration.ofMinutes(10));
        URI dead = URI.create("http://127.0.0.1:" + freePort() + "/");
        List<java.util.concurrent.CompletableFuture<Integer>> posts = new java.util.ArrayList<>();
        for (int i = 0; i < EventPoster.MAX_WAITING + 5; i++) {
            posts.add(slow.post(dead, new byte[0]));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (posts.stream().filter(java.util.concurrent.CompletableFuture::isDone).count() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200);
        assertThat(posts.stream().filter(java.util.concurrent.CompletableFuture::isDone).toList())
                .as("given up at once: the waiting ones are full").hasSize(5)
                .allSatisfy(p -> assertThat(p.get()).isEqualTo(-1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    private interface Handler {
        int status(com.sun.net.httpserver.HttpExchange exchange) throws IOException;
    }

    private static HttpServer server(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(handler.status(exchange), -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI address(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }
}
