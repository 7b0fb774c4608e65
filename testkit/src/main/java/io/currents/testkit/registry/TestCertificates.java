package io.currents.testkit.registry;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** A throwaway CA and a server certificate it signed, as PEM, for TLS test servers on loopback. */
public final class TestCertificates {

    /** The CA certificate, the server certificate and the server's PKCS#8 key, all PEM. */
    public record Pair(String caCertificatePem, String serverCertificatePem, String serverKeyPem) {
    }

    private TestCertificates() {
    }

    /** A server {@link Pair} plus a client certificate and its PKCS#8 key signed by the same CA, for mutual TLS. */
    public record Mutual(Pair server, String clientCertificatePem, String clientKeyPem) {
    }

    /** A CA and a server certificate for the IP address {@code ip}. */
    public static Pair caAndServer(String ip) {
        return caServerAndClient(ip).server();
    }

    /** A CA, a server certificate for the IP address {@code ip} and a client certificate, all from one CA. */
    public static Mutual caServerAndClient(String ip) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair caKey = generator.generateKeyPair();
            KeyPair serverKey = generator.generateKeyPair();
            KeyPair clientKey = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name caName = new X500Name("CN=Currents Test CA");
            X509CertificateHolder ca = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, Date.from(now.minusSeconds(3600)),
                    Date.from(now.plusSeconds(86400)), caName, caKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey.getPrivate()));
            X509CertificateHolder server = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, Date.from(now.minusSeconds(3600)),
                    Date.from(now.plusSeconds(86400)), new X500Name("CN=" + ip), serverKey.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)))
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey.getPrivate()));
            X509CertificateHolder client = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(3), Date.from(now.minusSeconds(3600)),
                    Date.from(now.plusSeconds(86400)), new X500Name("CN=currents-test-client"), clientKey.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey.getPrivate()));
            Pair pair = new Pair(pem("CERTIFICATE", ca.getEncoded()), pem("CERTIFICATE", server.getEncoded()),
                    pem("PRIVATE KEY", serverKey.getPrivate().getEncoded()));
            return new Mutual(pair, pem("CERTIFICATE", client.getEncoded()), pem("PRIVATE KEY", clientKey.getPrivate().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test certificates", e);
        }
    }

    /**
     * An SSLContext for a server presenting {@code pair}'s certificate; with {@code clientCaPem} it
     * trusts client certificates signed by that CA (the server decides whether to ask for one).
     */
    public static SSLContext serving(Pair pair, String clientCaPem) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            String body = pair.serverKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            keys.setKeyEntry("server", key, new char[0], new Certificate[] {CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pair.serverCertificatePem().getBytes(StandardCharsets.US_ASCII)))});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), clientCaPem == null ? null : trustManagers(clientCaPem), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustManager[] trustManagers(String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }

    /** An SSLContext that trusts only the given PEM CA. */
    public static SSLContext trusting(String caPem) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(caPem), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSLContext that serves the pair's server certificate (for an HTTPS test server). */
    public static SSLContext serving(Pair pair) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            java.security.cert.Certificate server = factory.generateCertificate(
                    new ByteArrayInputStream(pair.serverCertificatePem().getBytes(StandardCharsets.US_ASCII)));
            java.security.cert.Certificate ca = factory.generateCertificate(
                    new ByteArrayInputStream(pair.caCertificatePem().getBytes(StandardCharsets.US_ASCII)));
            String body = pair.serverKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            java.security.PrivateKey key = java.security.KeyFactory.getInstance("RSA")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, new char[0], new java.security.cert.Certificate[]{server, ca});
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
