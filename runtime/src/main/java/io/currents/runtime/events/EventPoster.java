package io.currents.runtime.events;

import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Posts event JSON to notification-controller without blocking the caller, retrying what Flux's event recorder retries
 * (a connection error, a timeout, a 5xx answer but 501) with the same doubling backoff from 1s, but for longer: up to
 * {@value #RETRIES} retries, waits capped at 30s, about two minutes in all where Flux's four retries cover 15s. So an
 * event posted while notification-controller restarts (a container restart takes longer than 15s) or while its spool is
 * full (503) still arrives. Any other answer (202, 400, 429 for a duplicate) is final. At most {@value #MAX_WAITING}
 * posts wait for a retry at once; past that a failed post is given up, so an endpoint down for long costs bounded memory.
 */
final class EventPoster {

    static final int RETRIES = 8;
    static final int MAX_WAITING = 1000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(EventPoster.class);
    private final AtomicInteger waiting = new AtomicInteger();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration firstBackoff;

    EventPoster(Duration firstBackoff) {
        this.firstBackoff = firstBackoff;
    }

    /** Sends the body; the returned future completes with the last status (or -1 when never answered). */
    CompletableFuture<Integer> post(URI address, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(address)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        attempt(request, 0, done);
        return done;
    }

    private void attempt(HttpRequest request, int attempt, CompletableFuture<Integer> done) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            int status = error == null ? response.statusCode() : -1;
            boolean retry = error != null || (status >= 500 && status != 501);
            if (retry && attempt < RETRIES && waiting.incrementAndGet() <= MAX_WAITING) {
                long wait = Math.min(firstBackoff.toMillis() << attempt, MAX_BACKOFF.toMillis());
                CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS).execute(() -> {
                    waiting.decrementAndGet();
                    attempt(request, attempt + 1, done);
                });
                return;
            }
            if (retry && attempt < RETRIES) {
                waiting.decrementAndGet();
            }
            if (error != null) {
                LOG.debugf("could not post event to %s: %s", request.uri(), error.getMessage());
            } else if (status >= 300) {
                LOG.debugf("events address %s answered %d", request.uri(), status);
            }
            done.complete(status);
        });
    }
}
