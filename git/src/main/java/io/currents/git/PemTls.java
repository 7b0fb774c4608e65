package io.currents.git;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

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

/**
 * An SSL context from the PEM material of Flux's TLS Secret keys ({@code ca.crt}, {@code tls.crt}, {@code tls.key}),
 * shared by Git remotes, Helm repositories and notification Providers. Messages name the Secret key at fault and
 * never repeat a parser's message, which may quote key material.
 */
public final class PemTls {

    /** Material that cannot be read; the message says which key and why. */
    public static final class InvalidMaterial extends Exception {
        InvalidMaterial(String message) {
            super(message);
        }
    }

    private PemTls() {
    }

    /**
     * Trusts {@code caCertificates} instead of the JVM's CAs unless null, and presents {@code clientCertificate} with
     * {@code clientKey} unless null (the caller checks that both or neither are given).
     */
    public static SSLContext sslContext(String caCertificates, String clientCertificate, String clientKey) throws InvalidMaterial {
        try {
            TrustManagerFactory trust = null;
            if (caCertificates != null) {
                KeyStore store = emptyStore();
                int index = 0;
                for (Certificate certificate : certificates(caCertificates, "ca.crt")) {
                    store.setCertificateEntry("ca-" + index++, certificate);
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (clientCertificate != null) {
                KeyStore store = emptyStore();
                char[] password = new char[0];
                store.setKeyEntry("client", privateKey(clientKey, "tls.key"), password,
                        certificates(clientCertificate, "tls.crt").toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidMaterial("cannot set up TLS: " + e.getClass().getSimpleName());
        }
    }

    /** An unencrypted PEM private key (PKCS#1, PKCS#8 or SEC1); {@code key} names it in the message. */
    public static PrivateKey privateKey(String pem, String key) throws InvalidMaterial {
        try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            // reported below, without the parser's message
        }
        throw new InvalidMaterial("'" + key + "' is not an unencrypted PEM private key (PKCS#1, PKCS#8 or SEC1)");
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        return store;
    }

    private static List<Certificate> certificates(String pem, String key) throws InvalidMaterial {
        try {
            Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (parsed.isEmpty()) {
                throw new InvalidMaterial("'" + key + "' holds no PEM certificate");
            }
            return new ArrayList<>(parsed);
        } catch (GeneralSecurityException e) {
            throw new InvalidMaterial("'" + key + "' is not a valid PEM certificate");
        }
    }
}
