package io.currents.notification.controller;

import io.currents.git.PemTls;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.HexFormat;
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
            return PemTls.sslContext(caCertificates, clientCertificate, clientKey);
        } catch (PemTls.InvalidMaterial e) {
            throw new DispatchException("invalid TLS data in Secret '" + secretName + "': " + e.getMessage());
        }
    }

    /** An unencrypted PEM private key: PKCS#1, PKCS#8 or SEC1. */
    static PrivateKey privateKey(String pem, String what) throws DispatchException {
        try {
            return PemTls.privateKey(pem, what);
        } catch (PemTls.InvalidMaterial e) {
            throw new DispatchException(e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ProviderTls[ca=" + (caCertificates != null) + ", clientCertificate=" + (clientCertificate != null) + "]";
    }
}
