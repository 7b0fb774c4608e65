package io.currents.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.notification.v1.Receiver;
import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.cli.install.Version;
import io.currents.runtime.reconcile.FluxDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code currents trigger receiver <name>}: posts to a Receiver's webhook from outside the cluster, as {@code flux
 * trigger receiver} does: the path from the name, namespace and token, a {@code generic} (no signature),
 * {@code generic-hmac} ({@code X-Signature: sha256=<hmac of the payload>}) or {@code generic-oidc} (a bearer OIDC
 * token) request, retried on connection errors and on 404, 408, 429, 500, 502, 503 and 504.
 */
@Command
public final class TriggerReceiverCommand extends ClusterCommand {

    static final String OIDC_TOKEN_VARIABLE = "FLUX_TRIGGER_RECEIVER_OIDC_TOKEN";
    private static final String DEFAULT_OIDC_AUDIENCE = "notification-controller";
    private static final List<String> TYPES = List.of(Receiver.TYPE_GENERIC, Receiver.TYPE_GENERIC_HMAC, Receiver.TYPE_GENERIC_OIDC);

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the Receiver.")
    String name;

    @Option(names = "--token", description = "The Receiver token, required for all types except generic-oidc where it must not be set.")
    String token;

    @Option(names = "--url", description = "The base URL of the notification-controller webhook receiver, may contain a base path.")
    String url;

    @Option(names = "--type", defaultValue = Receiver.TYPE_GENERIC,
            description = "The Receiver type, one of: generic, generic-hmac, generic-oidc (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--oidc-provider", description = "The OIDC provider to fetch the token from, one of: github, forgejo (generic-oidc only).")
    String oidcProvider;

    @Option(names = "--oidc-token", description = "The OIDC token (generic-oidc only); defaults to the " + OIDC_TOKEN_VARIABLE
            + " environment variable.")
    String oidcToken;

    @Option(names = "--oidc-audience", description = "The audience of the OIDC token to fetch (requires --oidc-provider); defaults to "
            + DEFAULT_OIDC_AUDIENCE + ".")
    String oidcAudience;

    @Option(names = "--payload", defaultValue = "{}", description = "The JSON payload to send in the request body (default: ${DEFAULT-VALUE}).")
    String payload;

    @Option(names = "--retries", defaultValue = "10",
            description = "Retries on connection errors or retryable HTTP status codes (404, 408, 429, 5xx); 0 disables (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--retry-delay", defaultValue = "10s", converter = DurationConverter.class,
            description = "The delay between retries (default: ${DEFAULT-VALUE}).")
    Duration retryDelay;

