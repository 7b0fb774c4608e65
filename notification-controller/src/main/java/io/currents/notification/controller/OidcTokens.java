package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies OIDC bearer tokens as Flux's Receivers do with go-oidc: the issuer's discovery document
 * ({@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must be the configured one) gives the JWKS;
 * the token's signature (RSA or ECDSA), issuer, audience and expiry are checked. Key sets are kept for five minutes
 * and fetched again at once when a token names a key they lack (the issuer rotated its keys); documents are read with a
 * timeout and a size cap, since a tenant chooses the issuer.
 */
final class OidcTokens {

    static final Duration KEYS_TTL = Duration.ofMinutes(5);
    static final int MAX_DOCUMENT = 512 * 1024;

    private record Keys(JsonWebKeySet set, Instant fetched) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<String, Keys> keys = new ConcurrentHashMap<>();

    /** The {@code iss} claim, read without verifying anything: only to pick the configured provider. */
    static String unverifiedIssuer(String token) throws WebhookValidation.Refused {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw new WebhookValidation.Refused(400, "failed to parse bearer token: token is not a JWT");
        }
        try {
            JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            String iss = claims == null ? null : claims.path("iss").asText(null);
            if (iss == null || iss.isEmpty()) {
                throw new WebhookValidation.Refused(400, "failed to parse bearer token: token is missing the 'iss' claim");
            }
            return iss;
        } catch (IOException | IllegalArgumentException e) {
            throw new WebhookValidation.Refused(400, "failed to parse bearer token: failed to decode token payload");
        }
    }

    /** Verifies a token of an issuer found by OIDC discovery; returns its claims. */
    Map<String, Object> verifyDiscovered(String token, String issuer, String audience) throws WebhookValidation.Refused {
        String jwksUri = keys.containsKey(issuer) ? null : discover(issuer);
        return verify(token, issuer, audience, issuer, jwksUri);
    }

    /** Verifies a token against a known key set URL (Google's, for push subscriptions). */
    Map<String, Object> verifyWithKeys(String token, String jwksUri, String audience) throws WebhookValidation.Refused {
        return verify(token, null, audience, jwksUri, jwksUri);
    }

    private Map<String, Object> verify(String token, String issuer, String audience, String cacheKey, String jwksUri)
            throws WebhookValidation.Refused {
        JsonWebKeySet set = keySet(cacheKey, jwksUri, false);
        try {
            return consume(token, issuer, audience, set);
        } catch (InvalidJwtException e) {
            if (e.getMessage() != null && e.getMessage().contains("Unable to find a suitable verification key")) {
                set = keySet(cacheKey, jwksUri == null ? discover(issuer) : jwksUri, true);
                try {
                    return consume(token, issuer, audience, set);
                } catch (InvalidJwtException again) {
                    throw refused(again);
                }
            }
            throw refused(e);
        }
    }

    private static Map<String, Object> consume(String token, String issuer, String audience, JsonWebKeySet set) throws InvalidJwtException {
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(0)
                .setExpectedAudience(audience)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(set.getJsonWebKeys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                        AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512,
                        AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512);
        if (issuer != null) {
            builder.setExpectedIssuer(issuer);
        }
        JwtClaims claims = builder.build().processToClaims(token);
        return claims.getClaimsMap();
    }

    private static WebhookValidation.Refused refused(InvalidJwtException e) {
        String reason;
        if (e.hasExpired()) {
            reason = "token is expired";
        } else if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_INVALID)
                || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_MISSING)) {
            reason = "expected audience not in the token's audience";
        } else if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_INVALID)) {
            reason = "issuer did not match";
        } else if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_INVALID)
                || (e.getMessage() != null && e.getMessage().contains("verification key"))) {
            reason = "failed to verify signature";
        } else {
            reason = "invalid token";
        }
        return new WebhookValidation.Refused(400, "failed to verify OIDC token: " + reason);
    }

    private JsonWebKeySet keySet(String cacheKey, String jwksUri, boolean refresh) throws WebhookValidation.Refused {
        Keys cached = keys.get(cacheKey);
        if (!refresh && cached != null && cached.fetched().plus(KEYS_TTL).isAfter(Instant.now())) {
            return cached.set();
        }
        if (jwksUri == null) {
            jwksUri = discover(cacheKey);
        }
        try {
            JsonWebKeySet set = new JsonWebKeySet(fetch(jwksUri));
            if (keys.size() > 64) {
                keys.clear();
            }
            keys.put(cacheKey, new Keys(set, Instant.now()));
            return set;
        } catch (JoseException e) {
            throw new WebhookValidation.Refused(400, "failed to initialize OIDC provider: invalid key set at " + jwksUri);
        }
    }

    private String discover(String issuer) throws WebhookValidation.Refused {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        JsonNode document;
        try {
            document = json.readTree(fetch(base + "/.well-known/openid-configuration"));
        } catch (IOException e) {
            throw new WebhookValidation.Refused(400, "failed to initialize OIDC provider for issuer \"" + issuer + "\": invalid discovery document");
        }
        String announced = document.path("issuer").asText("");
        if (!announced.equals(issuer)) {
            throw new WebhookValidation.Refused(400, "failed to initialize OIDC provider for issuer \"" + issuer
                    + "\": issuer did not match the issuer returned by provider, expected \"" + issuer + "\" got \"" + announced + "\"");
        }
        String jwks = document.path("jwks_uri").asText("");
        if (jwks.isEmpty()) {
            throw new WebhookValidation.Refused(400, "failed to initialize OIDC provider for issuer \"" + issuer + "\": no jwks_uri");
        }
        return jwks;
    }

    private String fetch(String url) throws WebhookValidation.Refused {
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(MAX_DOCUMENT + 1);
                if (response.statusCode() != 200) {
                    throw new WebhookValidation.Refused(400, "failed to fetch " + url + ": status " + response.statusCode());
                }
                if (bytes.length > MAX_DOCUMENT) {
                    throw new WebhookValidation.Refused(400, "failed to fetch " + url + ": larger than " + MAX_DOCUMENT + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new WebhookValidation.Refused(400, "failed to fetch " + url + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookValidation.Refused(503, "interrupted");
        }
    }
}
