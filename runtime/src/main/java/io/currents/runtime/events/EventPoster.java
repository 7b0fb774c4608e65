package io.currents.runtime.events;

import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Posts event JSON to notification-controller without blocking the caller, retrying as Flux's event recorder does
 * (its retrying HTTP client): on a connection error, a timeout or a 5xx answer but 501, {@value #RETRIES} more times after
 * 1s, 2s, 4s and 8s. So an event refused while notification-controller restarts or while its spool is full (503) still
 * arrives; any other answer (202, 400, 429 for a duplicate) is final.
 */
final class EventPoster {

    static final int RETRIES = 4;
    private static final Logger LOG = Logger.getLogger(EventPoster.class);

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
            if (retry && attempt < RETRIES) {
                long wait = firstBackoff.toMillis() << attempt;
                CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS).execute(() -> attempt(request, attempt + 1, done));
                return;
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
