package io.currents.image.registry;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * The TLS client settings of a {@code certSecretRef} Secret, with Flux's keys: {@code ca.crt} (trusted
 * CAs, PEM) and {@code tls.crt}/{@code tls.key} (client certificate and PKCS#8 key, PEM); the older
 * {@code caFile}/{@code certFile}/{@code keyFile} are read too.
 */
public final class TlsSettings {

    private TlsSettings() {
    }

    /** An SSLContext from the Secret's data (decoded values by key). */
    public static SSLContext fromSecret(Map<String, byte[]> data) throws IllegalArgumentException {
        byte[] ca = first(data, "ca.crt", "caFile");
        byte[] cert = first(data, "tls.crt", "certFile");
        byte[] key = first(data, "tls.key", "keyFile");
        if (ca == null && cert == null) {
            throw new IllegalArgumentException("the certificate Secret has neither 'ca.crt' nor 'tls.crt'/'tls.key'");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("the certificate Secret must have both 'tls.crt' and 'tls.key' for a client certificate");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            TrustManagerFactory tmf = null;
            if (ca != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : factory.generateCertificates(new ByteArrayInputStream(ca))) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                if (i == 0) {
                    throw new IllegalArgumentException("'ca.crt' holds no PEM certificate");
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (cert != null) {
                Collection<? extends Certificate> chain = factory.generateCertificates(new ByteArrayInputStream(cert));
                PrivateKey privateKey = privateKey(new String(key, StandardCharsets.US_ASCII));
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                keys.setKeyEntry("client", privateKey, new char[0], chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("the certificate Secret could not be read: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(String pem) throws Exception {
        if (!pem.contains("BEGIN PRIVATE KEY")) {
            throw new IllegalArgumentException("'tls.key' must be a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with 'openssl pkcs8 -topk8 -nocrypt'");
        }
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (Exception ignored) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("'tls.key' is not an RSA, EC or Ed25519 key");
    }

    private static byte[] first(Map<String, byte[]> data, String... keys) {
        for (String k : keys) {
            if (data.get(k) != null && data.get(k).length > 0) {
                return data.get(k);
            }
        }
        return null;
    }
}
