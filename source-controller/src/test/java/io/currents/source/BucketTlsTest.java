package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.currents.testkit.registry.TestCertificates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * certSecretRef: an S3 endpoint behind a private CA is trusted with the CA of the Secret, and refused without it; an
 * endpoint that requires a client certificate gets the one of the Secret.
 */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class BucketTlsTest {

    @Test
    void anEndpointSignedByAPrivateCaIsTrustedThroughCertSecretRefOnly() throws Exception {
        try (S3Server server = S3Server.filesystem(true)) {
            server.createBucket("secure");
            server.put("secure", "a.yaml", "a: 1\n");
            var scenario = new BucketScenario("bucket-tls");
            scenario.cluster.secret("ca", Map.of("ca.crt", server.caPem()));

            scenario.apply("untrusted", server, "secure", null);
            Bucket refused = scenario.awaitNotReady("untrusted", "BucketOperationFailed");
            assertThat(scenario.readyMessage(refused)).containsIgnoringCase("certification path");

            scenario.apply("trusted", server, "secure", """
                    certSecretRef:
                      name: ca
                    """);
            Bucket ready = scenario.awaitReady("trusted");
            assertThat(BucketScenario.files(ready)).isEqualTo(Map.of("a.yaml", "a: 1\n"));
        }
    }

    @Test
    void anEndpointRequiringAClientCertificateGetsTheOneOfCertSecretRef() throws Exception {
        TestCertificates.Mutual certificates = TestCertificates.caServerAndClient("127.0.0.1");
        try (S3Server server = S3Server.mutualTls(certificates)) {
            server.createBucket("mtls");
            server.put("mtls", "a.yaml", "a: 1\n");
            var scenario = new BucketScenario("bucket-mtls");
            scenario.cluster.secret("ca-only", Map.of("ca.crt", server.caPem()));
            scenario.cluster.secret("client", Map.of("ca.crt", server.caPem(), "tls.crt", certificates.clientCertificatePem(),
                    "tls.key", certificates.clientKeyPem()));

            scenario.apply("without-certificate", server, "mtls", "certSecretRef:\n  name: ca-only\n");
            Bucket refused = scenario.awaitNotReady("without-certificate", "BucketOperationFailed");
            assertThat(server.objectGets()).isZero();

            scenario.apply("with-certificate", server, "mtls", "certSecretRef:\n  name: client\n");
            Bucket ready = scenario.awaitReady("with-certificate");
            assertThat(BucketScenario.files(ready)).isEqualTo(Map.of("a.yaml", "a: 1\n"));
            // The refusal reaches the client either as the TLS 1.3 alert or as a reset of the connection it was writing on,
            // depending on which side of the handshake the JVM notices first: both name the bucket it could not reach.
            assertThat(scenario.readyMessage(refused)).contains("'mtls' bucket")
                    .containsAnyOf("certificate_required", "Error writing to server", "handshake", "Connection reset");
        }
    }
}