    @Option(names = "--timeout", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long the whole command may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The environment, replaceable in tests. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws Exception {
        if (url == null || url.isEmpty()) {
            throw new CliException("--url is required", ExitCodes.USAGE);
        }
        validate();
        String namespace = kube.namespace();
        boolean oidc = type.equals(Receiver.TYPE_GENERIC_OIDC);
        URI webhook = URI.create(url.replaceAll("/+$", "") + Receiver.webhookPath(oidc ? "" : token, name, namespace));
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "currents/" + Version.tag());
        switch (type) {
            case Receiver.TYPE_GENERIC_HMAC -> headers.put("X-Signature", "sha256=" + hmacSha256(token, payload));
            case Receiver.TYPE_GENERIC_OIDC -> headers.put("Authorization", "Bearer " + oidcToken(http));
            default -> {
            }
        }
        Progress progress = newProgress();
        progress.action("triggering Receiver " + namespace + "/" + name);
        for (int attempt = 0; ; attempt++) {
            String failure;
            boolean retryable;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(webhook).timeout(remaining(deadline))
                        .POST(HttpRequest.BodyPublishers.ofString(payload));
                headers.forEach(request::header);
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 200 && response.statusCode() < 300) {
                    progress.success("Receiver " + namespace + "/" + name + " triggered");
                    return ExitCodes.OK;
                }
                String body = response.body() == null ? "" : response.body().strip();
                failure = "request to " + webhook + " failed with status " + response.statusCode() + (body.isEmpty() ? "" : ": " + body);
                retryable = List.of(404, 408, 429, 500, 502, 503, 504).contains(response.statusCode());
            } catch (IOException e) {
                failure = "request to " + webhook + " failed: " + io.currents.cli.output.Errors.describe(e);
                retryable = true;
            }
            if (!retryable || attempt >= retries) {
                throw new CliException(failure);
            }
            if (System.nanoTime() + retryDelay.toNanos() >= deadline) {
                throw CliException.timeout(failure + "; no time left to retry within --timeout " + FluxDuration.format(timeout));
            }
            progress.waiting(failure + "; retrying in " + FluxDuration.format(retryDelay) + " (" + (attempt + 1) + "/" + retries + ")");
            Thread.sleep(retryDelay.toMillis());
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /** flux's checks of the type and of the token and OIDC flags that go with it. */
    private void validate() {
        if (!TYPES.contains(type)) {
            throw new CliException("invalid --type \"" + type + "\", must be one of: " + String.join(", ", TYPES), ExitCodes.USAGE);
        }
        if (!type.equals(Receiver.TYPE_GENERIC_OIDC)) {
            if (token == null || token.isEmpty()) {
                throw new CliException("--token is required for --type=" + type, ExitCodes.USAGE);
            }
            if (oidcProvider != null || oidcToken != null || oidcAudience != null) {
                throw new CliException("--oidc-provider, --oidc-token and --oidc-audience can only be set for --type=generic-oidc",
                        ExitCodes.USAGE);
            }
            return;
        }
        if (token != null && !token.isEmpty()) {
            throw new CliException("--token must not be set for --type=generic-oidc, the Receiver of this type has no secret", ExitCodes.USAGE);
        }
        if (oidcProvider != null && oidcToken != null) {
            throw new CliException("--oidc-provider and --oidc-token are mutually exclusive", ExitCodes.USAGE);
        }
        if (oidcProvider != null && !List.of("github", "forgejo").contains(oidcProvider)) {
            throw new CliException("invalid --oidc-provider \"" + oidcProvider + "\", must be one of: github, forgejo", ExitCodes.USAGE);
        }
        if (oidcAudience != null && oidcProvider == null) {
            throw new CliException("--oidc-audience can only be set together with --oidc-provider", ExitCodes.USAGE);
        }
    }

    /**
     * The OIDC token: fetched from the GitHub/Forgejo Actions token endpoint of the running job
     * ({@code ACTIONS_ID_TOKEN_REQUEST_URL} with {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}), or from --oidc-token, or
     * from {@value #OIDC_TOKEN_VARIABLE}.
     */
    private String oidcToken(HttpClient http) throws IOException, InterruptedException {
        if (oidcProvider != null) {
            String requestUrl = environment.get("ACTIONS_ID_TOKEN_REQUEST_URL");
            String requestToken = environment.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
            if (requestUrl == null || requestToken == null) {
                throw new CliException("ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set; --oidc-provider="
                        + oidcProvider + " works in an Actions job with 'permissions: id-token: write'");
            }
            String audience = oidcAudience == null ? DEFAULT_OIDC_AUDIENCE : oidcAudience;
            URI uri = URI.create(requestUrl + (requestUrl.contains("?") ? "&" : "?") + "audience="
                    + URLEncoder.encode(audience, StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "bearer " + requestToken)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CliException("fetching the OIDC token from " + oidcProvider + " failed with status " + response.statusCode());
            }
            String value = new ObjectMapper().readTree(response.body()).path("value").asText("");
            if (value.isEmpty()) {
                throw new CliException("the " + oidcProvider + " OIDC token response has no value");
            }
            return value;
        }
        if (oidcToken != null && !oidcToken.isEmpty()) {
            return oidcToken;
        }
        String fromEnvironment = environment.get(OIDC_TOKEN_VARIABLE);
        if (fromEnvironment == null || fromEnvironment.isEmpty()) {
            throw new CliException("no OIDC token provided: set --oidc-provider, --oidc-token or the " + OIDC_TOKEN_VARIABLE
                    + " environment variable", ExitCodes.USAGE);
        }
        return fromEnvironment;
    }

    static String hmacSha256(String key, String payload) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
