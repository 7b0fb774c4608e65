package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Azure credentials of the controller itself, for the {@code azuredevops} and {@code azureeventhub} providers that have
 * no token in their Secret: Azure workload identity, as Flux's controller-level authentication uses it — the
 * ServiceAccount token projected into {@code AZURE_FEDERATED_TOKEN_FILE} is exchanged at
 * {@code <AZURE_AUTHORITY_HOST>/<AZURE_TENANT_ID>/oauth2/v2.0/token} for an access token of {@code AZURE_CLIENT_ID}, kept
 * until five minutes before it expires. Object-level workload identity ({@code spec.serviceAccountName}) is behind Flux's
 * {@code ObjectLevelWorkloadIdentity} feature gate, off by default; Currents does not have it and says so.
 */
final class AzureCredentials {

    static final String DEVOPS_SCOPE = "499b84ac-1321-427f-aa17-267ca6975798/.default";
    static final String EVENT_HUBS_SCOPE = "https://eventhubs.azure.net/.default";

    /** Gives the value of an {@code Authorization} header. */
    interface TokenSource {
        String authorization() throws DispatchException, InterruptedException;
    }

    private record Cached(String token, Instant expires) {
    }

    private final String clientId;
    private final String tenantId;
    private final String tokenFile;
    private final String authorityHost;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Cached> tokens = new ConcurrentHashMap<>();

    AzureCredentials(String clientId, String tenantId, String tokenFile, String authorityHost) {
        this.clientId = blank(clientId);
        this.tenantId = blank(tenantId);
        this.tokenFile = blank(tokenFile);
        this.authorityHost = blank(authorityHost) == null ? "https://login.microsoftonline.com/" : authorityHost;
    }

    static TokenSource pat(String token) {
        String value = "Basic " + Base64.getEncoder().encodeToString((":" + token).getBytes(StandardCharsets.UTF_8));
        return () -> value;
    }

    TokenSource devOps(ProviderSettings settings) throws DispatchException {
        return bearer(settings, DEVOPS_SCOPE);
    }

    TokenSource bearer(ProviderSettings settings, String scope) throws DispatchException {
        if (settings.serviceAccountName() != null) {
            throw new DispatchException("to use spec.serviceAccountName for provider authentication please enable the "
                    + "ObjectLevelWorkloadIdentity feature gate in the controller (Currents does not implement it: put a token in spec.secretRef)");
        }
        if (clientId == null || tenantId == null || tokenFile == null) {
            throw new DispatchException("no token in spec.secretRef and no Azure workload identity for the controller "
                    + "(AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE are not all set)");
        }
        return () -> "Bearer " + accessToken(scope);
    }

    /** An access token for the scope, from the cache or a fresh exchange. */
    String accessToken(String scope) throws DispatchException, InterruptedException {
        Cached cached = tokens.get(scope);
        if (cached != null && cached.expires().isAfter(Instant.now().plusSeconds(300))) {
            return cached.token();
        }
        String assertion;
        try {
            assertion = Files.readString(Path.of(tokenFile)).trim();
        } catch (IOException e) {
            throw new DispatchException("failed to read the federated token file: " + e.getClass().getSimpleName());
        }
        String form = "client_id=" + enc(clientId) + "&scope=" + enc(scope) + "&grant_type=client_credentials"
                + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + enc(assertion);
        URI uri = URI.create((authorityHost.endsWith("/") ? authorityHost : authorityHost + "/") + enc(tenantId) + "/oauth2/v2.0/token");
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build()) {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DispatchException("failed to get an Azure token: " + e.getClass().getSimpleName(), true);
        }
        if (response.statusCode() != 200) {
            throw new DispatchException("failed to get an Azure token: the identity platform answered " + response.statusCode());
        }
        try {
            JsonNode body = json.readTree(response.body());
            String token = body.path("access_token").asText(null);
            if (token == null) {
                throw new DispatchException("failed to get an Azure token: no access_token in the answer");
            }
            tokens.put(scope, new Cached(token, Instant.now().plusSeconds(body.path("expires_in").asLong(3600))));
            return token;
        } catch (IOException e) {
            throw new DispatchException("failed to get an Azure token: invalid answer");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
