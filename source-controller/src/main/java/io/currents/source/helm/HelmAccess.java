package io.currents.source.helm;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * How to reach one HTTP/S chart repository: its URL, basic-auth credentials (sent to the repository's
 * own host and port, or to any host with {@code passCredentials}), the TLS material of
 * {@code certSecretRef} and the timeout of one request.
 */
public record HelmAccess(String url, String username, String password, boolean passCredentials, SSLContext ssl,
                         Duration timeout) {

    public static HelmAccess anonymous(String url, Duration timeout) {
        return new HelmAccess(url, null, null, false, null, timeout);
    }

    boolean hasCredentials() {
        return username != null && !username.isEmpty();
    }

    /** Whether credentials go along to {@code target}: same scheme, host and port as the repository, or passCredentials. */
    boolean credentialsFor(URI target) {
        if (!hasCredentials()) {
            return false;
        }
        if (passCredentials) {
            return true;
        }
        URI repo = URI.create(url);
        return Objects.equals(repo.getHost(), target.getHost()) && port(repo) == port(target);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    String basicAuthHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + (password == null ? "" : password))
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A TLS context from PEM text: {@code caCrt} to trust (besides nothing else, as Helm does when a CA
     * is given), {@code tlsCrt} + {@code tlsKey} as client certificate. Null when all three are absent.
     *
     * @throws IllegalArgumentException with a message naming the bad key
     */
    public static SSLContext tls(String caCrt, String tlsCrt, String tlsKey) {
        if (caCrt == null && tlsCrt == null && tlsKey == null) {
            return null;
        }
        if ((tlsCrt == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("'tls.crt' and 'tls.key' must be given together");
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caCrt != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(cf, caCrt, "ca.crt")) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (tlsCrt != null) {
                List<Certificate> chain = certificates(cf, tlsCrt, "tls.crt");
                PrivateKey key = privateKey(tlsKey);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot build the TLS configuration: " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(CertificateFactory cf, String pem, String key) throws Exception {
        List<Certificate> certs = new ArrayList<>(cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' contains no PEM certificate");
        }
        return certs;
    }

    private static PrivateKey privateKey(String pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException("'tls.key' contains no unencrypted PEM private key");
        }
    }
}
