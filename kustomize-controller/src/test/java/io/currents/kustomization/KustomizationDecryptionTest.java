package io.currents.kustomization;

import io.currents.testkit.sops.AgeIdentity;
import io.currents.testkit.sops.KeyServiceServer;
import io.currents.testkit.sops.PgpKeyPair;
import io.currents.testkit.sops.SopsEncryptor;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;


/**
 * SOPS decryption with age and OpenPGP keys and an Azure Key Vault service principal from the decryption Secret; a wrong
 * key fails the build without leaking anything.
 */
@QuarkusTest
class KustomizationDecryptionTest {

    @Test
    void anAgeEncryptedSecretIsAppliedDecrypted() {
        var s = new KustomizationScenario("ks-sops");
        AgeIdentity key = AgeIdentity.generate();
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("sops-age").endMetadata()
                .addToStringData("identity.agekey", key.keyFile()).build()).create();
        String secret = new SopsEncryptor().age(key.recipient()).encryptedRegex("^(data|stringData)$").encryptYaml(dbSecret(s.namespace, "s3cr3t-value"));
        String dotenv = new SopsEncryptor().age(key.recipient()).encryptDotenv("API_TOKEN=t0ken-value\n");
        String revision = s.commit("repo", Map.of(
                "secret.yaml", secret,
                "kustomization.yaml", """
                        resources:
                          - secret.yaml
                        secretGenerator:
                          - name: api
                            namespace: %s
                            envs:
                              - api.env
                        generatorOptions:
                          disableNameSuffixHash: true
                        """.formatted(s.namespace),
                "api.env", dotenv));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", decryption("sops-age")));
        s.awaitApplied("app", revision);

        var db = s.client.secrets().inNamespace(s.namespace).withName("db").get();
        assertThat(decoded(db, "password")).isEqualTo("s3cr3t-value");
        assertThat(db.getData()).doesNotContainKey("sops");
        var api = s.client.secrets().inNamespace(s.namespace).withName("api").get();
        assertThat(decoded(api, "API_TOKEN")).isEqualTo("t0ken-value");
    }

    @Test
    void anOpenPgpEncryptedSecretIsAppliedDecrypted() {
        var s = new KustomizationScenario("ks-sops-pgp");
        PgpKeyPair key = PgpKeyPair.generate("Currents test <test@example.com>");
        // Flux reads OpenPGP keys from the Secret's *.asc entries (gpg --export-secret-keys --armor).
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("sops-gpg").endMetadata()
                .addToStringData("sops.asc", key.armoredSecretKey()).build()).create();
        String secret = new SopsEncryptor().pgp(key).encryptedRegex("^(data|stringData)$").encryptYaml(dbSecret(s.namespace, "pgp-s3cr3t"));
        assertThat(secret).doesNotContain("pgp-s3cr3t").contains(key.fingerprint());
        String revision = s.commit("repo", Map.of("secret.yaml", secret));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", decryption("sops-gpg")));
        s.awaitApplied("app", revision);

        var db = s.client.secrets().inNamespace(s.namespace).withName("db").get();
        assertThat(decoded(db, "password")).isEqualTo("pgp-s3cr3t");
        assertThat(db.getData()).doesNotContainKey("sops");
    }

    @Test
    void anAzureKeyVaultWrappedSecretIsAppliedWithTheTenantsServicePrincipal() {
        var s = new KustomizationScenario("ks-sops-azure");
        try (KeyServiceServer vault = KeyServiceServer.start("unused", "AKIAUNUSED0000000000")
                .azureServicePrincipal("tenant-a", "client-a", "client-secret-a")) {
            // Flux's documented sops.azure-kv entry: a service principal with a secret (authorityHost: the test's Entra ID)
            s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("sops-azure").endMetadata()
                    .addToStringData("sops.azure-kv", "tenantId: tenant-a\nclientId: client-a\nclientSecret: client-secret-a\n"
                            + "authorityHost: " + vault.azureAuthorityHost() + "\n").build()).create();
            String secret = new SopsEncryptor().keyService("azure_kv", key -> vault.azureEntry(key, "sops", "5c1d"))
                    .encryptedRegex("^(data|stringData)$").encryptYaml(dbSecret(s.namespace, "kv-s3cr3t"));
            String revision = s.commit("repo", Map.of("secret.yaml", secret));
            s.apply(KustomizationScenario.kustomization("app", "repo", "", decryption("sops-azure")));
            s.awaitApplied("app", revision);

            assertThat(decoded(s.client.secrets().inNamespace(s.namespace).withName("db").get(), "password")).isEqualTo("kv-s3cr3t");
            assertThat(vault.decryptions()).isEqualTo(1);
            assertThat(vault.tokensIssued("azure-secret")).isEqualTo(1);
        }
    }

    @Test
    void aWrongKeyFailsTheBuildAndNamesNoSecret() {
        var s = new KustomizationScenario("ks-sops-wrong");
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("sops-age").endMetadata()
                .addToStringData("identity.agekey", AgeIdentity.generate().keyFile()).build()).create();
        String secret = new SopsEncryptor().age(AgeIdentity.generate().recipient()).encryptedRegex("^(data|stringData)$").encryptYaml(dbSecret(s.namespace, "s3cr3t-value"));
        s.commit("repo", Map.of("secret.yaml", secret));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", decryption("sops-age")));
        var k = s.awaitNotReady("app", "BuildFailed");
        String message = KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage();
        assertThat(message).contains("decryption failed for 'Secret/" + s.namespace + "/db'").doesNotContain("s3cr3t");
        assertThat(s.client.secrets().inNamespace(s.namespace).withName("db").get()).isNull();
        assertThat(s.events("app")).anyMatch(e -> "Warning".equals(e.getType()) && "BuildFailed".equals(e.getReason()));
    }

    @Test
    void aDecryptionServiceAccountStallsWithFluxsFeatureGateReasonAndAppliesNothing() {
        var s = new KustomizationScenario("ks-sops-sa");
        s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("plain", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", """
                decryption:
                  provider: sops
                  serviceAccountName: kms-reader
                """));
        var k = s.awaitNotReady("app", "FeatureGateDisabled");
        assertThat(KustomizationScenario.condition(k, "Stalled").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage()).contains("spec.decryption.serviceAccountName");
        assertThat(s.object("v1", "ConfigMap", "plain")).isNull();
    }

    /** A Secret {@code db} holding {@code password}, to be encrypted. */
    private static String dbSecret(String namespace, String password) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  namespace: %s
                stringData:
                  password: %s
                """.formatted(namespace, password);
    }

    /** {@code spec.decryption} with SOPS keys from the Secret {@code secretName}. */
    static String decryption(String secretName) {
        return """
                decryption:
                  provider: sops
                  secretRef:
                    name: %s
                """.formatted(secretName);
    }

    private static String decoded(io.fabric8.kubernetes.api.model.Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
