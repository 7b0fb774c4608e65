package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The GitHub REST API for one repository, as Flux's GitHub providers reach it: {@code api.github.com} for github.com,
 * {@code <host>/api/v3} for GitHub Enterprise; authenticated with the Secret's {@code token} (or {@code password}), or as
 * a GitHub App installation from the Secret's GitHub App keys ({@code githubAppID} or {@code githubAppClientID},
 * {@code githubAppInstallationID} or {@code githubAppInstallationOwner}, {@code githubAppPrivateKey}, optional
 * {@code githubAppBaseURL}): an RS256 JWT is exchanged for an installation token, kept until a minute before it expires.
 */
final class GitHubApi {

    static final String APP_ID = "githubAppID";
    static final String APP_CLIENT_ID = "githubAppClientID";
    static final String APP_INSTALLATION_ID = "githubAppInstallationID";
    static final String APP_INSTALLATION_OWNER = "githubAppInstallationOwner";
    static final String APP_PRIVATE_KEY = "githubAppPrivateKey";
    static final String APP_BASE_URL = "githubAppBaseURL";

    private record AppToken(String token, String slug, Instant expiresAt) {
    }

    private static final Map<String, AppToken> APP_TOKENS = new ConcurrentHashMap<>();
    private static final int MAX_APP_TOKENS = 256;

    private final Delivery delivery;
    final String owner;
    final String repo;
    final String api;
    private final String token;
    /** The App's slug when authenticated as an App (its comments are posted by {@code <slug>[bot]}). */
    final String appSlug;

    private GitHubApi(Delivery delivery, String owner, String repo, String api, String token, String appSlug) {
        this.delivery = delivery;
        this.owner = owner;
        this.repo = repo;
        this.api = api;
        this.token = token;
        this.appSlug = appSlug;
    }

    static GitHubApi connect(ProviderSettings settings, Delivery delivery, boolean wantSlug) throws DispatchException, InterruptedException {
        CommitStatus.Repository repository = CommitStatus.repository(settings.requireAddress("GitHub repository address"));
        String[] parts = repository.path().split("/");
        if (parts.length != 2) {
            throw new DispatchException("invalid repository id: '" + repository.path() + "'");
        }
        String api = "github.com".equals(repository.host()) ? "https://api.github.com" : repository.base() + "/api/v3";
        String token = settings.tokenOrPassword();
        String slug = null;
        if (token == null) {
            Map<String, String> data = settings.secretData();
            if (!data.containsKey(APP_ID) && !data.containsKey(APP_CLIENT_ID)) {
                throw new DispatchException("github token or github app details must be specified");
            }
            AppToken app = appToken(data, delivery, wantSlug);
            token = app.token();
            slug = app.slug();
        }
        return new GitHubApi(delivery, parts[0], parts[1], api, token, slug);
    }

    /** A request to {@code <api>/repos/<owner>/<repo><path>}. */
    HttpRequest.Builder repo(String method, String path, Object body) throws DispatchException {
        return call(method, api + "/repos/" + owner + "/" + repo + path, body);
    }

    HttpRequest.Builder call(String method, String url, Object body) throws DispatchException {
        HttpRequest.Builder request = body == null ? delivery.request(method, URI.create(url), null, null)
                : delivery.json(method, URI.create(url), body);
        return headers(request, "Bearer " + token);
    }

