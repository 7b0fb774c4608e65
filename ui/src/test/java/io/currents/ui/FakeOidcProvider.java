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
 * An OIDC provider on loopback for the OIDC tests: discovery and JWKS, and tokens the test signs with the provider's
 * key ({@link #token}); started with the shared control plane.
 */
public class FakeOidcProvider extends ControlPlaneTestResource {

    static final String CLIENT_ID = "currents-ui";
    private static RsaJsonWebKey key;
    private static String issuer;
    private HttpServer server;

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
                     "subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}
                    """.formatted(issuer)));
            server.createContext("/realm/jwks", exchange -> json(exchange, new JsonWebKeySet(key).toJson()));
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        config.put("currents.ui.oidc.enabled", "true");
        config.put("quarkus.oidc.auth-server-url", issuer);
        config.put("quarkus.oidc.client-id", CLIENT_ID);
        config.put("quarkus.oidc.credentials.secret", "test-client-secret-that-is-long-enough-for-cookies");
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

    private static void json(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
