package io.currents.git;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS settings for an HTTPS remote, from Flux's Secret keys: {@code ca.crt} (PEM certificates to
 * trust instead of the system's), {@code tls.crt} and {@code tls.key} (a client certificate and its
 * PEM key, for servers that ask for mutual TLS). The key is never printed. Git remotes and
 * source-controller's Helm repositories read these keys alike.
 */
public record GitTls(String caCertificates, String clientCertificate, String clientKey) {

    /** No custom settings: the JVM's trust store, no client certificate. */
    public static final GitTls NONE = new GitTls(null, null, null);

    public boolean isEmpty() {
        return !GitAuth.present(caCertificates) && !GitAuth.present(clientCertificate) && !GitAuth.present(clientKey);
    }

    /**
     * The SSL context these settings describe, or null when they are empty (the JVM's default applies).
     *
     * @throws GitException {@code AuthenticationFailed} when a certificate or key cannot be read, or
     *                      only one of {@code tls.crt} and {@code tls.key} is given
     */
    public SSLContext sslContext() throws GitException {
        if (isEmpty()) {
            return null;
        }
        if (GitAuth.present(clientCertificate) != GitAuth.present(clientKey)) {
            throw failure("a client certificate needs both 'tls.crt' and 'tls.key'");
        }
        try {
            TrustManagerFactory trust = null;
            if (GitAuth.present(caCertificates)) {
                KeyStore store = emptyStore();
                int index = 0;
                for (Certificate certificate : certificates(caCertificates, "ca.crt")) {
                    store.setCertificateEntry("ca-" + index++, certificate);
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (GitAuth.present(clientCertificate)) {
                KeyStore store = emptyStore();
                char[] password = new char[0];
                store.setKeyEntry("client", privateKey(clientKey),
                        password, certificates(clientCertificate, "tls.crt").toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw failure("cannot set up TLS: " + e.getClass().getSimpleName());
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        return store;
    }

    private static List<Certificate> certificates(String pem, String key) throws GitException {
        try {
            Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (parsed.isEmpty()) {
                throw failure("'" + key + "' holds no PEM certificate");
            }
            return new ArrayList<>(parsed);
        } catch (GeneralSecurityException e) {
            throw failure("'" + key + "' is not a valid PEM certificate");
        }
    }

    private static PrivateKey privateKey(String pem) throws GitException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            // reported below, without the parser's message: it may quote key material
        }
        throw failure("'tls.key' is not an unencrypted PEM private key (PKCS#1, PKCS#8 or SEC1)");
    }

    private static GitException failure(String message) {
        return new GitException(GitException.AUTHENTICATION_FAILED, message);
    }

    @Override
    public String toString() {
        return "GitTls[ca=" + GitAuth.present(caCertificates) + ", clientCertificate=" + GitAuth.present(clientCertificate) + "]";
    }
}
