package io.currents.source;

import io.currents.api.source.v1.OCIRepository;
import io.currents.oci.CosignSignatures;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** spec.verify: cosign signatures checked with public keys; unsigned artifacts and unsupported modes never pass silently. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class OCIRepositoryVerificationTest {

    static OciRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = OciRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void aSignedArtifactIsVerifiedAndAnUnsignedOneIsRefusedKeepingThePreviousArtifact() throws Exception {
        var s = new OCIRepositoryScenario("oci-cosign", registry);
        KeyPair key = ecKey();
        String signed = s.push("signed/app", "latest", Map.of("a.yaml", "a: 1\n"));
        CosignSignatures.sign(s.pusher, s.ref("signed/app"), signed, key.getPrivate());
        s.cluster.secret("cosign", Map.of("cosign.pub", pem(key), "other.pub", pem(ecKey()), "README", "not a key"));
        s.apply("app", "signed/app", "insecure: true\nverify:\n  provider: cosign\n  secretRef:\n    name: cosign\n");

        OCIRepository ready = s.awaitReady("app");
        assertThat(SourceScenario.condition(ready, "SourceVerified").orElseThrow().getStatus()).isEqualTo("True");

        s.push("signed/app", "latest", Map.of("a.yaml", "a: 2\n"));
        s.reconcileNow("app");
        OCIRepository refused = s.awaitNotReady("app", "VerificationError");
        assertThat(s.readyMessage(refused)).contains("no cosign signature found");
        assertThat(SourceScenario.condition(refused, "SourceVerified").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(refused.getStatus().getArtifact().getRevision()).isEqualTo("latest@" + signed);
        assertThat(s.cluster.events("app")).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("VerificationError"));
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        var s = new OCIRepositoryScenario("oci-otherkey", registry);
        String digest = s.push("otherkey/app", "latest", Map.of("a.yaml", "a: 1\n"));
        CosignSignatures.sign(s.pusher, s.ref("otherkey/app"), digest, ecKey().getPrivate());
        s.cluster.secret("cosign", Map.of("cosign.pub", pem(ecKey())));
        s.apply("app", "otherkey/app", "insecure: true\nverify:\n  provider: cosign\n  secretRef:\n    name: cosign\n");

        OCIRepository refused = s.awaitNotReady("app", "VerificationError");
        assertThat(s.readyMessage(refused)).contains("no matching signatures were found");
        assertThat(refused.getStatus().getArtifact()).isNull();
    }

    @Test
    void keylessAndNotationSayTheyAreNotSupportedInsteadOfPassing() throws Exception {
        var s = new OCIRepositoryScenario("oci-keyless", registry);
        s.push("keyless/app", "latest", Map.of("a.yaml", "a: 1\n"));
        s.apply("keyless", "keyless/app", "insecure: true\nverify:\n  provider: cosign\n");
        s.apply("notation", "keyless/app", "insecure: true\nverify:\n  provider: notation\n  secretRef:\n    name: x\n");

        assertThat(s.readyMessage(s.awaitNotReady("keyless", "VerificationError"))).contains("keyless verification").contains("not supported");
        OCIRepository notation = s.awaitNotReady("notation", "VerificationError");
        assertThat(s.readyMessage(notation)).contains("notation signature verification is not supported");
        assertThat(notation.getStatus().getArtifact()).isNull();
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
