package io.currents.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.currents.testkit.ControlPlaneTestResource;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An OIDC provider on loopback for the OIDC tests: discovery, JWKS, an authorization endpoint that signs in
 * {@link #nextUser} at once and a token endpoint that trades its code for tokens, all signed with the provider's key
 * ({@link #token}); started with the shared control plane. {@link WithEndSession} also advertises an end_session_endpoint.
 */
public class FakeOidcProvider extends ControlPlaneTestResource {

    static final String CLIENT_ID = "currents-ui";
    private static RsaJsonWebKey key;
    private static String issuer;
    static final String CLIENT_SECRET = "test-client-secret-that-is-long-enough-for-cookies";
    /** Who the authorization endpoint signs in next. */
    static volatile String nextUser = "alice@example.com";
    static volatile List<String> nextGroups = List.of("team-a");
    private static final Map<String, String> codes = new java.util.concurrent.ConcurrentHashMap<>();
    private HttpServer server;

    /** The provider with an end_session_endpoint (RP-initiated logout). */
    public static class WithEndSession extends FakeOidcProvider {
        @Override
        boolean endSession() {
            return true;
        }
    }

    boolean endSession() {
        return false;
    }

    static String issuer() {
        return issuer;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("test-key");
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realm";
            server.createContext("/realm/.well-known/openid-configuration", exchange -> json(exchange, """
                    {"issuer":"%1$s","authorization_endpoint":"%1$s/auth","token_endpoint":"%1$s/token",
                     "jwks_uri":"%1$s/jwks","userinfo_endpoint":"%1$s/userinfo","response_types_supported":["code"],
                     "subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]%2$s}
                    """.formatted(issuer, endSession() ? ",\"end_session_endpoint\":\"" + issuer + "/logout\"" : "")));
            server.createContext("/realm/auth", exchange -> {
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                String code = java.util.UUID.randomUUID().toString();
                codes.put(code, nextUser);
                String back = query.get("redirect_uri") + (query.get("redirect_uri").contains("?") ? "&" : "?") + "code=" + code
                        + "&state=" + java.net.URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Location", back);
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            server.createContext("/realm/token", exchange -> {
                Map<String, String> form = query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
                String user = codes.remove(form.getOrDefault("code", ""));
                if (user == null || !"authorization_code".equals(form.get("grant_type"))
                        || !basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    byte[] error = "{\"error\":\"invalid_grant\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(400, error.length);
                    exchange.getResponseBody().write(error);
                    exchange.close();
                    return;
                }
                String token = token(user, nextGroups);
                json(exchange, "{\"access_token\":\"" + token + "\",\"id_token\":\"" + token
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":600}");
            });
            server.createContext("/realm/jwks", exchange -> json(exchange, new JsonWebKeySet(key).toJson()));
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        config.put("currents.ui.oidc.enabled", "true");
        config.put("quarkus.oidc.auth-server-url", issuer);
        config.put("quarkus.oidc.client-id", CLIENT_ID);
        config.put("quarkus.oidc.credentials.secret", CLIENT_SECRET);
        config.put("currents.ui.oidc.username-prefix", "oidc:");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        super.stop();
    }

    /** A bearer access token for this provider's issuer. */
    static String token(String email, List<String> groups) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setAudience(CLIENT_ID);
            claims.setSubject(email);
            claims.setExpirationTimeMinutesInTheFuture(10);
            claims.setIssuedAtToNow();
            claims.setGeneratedJwtId();
            claims.setClaim("email", email);
            claims.setStringListClaim("groups", groups);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
