package io.currents.notification.controller;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.util.Map;

/**
 * An OpenID Connect issuer on loopback: a discovery document and a JWKS served by a {@link RecordingServer}, and RS256
 * ID tokens signed with its key, as a CI system's or Google's token service issues them.
 */
final class OidcIssuer implements AutoCloseable {

    final RecordingServer server;
    final String issuer;
    private final RsaJsonWebKey key;

    /** An issuer whose URL is the server's; {@code jwksPath} is where its keys are published. */
    OidcIssuer(RecordingServer server, String jwksPath) {
        this(server, server.url(""), jwksPath);
    }

    OidcIssuer(RecordingServer server, String issuer, String jwksPath) {
        this.server = server;
        this.issuer = issuer;
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("key-1");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        server.answer("GET", "/.well-known/openid-configuration", 200,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + server.url(jwksPath) + "\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
        server.answer("GET", jwksPath, 200, new JsonWebKeySet(key).toJson());
    }

    /** A token with these claims (plus {@code iat}), expiring in ten minutes unless {@code exp} is given. */
    String token(Map<String, Object> claims) {
        JwtClaims jwt = new JwtClaims();
        jwt.setIssuedAtToNow();
        jwt.setExpirationTimeMinutesInTheFuture(10);
        claims.forEach(jwt::setClaim);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(jwt.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token signed by another key with the same key id: its signature must not verify. */
    static String forged(OidcIssuer issuer, Map<String, Object> claims) {
        try (RecordingServer other = new RecordingServer()) {
            return new OidcIssuer(other, issuer.issuer, "/keys").token(claims);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
