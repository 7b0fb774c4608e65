package io.currents.runtime.sops;

import io.currents.testkit.sops.KeyServiceServer;
import io.currents.testkit.sops.SopsEncryptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Data keys wrapped by HashiCorp Vault's transit engine and by AWS KMS are unwrapped with the decryption Secret's
 * {@code sops.vault-token} and {@code sops.aws-kms} entries, over HTTP to a loopback server speaking each protocol
 * (Vault's transit API; KMS's JSON API through the AWS SDK).
 */
class SopsKeyServicesTest {

    private static final String TOKEN = "hvs.test-token-for-transit";
    private static final String ACCESS_KEY = "AKIAEXAMPLEKMSTEST01";
    private static final String ARN = "arn:aws:kms:eu-west-3:123456789012:key/0b5f4a8e-1111-2222-3333-444455556666";
    private static final String DOC = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: p4ssw0rd}\n";
    private static KeyServiceServer server;

    @BeforeAll
    static void start() {
        server = KeyServiceServer.start(TOKEN, ACCESS_KEY);
        // The AWS SDK's own override of the KMS endpoint, read when a client is built.
        System.setProperty("aws.endpointUrlKms", server.url());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.endpointUrlKms");
        server.close();
    }

    @Test
    void aVaultTransitWrappedFileDecryptsWithTheSecretsToken() {
        String encrypted = new SopsEncryptor().keyService("hc_vault", key -> server.vaultEntry(key, "sops", "apps")).encryptYaml(DOC);
        int before = server.decryptions();
        SopsKeys keys = SopsKeys.fromSecretData(Map.of(SopsKeys.VAULT_TOKEN, (TOKEN + "\n").getBytes(StandardCharsets.UTF_8)));

        String plain = new String(new SopsDecryptor(keys).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML),
                StandardCharsets.UTF_8);

        assertThat(plain).contains("password: p4ssw0rd");
        assertThat(server.decryptions()).isEqualTo(before + 1);
    }

    @Test
    void aWrongVaultTokenFailsWithVaultsAnswerAndNeverShowsTheToken() {
        String encrypted = new SopsEncryptor().keyService("hc_vault", key -> server.vaultEntry(key, "sops", "apps")).encryptYaml(DOC);
        SopsKeys keys = new SopsKeys().vaultToken("hvs.not-the-token");
        assertThatThrownBy(() -> new SopsDecryptor(keys).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .isInstanceOf(SopsException.class)
                .hasMessageContaining("hc_vault " + server.url() + "/v1/sops/keys/apps: Vault answered 403: permission denied")
                .hasMessageNotContaining("hvs.not-the-token");
        assertThatThrownBy(() -> new SopsDecryptor(new SopsKeys()).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .hasMessageContaining("no Vault token (sops.vault-token) in the decryption Secret");
    }

    @Test
    void anAwsKmsWrappedFileDecryptsWithTheSecretsCredentialsAndEncryptionContext() {
        Map<String, String> context = Map.of("team", "payments");
        String encrypted = new SopsEncryptor().keyService("kms", key -> server.kmsEntry(key, ARN, context)).encryptYaml(DOC);
        SopsKeys keys = SopsKeys.fromSecretData(Map.of(SopsKeys.AWS_KMS, ("aws_access_key_id: " + ACCESS_KEY
                + "\naws_secret_access_key: wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n").getBytes(StandardCharsets.UTF_8)));

        String plain = new String(new SopsDecryptor(keys).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML),
                StandardCharsets.UTF_8);

        assertThat(plain).contains("password: p4ssw0rd");
    }

    @Test
    void otherAwsCredentialsAreRefusedByKms() {
        String encrypted = new SopsEncryptor().keyService("kms", key -> server.kmsEntry(key, ARN, Map.of())).encryptYaml(DOC);
        SopsKeys keys = new SopsKeys().awsCredentials("aws_access_key_id: AKIAOTHERKEY000000000\naws_secret_access_key: 'x'\n");
        assertThatThrownBy(() -> new SopsDecryptor(keys).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .isInstanceOf(SopsException.class).hasMessageContaining("kms " + ARN + ": AWS KMS decrypt failed")
                .hasMessageContaining("security token included in the request is invalid");
        assertThatThrownBy(() -> new SopsKeys().awsCredentials("aws_access_key_id: only-the-id"))
                .hasMessage("the sops.aws-kms entry needs aws_access_key_id and aws_secret_access_key");
    }
}