    private static HttpRequest.Builder headers(HttpRequest.Builder request, String authorization) {
        return request.header("Accept", "application/vnd.github.v3+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("Authorization", authorization);
    }

    JsonNode read(HttpRequest request) throws DispatchException, InterruptedException {
        return parse(delivery.send(request).body());
    }

    private JsonNode parse(String body) throws DispatchException {
        try {
            return delivery.json.readTree(body == null || body.isEmpty() ? "null" : body);
        } catch (IOException e) {
            throw new DispatchException("GitHub answered with invalid JSON");
        }
    }

    /** The login of the token's user ({@code GET /user}); for an App, {@code <slug>[bot]}. */
    String login() throws DispatchException, InterruptedException {
        if (appSlug != null) {
            return appSlug + "[bot]";
        }
        return read(call("GET", api + "/user", null).build()).path("login").asText();
    }

    // GitHub App installation tokens

    private static AppToken appToken(Map<String, String> data, Delivery delivery, boolean wantSlug) throws DispatchException, InterruptedException {
        String key = cacheKey(data, wantSlug);
        AppToken cached = APP_TOKENS.get(key);
        if (cached != null && cached.expiresAt().isAfter(Instant.now().plusSeconds(60))) {
            return cached;
        }
        String appId = data.get(APP_ID);
        String clientId = data.get(APP_CLIENT_ID);
        String installationId = data.get(APP_INSTALLATION_ID);
        String installationOwner = data.get(APP_INSTALLATION_OWNER);
        String privateKey = data.get(APP_PRIVATE_KEY);
        if ((appId == null || appId.isBlank()) && (clientId == null || clientId.isBlank())) {
            throw new DispatchException("app ID or client ID must be provided to use github app authentication");
        }
        if ((installationId == null || installationId.isBlank()) == (installationOwner == null || installationOwner.isBlank())) {
            throw new DispatchException(installationId == null || installationId.isBlank()
                    ? "app installation owner or ID must be provided to use github app authentication"
                    : "only one of app installation owner or ID must be provided to use github app authentication");
        }
        if (privateKey == null || privateKey.isBlank()) {
            throw new DispatchException("private key must be provided to use github app authentication");
        }
        String issuer = clientId != null && !clientId.isBlank() ? clientId.trim() : appId.trim();
        if (clientId == null || clientId.isBlank()) {
            try {
                Long.parseLong(issuer);
            } catch (NumberFormatException e) {
                throw new DispatchException("invalid githubAppID: not a number");
            }
        }
        String jwt = jwt(issuer, ProviderTls.privateKey(privateKey, APP_PRIVATE_KEY), Clock.systemUTC());
        String api = appApi(data.get(APP_BASE_URL));
        GitHubApi app = new GitHubApi(delivery, null, null, api, null, null);
        String slug = null;
        if (wantSlug) {
            slug = app.read(headers(app.delivery.get(URI.create(api + "/app")), "Bearer " + jwt).build()).path("slug").asText(null);
        }
        String id = installationId == null || installationId.isBlank() ? null : installationId.trim();
        if (id == null) {
            id = app.installationOf(installationOwner.trim(), jwt);
        }
        JsonNode answer = app.read(headers(app.delivery.request("POST",
                URI.create(api + "/app/installations/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/access_tokens"), null, null),
                "Bearer " + jwt).build());
        String token = answer.path("token").asText(null);
        if (token == null || token.isEmpty()) {
            throw new DispatchException("GitHub did not return an installation token");
        }
        Instant expires;
        try {
            expires = OffsetDateTime.parse(answer.path("expires_at").asText()).toInstant();
        } catch (RuntimeException e) {
            expires = Instant.now().plusSeconds(600);
        }
        AppToken fresh = new AppToken(token, slug, expires);
        if (APP_TOKENS.size() >= MAX_APP_TOKENS) {
            APP_TOKENS.clear();
        }
        APP_TOKENS.put(key, fresh);
        return fresh;
    }

    private String installationOf(String owner, String jwt) throws DispatchException, InterruptedException {
        String encoded = URLEncoder.encode(owner, StandardCharsets.UTF_8);
        for (String kind : new String[]{"orgs", "users"}) {
            Delivery.Answer answer = delivery.exchange(headers(delivery.get(URI.create(api + "/" + kind + "/" + encoded + "/installation")),
                    "Bearer " + jwt).build(), code -> (code >= 200 && code < 300) || code == 404);
            if (answer.status() != 404) {
                String id = parse(answer.body()).path("id").asText(null);
                if (id != null) {
                    return id;
                }
            }
        }
        throw new DispatchException("failed to find an installation of the GitHub App for owner '" + owner + "'");
    }

    /** Flux's rule for {@code githubAppBaseURL}: an {@code api.} host or a path ending in {@code /api/v3} as is, else {@code /api/v3} appended. */
    static String appApi(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            return "https://api.github.com";
        }
        URI uri = URI.create(baseUrl.trim().endsWith("/") ? baseUrl.trim() : baseUrl.trim() + "/");
        String host = uri.getHost() == null ? "" : uri.getHost();
        String base = uri.toString();
        if (host.startsWith("api.") || host.contains(".api.") || uri.getPath().endsWith("/api/v3/")) {
            return base.substring(0, base.length() - 1);
        }
        return base + "api/v3";
    }

    static String jwt(String issuer, PrivateKey key, Clock clock) throws DispatchException {
        long iat = clock.instant().getEpochSecond() - 30;
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = b64("{\"iss\":\"" + issuer.replace("\"", "") + "\",\"iat\":" + iat + ",\"exp\":" + (iat + 120) + "}");
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new DispatchException("could not sign the GitHub App JWT: the private key is not an RSA key");
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String cacheKey(Map<String, String> data, boolean slug) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String k : new String[]{APP_ID, APP_CLIENT_ID, APP_INSTALLATION_ID, APP_INSTALLATION_OWNER, APP_BASE_URL, APP_PRIVATE_KEY}) {
                digest.update((k + "=" + data.getOrDefault(k, "") + ",").getBytes(StandardCharsets.UTF_8));
            }
            digest.update(("slug=" + slug).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode object() {
        return delivery.json.createObjectNode();
    }
}
