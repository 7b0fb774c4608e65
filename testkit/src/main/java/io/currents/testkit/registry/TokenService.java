package io.currents.testkit.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry token service for {@link OciRegistry}: answers {@code GET /token?service=…&scope=…} with
 * an RS256 JWT (certificate chain in {@code x5c}) that the distribution registry verifies against
 * the certificate written for its {@code rootcertbundle}. Only the configured user gets a token.
 */
final class TokenService implements AutoCloseable {

    static final String SERVICE = "currents-test-registry";
    static final String ISSUER = "currents-test-token-service";

    private final HttpServer server;
    private final KeyPair key;
    private final byte[] certificateDer;
    private final Path certificate;
    private final String expectedAuthorization;
    private final AtomicInteger issued = new AtomicInteger();

    private TokenService(HttpServer server, KeyPair key, byte[] certificateDer, Path certificate, String expectedAuthorization) {
        this.server = server;
        this.key = key;
        this.certificateDer = certificateDer;
        this.certificate = certificate;
        this.expectedAuthorization = expectedAuthorization;
    }

    static TokenService start(Path workDir, String username, String password) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair key = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + ISSUER);
            Instant now = Instant.now();
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86400)), name, key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
            byte[] der = holder.getEncoded();
            Path cert = workDir.resolve("token-ca.pem");
            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            TokenService service = new TokenService(server, key, der, cert, expected);
            server.createContext("/token", service::handle);
            server.start();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the registry token service", e);
        }
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificate() {
        return certificate;
    }

    int issued() {
        return issued.get();
    }

    /** A token granting {@code actions} (e.g. {@code pull,push}) on {@code repository}. */
    String issue(String repository, String actions) {
        List<String> access = new ArrayList<>();
        access.add("{\"type\":\"repository\",\"name\":\"" + repository + "\",\"actions\":[\""
                + String.join("\",\"", actions.split(",")) + "\"]}");
        return jwt(access);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!expectedAuthorization.equals(auth)) {
                byte[] body = "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            List<String> access = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
            for (String param : query.split("&")) {
                if (param.startsWith("scope=")) {
                    String[] scope = URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8).split(":");
                    if (scope.length == 3) {
                        access.add("{\"type\":\"" + scope[0] + "\",\"name\":\"" + scope[1] + "\",\"actions\":[\""
                                + String.join("\",\"", scope[2].split(",")) + "\"]}");
                    }
                }
            }
            String token = jwt(access);
            byte[] body = ("{\"token\":\"" + token + "\",\"expires_in\":600}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private String jwt(List<String> access) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + Base64.getEncoder().encodeToString(certificateDer) + "\"]}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"test\",\"aud\":\"" + SERVICE + "\",\"exp\":" + (now + 600)
                + ",\"nbf\":" + (now - 60) + ",\"iat\":" + now + ",\"jti\":\"" + UUID.randomUUID() + "\",\"access\":["
                + String.join(",", access) + "]}";
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            issued.incrementAndGet();
            return signingInput + "." + url.encodeToString(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a registry token", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
