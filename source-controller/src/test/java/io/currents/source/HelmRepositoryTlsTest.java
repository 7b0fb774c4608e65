package io.currents.source;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.currents.api.source.v1.HelmRepository;
import io.currents.source.helm.TestCharts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** certSecretRef: a repository served over HTTPS by a private CA, with and without client certificates. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmRepositoryTlsTest {

    /** A throwaway CA that signs a server certificate for 127.0.0.1 and a client certificate. */
    record Pki(KeyPair caKey, X509Certificate ca, KeyPair serverKey, X509Certificate server, KeyPair clientKey, X509Certificate client) {

        static Pki create() throws Exception {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair caKey = gen.generateKeyPair();
            X509Certificate ca = sign(new X500Name("CN=test-ca"), caKey, new X500Name("CN=test-ca"), caKey, true, false);
            KeyPair serverKey = gen.generateKeyPair();
            X509Certificate server = sign(new X500Name("CN=127.0.0.1"), serverKey, new X500Name("CN=test-ca"), caKey, false, true);
            KeyPair clientKey = gen.generateKeyPair();
            X509Certificate client = sign(new X500Name("CN=flux"), clientKey, new X500Name("CN=test-ca"), caKey, false, false);
            return new Pki(caKey, ca, serverKey, server, clientKey, client);
        }

        private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey,
                                            boolean isCa, boolean localhost) throws Exception {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, subjectKey.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (localhost) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate())));
        }

        static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }

        /** An HTTPS chart repository with this PKI's server certificate; {@code clientAuth} demands a client certificate signed by the CA. */
        HttpsServer serve(byte[] index, boolean clientAuth) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", serverKey.getPrivate(), new char[0], new Certificate[]{server, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(ssl) {
                @Override
                public void configure(HttpsParameters params) {
                    params.setNeedClientAuth(clientAuth);
                }
            });
            https.createContext("/", exchange -> {
                try (exchange) {
                    if (!exchange.getRequestURI().getPath().endsWith("/index.yaml")) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    exchange.sendResponseHeaders(200, index.length);
                    exchange.getResponseBody().write(index);
                }
            });
            https.start();
            return https;
        }
    }

    private static String url(HttpsServer server) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/charts";
    }

    @Test
    void aRepositoryServedByAPrivateCaIsTrustedOnlyWithItsCaCertificate() throws Exception {
        Pki pki = Pki.create();
        HttpsServer server = pki.serve(TestCharts.index(Map.of("app", List.of("1.0.0"))).getBytes(), false);
        try {
            var scenario = new SourceScenario("helmrepo-ca");
            scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", url(server), "certSecretRef:\n  name: tls\n"));
            HelmRepository failed = scenario.awaitNotReady(HelmRepository.class, "repo", "AuthenticationFailed");
            assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage()).contains("tls").contains("not found");

            scenario.secret("tls", Map.of("ca.crt", Pki.pem("CERTIFICATE", pki.ca().getEncoded())));
            scenario.reconcileNow(HelmRepository.class, "repo");
            HelmRepository ready = scenario.awaitReady(HelmRepository.class, "repo");
            assertThat(ready.getStatus().getArtifact().getRevision()).startsWith("sha256:");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutTheCaTheServerCertificateIsRefused() throws Exception {
        Pki pki = Pki.create();
        HttpsServer server = pki.serve(TestCharts.index(Map.of("app", List.of("1.0.0"))).getBytes(), false);
        try {
            var scenario = new SourceScenario("helmrepo-noca");
            scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", url(server), null));
            HelmRepository failed = scenario.awaitNotReady(HelmRepository.class, "repo", "Failed");
            assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage()).startsWith("failed to fetch Helm repository index: ");
            assertThat(failed.getStatus().getArtifact()).isNull();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aClientCertificateFromCertSecretRefIsPresentedWhenTheServerAsksForOne() throws Exception {
        Pki pki = Pki.create();
        HttpsServer server = pki.serve(TestCharts.index(Map.of("app", List.of("1.0.0"))).getBytes(), true);
        try {
            var scenario = new SourceScenario("helmrepo-mtls");
            scenario.secret("ca-only", Map.of("ca.crt", Pki.pem("CERTIFICATE", pki.ca().getEncoded())));
            scenario.apply(HelmRepository.class, SourceScenario.helmRepository("anonymous", url(server), "certSecretRef:\n  name: ca-only\n"));
            scenario.awaitNotReady(HelmRepository.class, "anonymous", "Failed");

            scenario.secret("mtls", Map.of(
                    "ca.crt", Pki.pem("CERTIFICATE", pki.ca().getEncoded()),
                    "tls.crt", Pki.pem("CERTIFICATE", pki.client().getEncoded()),
                    "tls.key", Pki.pem("PRIVATE KEY", pki.clientKey().getPrivate().getEncoded())));
            scenario.apply(HelmRepository.class, SourceScenario.helmRepository("client", url(server), "certSecretRef:\n  name: mtls\n"));
            assertThat(scenario.awaitReady(HelmRepository.class, "client").getStatus().getArtifact()).isNotNull();
        } finally {
            server.stop(0);
        }
    }
}
