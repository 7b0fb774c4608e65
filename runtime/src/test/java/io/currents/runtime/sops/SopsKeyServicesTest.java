package io.currents.runtime.sops;

import io.currents.testkit.registry.TestCertificates;
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
 * Data keys wrapped by HashiCorp Vault's transit engine, AWS KMS, GCP KMS and Azure Key Vault are unwrapped with the
 * decryption Secret's {@code sops.vault-token}, {@code sops.aws-kms}, {@code sops.gcp-kms} and {@code sops.azure-kv}
 * entries, over HTTP to a loopback server speaking each protocol (Vault's transit API; KMS's JSON API through the AWS
 * SDK; GCP KMS's REST API with a token from Google's OAuth endpoint; Key Vault's unwrapkey with a token from Entra ID).
 */
class SopsKeyServicesTest {

    private static final String TOKEN = "hvs.test-token-for-transit";
    private static final String ACCESS_KEY = "AKIAEXAMPLEKMSTEST01";
    private static final String ARN = "arn:aws:kms:eu-west-3:123456789012:key/0b5f4a8e-1111-2222-3333-444455556666";
    private static final String DOC = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: p4ssw0rd}\n";
    private static final String GCP_KEY = "projects/currents-test/locations/europe-west1/keyRings/sops/cryptoKeys/apps";
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db48";
    private static final String CLIENT = "559513bd-0c19-4c1a-87cd-851a26afd5fc";
    private static final String CLIENT_SECRET = "e763725a-not-a-real-secret";
    private static final TestCertificates.Mutual CERTIFICATES = TestCertificates.caServerAndClient("127.0.0.1");
    private static KeyServiceServer server;

    @BeforeAll
    static void start() {
        server = KeyServiceServer.start(TOKEN, ACCESS_KEY)
                .azureServicePrincipal(TENANT, CLIENT, CLIENT_SECRET)
                .azureCertificatePrincipal(TENANT, CLIENT, CERTIFICATES.clientCertificatePem());
        // The AWS SDK's own override of the KMS endpoint, read when a client is built.
        System.setProperty("aws.endpointUrlKms", server.url());
        // The controller's settings for GCP KMS's endpoint and Azure's instance metadata service.
        System.setProperty("currents.sops.gcp-kms-endpoint", server.gcpKmsEndpoint());
        System.setProperty("currents.sops.azure-imds-endpoint", server.azureImdsEndpoint());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.endpointUrlKms");
        System.clearProperty("currents.sops.gcp-kms-endpoint");
        System.clearProperty("currents.sops.azure-imds-endpoint");
        server.close();
    }

    private static String decrypt(SopsKeys keys, String encrypted) {
        return new String(new SopsDecryptor(keys).decrypt(encrypted.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML),
                StandardCharsets.UTF_8);
    }

    @Test
    void aGcpKmsWrappedFileDecryptsWithTheSecretsServiceAccountKey() {
        String encrypted = new SopsEncryptor().keyService("gcp_kms", key -> server.gcpEntry(key, GCP_KEY)).encryptYaml(DOC);
        long tokens = server.tokensIssued("gcp");
        int before = server.decryptions();
        SopsKeys keys = SopsKeys.fromSecretData(Map.of(SopsKeys.GCP_KMS, (server.gcpServiceAccountJson() + "\n").getBytes(StandardCharsets.UTF_8)));

        assertThat(decrypt(keys, encrypted)).contains("password: p4ssw0rd");
        assertThat(server.decryptions()).isEqualTo(before + 1);
        // the token came from Google's token endpoint for a JWT signed by the service account's key
        assertThat(server.tokensIssued("gcp")).isGreaterThan(tokens);
    }

    @Test
    void aGcpServiceAccountOfAnotherKeyIsRefusedByTheTokenEndpointAndTheKeyIsNeverShown() {
        String encrypted = new SopsEncryptor().keyService("gcp_kms", key -> server.gcpEntry(key, GCP_KEY)).encryptYaml(DOC);
        // another service account key: same token endpoint, different private key
        String other;
        try (KeyServiceServer elsewhere = KeyServiceServer.start("t", "AKIAOTHER00000000000")) {
            other = elsewhere.gcpServiceAccountJson().replace(elsewhere.url(), server.url());
        }
        SopsKeys keys = new SopsKeys().gcpCredentials(other);
        String privateKeyLine = other.substring(other.indexOf("BEGIN PRIVATE KEY-----\\n") + 24, other.indexOf("BEGIN PRIVATE KEY-----\\n") + 60);
        assertThatThrownBy(() -> decrypt(keys, encrypted)).isInstanceOf(SopsException.class)
                .hasMessageContaining("gcp_kms " + GCP_KEY + ": failed to get a GCP access token")
                .hasMessageNotContaining(privateKeyLine);
        assertThatThrownBy(() -> decrypt(new SopsKeys().gcpCredentials("{\"type\":\"service_account\"}"), encrypted))
                .hasMessageContaining("the sops.gcp-kms entry is not a GCP credentials JSON Google's auth library reads");
    }

    @Test
    void aGcpResourceIdThatIsNotAKmsKeyNameIsRefusedBeforeAnyCall() {
        String bad = "projects/p/locations/l/keyRings/r/cryptoKeys/k/../../../../../../v1/other";
        String encrypted = new SopsEncryptor().keyService("gcp_kms", key -> server.gcpEntry(key, bad)).encryptYaml(DOC);
        long tokens = server.tokensIssued("gcp");
        assertThatThrownBy(() -> decrypt(new SopsKeys().gcpCredentials(server.gcpServiceAccountJson()), encrypted))
                .hasMessageContaining("invalid GCP KMS key resource id");
        assertThat(server.tokensIssued("gcp")).isEqualTo(tokens);
    }

    @Test
    void anAzureKeyVaultWrappedFileDecryptsWithAServicePrincipalSecretInYamlOrAzsJson() {
        String encrypted = new SopsEncryptor().keyService("azure_kv", key -> server.azureEntry(key, "sops", "0f2b4c6d8e")).encryptYaml(DOC);
        String yaml = "tenantId: " + TENANT + "\nclientId: " + CLIENT + "\nclientSecret: " + CLIENT_SECRET
                + "\nauthorityHost: " + server.azureAuthorityHost() + "\n";
        assertThat(decrypt(SopsKeys.fromSecretData(Map.of(SopsKeys.AZURE_KV, yaml.getBytes(StandardCharsets.UTF_8))), encrypted))
                .contains("password: p4ssw0rd");

        // the output of `az ad sp create-for-rbac`, as Flux documents it
        String az = "{\"appId\": \"" + CLIENT + "\", \"displayName\": \"sops\", \"password\": \"" + CLIENT_SECRET
                + "\", \"tenant\": \"" + TENANT + "\", \"authorityHost\": \"" + server.azureAuthorityHost() + "\"}";
        assertThat(decrypt(new SopsKeys().azureIdentity(az), encrypted)).contains("password: p4ssw0rd");
        assertThat(server.tokensIssued("azure-secret")).isPositive();
    }

    @Test
    void anAzureServicePrincipalCertificateSignsTheClientAssertion() {
        String encrypted = new SopsEncryptor().keyService("azure_kv", key -> server.azureEntry(key, "sops-cert", "")).encryptYaml(DOC);
        String pem = CERTIFICATES.clientCertificatePem() + CERTIFICATES.clientKeyPem();
        String yaml = "tenantId: " + TENANT + "\nclientId: " + CLIENT + "\nclientCertificateSendChain: true\nauthorityHost: "
                + server.azureAuthorityHost() + "\nclientCertificate: |\n" + pem.indent(2);
        long before = server.tokensIssued("azure-certificate");

        assertThat(decrypt(new SopsKeys().azureIdentity(yaml), encrypted)).contains("password: p4ssw0rd");
        assertThat(server.tokensIssued("azure-certificate")).isEqualTo(before + 1);
    }

    @Test
    void aWrongClientSecretFailsWithEntraIdsAnswerAndNeverShowsTheSecret() {
        String encrypted = new SopsEncryptor().keyService("azure_kv", key -> server.azureEntry(key, "sops", "1")).encryptYaml(DOC);
        String yaml = "tenantId: " + TENANT + "\nclientId: " + CLIENT + "\nclientSecret: wrong-secret-value\nauthorityHost: "
                + server.azureAuthorityHost() + "\n";
        assertThatThrownBy(() -> decrypt(new SopsKeys().azureIdentity(yaml), encrypted)).isInstanceOf(SopsException.class)
                .hasMessageContaining("azure_kv " + server.url() + "/azure/keys/sops/1: Azure's token endpoint answered 401: "
                        + "AADSTS7000215: Invalid client secret provided.")
                .hasMessageNotContaining("wrong-secret-value");
        assertThatThrownBy(() -> new SopsKeys().azureIdentity("tenantId: only-a-tenant\n"))
                .hasMessageContaining("the sops.azure-kv entry needs tenantId, clientId and clientSecret");
    }

    @Test
    void theControllersOwnAzureIdentityGoesOnlyToKeyVaultsOfAzuresDomains() {
        String encrypted = new SopsEncryptor().keyService("azure_kv", key -> server.azureEntry(key, "sops", "1")).encryptYaml(DOC);
        // no sops.azure-kv entry (the controller's identity), and an entry naming only a managed identity: the tenant's
        // file points at a vault outside Azure, so no token of the node is fetched or sent
        for (SopsKeys keys : new SopsKeys[]{new SopsKeys(), new SopsKeys().azureIdentity("clientId: " + CLIENT)}) {
            assertThatThrownBy(() -> decrypt(keys, encrypted))
                    .hasMessageContaining("the controller's own Azure identity is only sent to https://*.vault.azure.net");
        }
        assertThat(server.tokensIssued("azure-imds")).isZero();

        assertThat(AzureKeyVault.resource(java.net.URI.create("https://team-a.vault.azure.net"))).isEqualTo("https://vault.azure.net");
        assertThat(AzureKeyVault.resource(java.net.URI.create("https://kv.vault.usgovcloudapi.net/"))).isEqualTo("https://vault.usgovcloudapi.net");
        assertThat(AzureKeyVault.resource(java.net.URI.create("https://vault.azure.net.attacker.example"))).isNull();
        assertThat(AzureKeyVault.resource(java.net.URI.create("https://attacker.example/x.vault.azure.net"))).isNull();
        assertThat(AzureKeyVault.resource(java.net.URI.create("https://.vault.azure.net"))).isNull();
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
