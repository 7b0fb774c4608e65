package io.currents.notification.controller;

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
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * TLS material of a Provider, read as Flux's {@code TLSConfigFromSecret} reads it: {@code ca.crt} (or the legacy
 * {@code caFile}) to trust instead of the system's CAs, and {@code tls.crt} + {@code tls.key} (legacy {@code certFile},
 * {@code keyFile}) for mutual TLS. A certificate without its key, or a Secret with neither a pair nor a CA, is refused as
 * Flux refuses it. Key material never appears in a message.
 */
record ProviderTls(String caCertificates, String clientCertificate, String clientKey, String secretName) {

    /** The TLS keys of a Secret's data, or null when the Secret has none of them. */
    static ProviderTls fromSecret(Map<String, String> data, String secretName) {
        String ca = first(data, "ca.crt", "caFile");
        String cert = first(data, "tls.crt", "certFile");
        String key = first(data, "tls.key", "keyFile");
        if (ca == null && cert == null && key == null) {
            return null;
        }
        return new ProviderTls(ca, cert, key, secretName);
    }

    private static String first(Map<String, String> data, String key, String legacy) {
        String value = data.get(key);
        if (value == null || value.isEmpty()) {
            value = data.get(legacy);
        }
        return value == null || value.isEmpty() ? null : value;
    }

    /** Checks the combination as Flux does, before anything is sent. */
    void validate() throws DispatchException {
        if ((clientCertificate == null) != (clientKey == null)) {
            throw new DispatchException("invalid TLS data in Secret '" + secretName + "': "
                    + (clientCertificate == null ? "'tls.key' without 'tls.crt'" : "'tls.crt' without 'tls.key'"));
        }
        if (clientCertificate == null && caCertificates == null) {
            throw new DispatchException("invalid TLS data in Secret '" + secretName + "': neither a certificate pair nor 'ca.crt'");
        }
    }

    boolean hasClientCertificate() {
        return clientCertificate != null;
    }

    /** A stable fingerprint of the material, to share one HTTP client between deliveries with the same TLS settings. */
    String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{caCertificates, clientCertificate, clientKey}) {
                digest.update(part == null ? new byte[]{0} : part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 1);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    SSLContext sslContext() throws DispatchException {
        validate();
        try {
            TrustManagerFactory trust = null;
            if (caCertificates != null) {
                KeyStore store = emptyStore();
                int i = 0;
                for (Certificate c : certificates(caCertificates, "ca.crt")) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (clientCertificate != null) {
                KeyStore store = emptyStore();
                char[] none = new char[0];
                store.setKeyEntry("client", privateKey(clientKey, "tls.key"), none,
                        certificates(clientCertificate, "tls.crt").toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, none);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new DispatchException("invalid TLS data in Secret '" + secretName + "': " + e.getClass().getSimpleName());
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        return store;
    }

    private List<Certificate> certificates(String pem, String key) throws DispatchException {
        try {
            List<Certificate> parsed = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            if (parsed.isEmpty()) {
                throw new DispatchException("invalid TLS data in Secret '" + secretName + "': '" + key + "' holds no PEM certificate");
            }
            return parsed;
        } catch (GeneralSecurityException e) {
            throw new DispatchException("invalid TLS data in Secret '" + secretName + "': '" + key + "' is not a PEM certificate");
        }
    }

    /** An unencrypted PEM private key: PKCS#1, PKCS#8 or SEC1; the parser's message is never repeated, it may quote the key. */
    static PrivateKey privateKey(String pem, String what) throws DispatchException {
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
            // reported below
        }
        throw new DispatchException("'" + what + "' is not an unencrypted PEM private key (PKCS#1, PKCS#8 or SEC1)");
    }

    @Override
    public String toString() {
        return "ProviderTls[ca=" + (caCertificates != null) + ", clientCertificate=" + (clientCertificate != null) + "]";
    }
}
