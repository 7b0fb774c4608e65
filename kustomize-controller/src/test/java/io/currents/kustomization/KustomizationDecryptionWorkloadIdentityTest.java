package io.currents.kustomization;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.sops.FakeClouds;
import io.currents.testkit.sops.KeyServiceServer;
import io.currents.testkit.sops.SopsEncryptor;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * decryption.serviceAccountName under the ObjectLevelWorkloadIdentity gate for the cloud key services: without
 * credentials in a decryption Secret, AWS KMS, GCP KMS and Azure Key Vault are called with the cloud identity the
 * Kustomization's ServiceAccount is exchanged for (STS AssumeRoleWithWebIdentity, Google's STS and generateAccessToken,
 * Entra ID's client assertion), never with the controller's own. The fake clouds verify the account's token with the
 * API server; the fake key services accept only the credentials the clouds issued.
 */
@QuarkusTest
@TestProfile(GlobalDecryptionProfile.class)
class KustomizationDecryptionWorkloadIdentityTest {

    private static FakeClouds clouds;
    private static KeyServiceServer keys;
    private static final Map<String, String> PROPERTIES = new HashMap<>();

    @BeforeAll
    static void start() {
        // the profile's global age Secret must exist for any decryption to run; its key plays no part here
        GlobalDecryptionProfile.runtimeNamespace(io.currents.testkit.sops.AgeIdentity.generate().keyFile());
        var client = ControlPlane.shared().client();
        keys = KeyServiceServer.start("unused-vault-token", "AKIAUNUSED0000000000");
        clouds = FakeClouds.start(client, client.getConfiguration().getMasterUrl(), "unused").onIssued(keys::acceptBearer);
        PROPERTIES.putAll(clouds.controllerProperties());
        // the controller's own AWS identity is not the tenant's: no key of it is accepted by KMS here
        PROPERTIES.put("aws.endpointUrlKms", keys.url());
        PROPERTIES.put("currents.sops.gcp-kms-endpoint", keys.gcpKmsEndpoint());
        PROPERTIES.forEach(System::setProperty);
    }

    @AfterAll
    static void stop() {
        PROPERTIES.keySet().forEach(System::clearProperty);
        clouds.close();
        keys.close();
    }

    @Test
    void anAwsKmsKeyIsUnwrappedWithTheRoleOfTheDecryptionServiceAccount() {
        var s = new KustomizationScenario("ks-sops-irsa");
        String role = "arn:aws:iam::" + FakeClouds.ACCOUNT + ":role/sops-" + s.namespace;
        serviceAccount(s, "decryptor", Map.of("eks.amazonaws.com/role-arn", role));
        clouds.trustRole(role, s.namespace, "decryptor");
        String secret = new SopsEncryptor().keyService("kms", key -> keys.kmsEntry(key,
                        "arn:aws:kms:eu-west-1:" + FakeClouds.ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab", Map.of()))
                .encryptedRegex("^(data|stringData)$").encryptYaml(secret(s.namespace, "kms-value"));
        String revision = s.commit("repo", Map.of("secret.yaml", secret));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", DECRYPTION_AS_DECRYPTOR));
        s.awaitApplied("app", revision);
        assertThat(value(s)).isEqualTo("kms-value");
    }

    @Test
    void aGcpKmsKeyIsUnwrappedWithTheGoogleServiceAccountOfTheDecryptionServiceAccount() {
        var s = new KustomizationScenario("ks-sops-gcp-wi");
        String email = "sops-" + Math.abs(s.namespace.hashCode() % 100000) + "@currents-test.iam.gserviceaccount.com";
        serviceAccount(s, "decryptor", Map.of("gcp.auth.fluxcd.io/workload-identity-provider", FakeClouds.GCP_PROVIDER,
                "iam.gke.io/gcp-service-account", email));
        clouds.federate(email, s.namespace, "decryptor");
        String secret = new SopsEncryptor().keyService("gcp_kms", key -> keys.gcpEntry(key,
                        "projects/currents-test/locations/global/keyRings/sops/cryptoKeys/apps"))
                .encryptedRegex("^(data|stringData)$").encryptYaml(secret(s.namespace, "gcp-value"));
        String revision = s.commit("repo", Map.of("secret.yaml", secret));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", DECRYPTION_AS_DECRYPTOR));
        s.awaitApplied("app", revision);
        assertThat(value(s)).isEqualTo("gcp-value");
        assertThat(clouds.requests()).contains("POST /gcp-iam/v1/projects/-/serviceAccounts/" + email + ":generateAccessToken");
    }

    @Test
    void anAzureKeyVaultKeyIsUnwrappedWithTheEntraApplicationOfTheDecryptionServiceAccount() {
        var s = new KustomizationScenario("ks-sops-azure-wi");
        String clientId = "sops-" + s.namespace;
        serviceAccount(s, "decryptor", Map.of("azure.workload.identity/client-id", clientId,
                "azure.workload.identity/tenant-id", FakeClouds.AZURE_TENANT));
        clouds.federate(clientId, s.namespace, "decryptor");
        String secret = new SopsEncryptor().keyService("azure_kv", key -> keys.azureEntry(key, "sops", "5c1d"))
                .encryptedRegex("^(data|stringData)$").encryptYaml(secret(s.namespace, "azure-value"));
        String revision = s.commit("repo", Map.of("secret.yaml", secret));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", DECRYPTION_AS_DECRYPTOR));
        s.awaitApplied("app", revision);
        assertThat(value(s)).isEqualTo("azure-value");
    }

    @Test
    void aDecryptionServiceAccountWithoutACloudIdentityIsReportedAndTheControllersIsNotUsed() {
        var s = new KustomizationScenario("ks-sops-no-wi");
        serviceAccount(s, "decryptor", Map.of());
        String secret = new SopsEncryptor().keyService("kms", key -> keys.kmsEntry(key,
                        "arn:aws:kms:eu-west-1:" + FakeClouds.ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab", Map.of()))
                .encryptedRegex("^(data|stringData)$").encryptYaml(secret(s.namespace, "never-applied"));
        s.commit("repo", Map.of("secret.yaml", secret));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", DECRYPTION_AS_DECRYPTOR));
        var k = s.awaitNotReady("app", "BuildFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("service account '" + s.namespace + "/decryptor' has no eks.amazonaws.com/role-arn annotation");
        assertThat(s.events("app")).anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains("eks.amazonaws.com/role-arn"));
        assertThat(s.client.secrets().inNamespace(s.namespace).withName("db").get()).isNull();
    }

    private static final String DECRYPTION_AS_DECRYPTOR = """
            decryption:
              provider: sops
              serviceAccountName: decryptor
            """;

    private static void serviceAccount(KustomizationScenario s, String name, Map<String, String> annotations) {
        s.client.resource(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(s.namespace)
                .withAnnotations(annotations).endMetadata().build()).create();
    }

    private static String value(KustomizationScenario s) {
        var secret = s.client.secrets().inNamespace(s.namespace).withName("db").get();
        return new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8);
    }

    private static String secret(String namespace, String password) {
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
}
