package io.currents.notification.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * Sends the HTTP requests of one notification: through the Provider's proxy, with its TLS material, each attempt
 * bounded by the Provider's timeout, and retried with exponential backoff on connection errors, timeouts, 429 and 5xx
 * (as Flux's retrying HTTP client does); other answers and TLS failures are final. Answers are read up to
 * {@link #MAX_ANSWER} bytes: a hostile endpoint cannot make the controller buffer more.
 */
final class Delivery {

    static final int MAX_ANSWER = 1024 * 1024;

    private final ProviderSettings settings;
    private final int retries;
    private final Duration backoff;
    private final HttpClient http;
    private final Function<String, String> refusal;
    final ObjectMapper json;

    Delivery(ProviderSettings settings, int retries, Duration backoff, ObjectMapper json) throws DispatchException {
        this(settings, retries, backoff, json, null);
    }

    /**
     * With {@code refusal} (the {@code no-internal-destinations} flag), a request whose host or proxy it refuses is
     * not sent, and redirects are not followed (a redirect could lead where the request itself may not go).
     */
    Delivery(ProviderSettings settings, int retries, Duration backoff, ObjectMapper json, Function<String, String> refusal)
            throws DispatchException {
        this.settings = settings;
        this.retries = retries;
        this.backoff = backoff;
        this.json = json;
        this.refusal = refusal;
        this.http = HttpClients.forSettings(settings, refusal == null);
    }

    /** Fails when the {@code no-internal-destinations} flag refuses {@code host}; does nothing without the flag. */
    void checkDestination(String what, String host) throws DispatchException {
        String why = refusal == null || host == null ? null : refusal.apply(host);
        if (why != null) {
            throw new DispatchException("refusing to send to " + what + ": " + why + " (no-internal-destinations=true)");
        }
    }

    ProviderSettings settings() {
        return settings;
    }

    /** A request with a JSON body (the payload serialised as Flux's Go structs would be). */
    HttpRequest.Builder json(String method, URI uri, Object payload) throws DispatchException {
        byte[] body;
        try {
            body = payload instanceof byte[] bytes ? bytes : json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new DispatchException("could not encode the payload: " + e.getOriginalMessage());
        }
        return request(method, uri, body, "application/json");
    }

    HttpRequest.Builder request(String method, URI uri, byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (settings.proxy() != null && settings.proxy().username() != null && "http".equalsIgnoreCase(uri.getScheme())) {
            // plain HTTP goes through the proxy as a forward request: credentials up front, as Go's transport sends them
            request.header("Proxy-Authorization", basic(settings.proxy().username(),
                    settings.proxy().password() == null ? "" : settings.proxy().password()));
        }
        return request;
    }

    HttpRequest.Builder get(URI uri) {
        return request("GET", uri, null, null);
    }

    static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Adds the headers a Secret's {@code headers} key holds (the types that Flux sends them with). */
    static HttpRequest.Builder withHeaders(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::setHeader);
        return request;
    }

    /** Sends with retries; returns the answer when it is 2xx, fails otherwise. */
    Answer send(HttpRequest request) throws DispatchException, InterruptedException {
        return exchange(request, code -> code >= 200 && code < 300);
    }

    /** Sends with retries; returns the answer when {@code accepted} takes its status, fails on any other. */
    Answer exchange(HttpRequest request, IntPredicate accepted) throws DispatchException, InterruptedException {
        // scheme and host only: webhook paths (Slack, Discord, Teams) and Telegram's carry credentials
        String target = request.method() + " " + request.uri().getScheme() + "://" + request.uri().getHost()
                + (request.uri().getPort() > 0 ? ":" + request.uri().getPort() : "");
        checkDestination(target, request.uri().getHost());
        if (settings.proxy() != null) {
            checkDestination("the proxy " + settings.proxy(), settings.proxy().uri().getHost());
        }
        String last = null;
        Duration wait = backoff;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait.multipliedBy(2);
            }
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                Answer answer = new Answer(response.statusCode(), read(response.body()));
                if (accepted.test(answer.status())) {
                    return answer;
                }
                last = target + " failed with status code " + answer.status();
                if (answer.status() != 429 && answer.status() < 500) {
                    throw new DispatchException(last + describe(answer.body()));
                }
            } catch (javax.net.ssl.SSLException e) {
                // a certificate the provider's CA does not vouch for will not change on a retry
                throw new DispatchException(target + " failed: TLS: " + e.getMessage());
            } catch (HttpTimeoutException e) {
                last = target + " timed out after " + settings.timeout().toMillis() + "ms";
            } catch (IOException e) {
                last = target + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        throw new DispatchException(last + " (giving up after " + (retries + 1) + " attempts)", true);
    }

    private static String read(InputStream body) throws IOException {
        if (body == null) {
            return "";
        }
        try (body) {
            byte[] bytes = body.readNBytes(MAX_ANSWER);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The start of an error answer, as Flux quotes it; never the request, which may hold credentials. */
    private static String describe(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return ": " + (s.length() > 200 ? s.substring(0, 200) + "..." : s);
    }

    /** An HTTP answer: status and (bounded) body. */
    record Answer(int status, String body) {
    }
}
