package io.currents.kustomization;

import io.currents.testkit.sops.AgeIdentity;
import io.currents.testkit.sops.KeyServiceServer;
import io.currents.testkit.sops.SopsEncryptor;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static io.currents.kustomization.GlobalDecryptionProfile.CONTROLLER_ACCOUNT;
import static io.currents.kustomization.GlobalDecryptionProfile.RUNTIME_NAMESPACE;
import static io.currents.kustomization.GlobalDecryptionProfile.VAULT_CONFIGMAP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flux's controller-wide SOPS settings: age identities of the --sops-age-secret, Vault Kubernetes auth through the
 * --sops-vault-configmap allowlist (as the controller's ServiceAccount, or the Kustomization's
 * decryption.serviceAccountName under the ObjectLevelWorkloadIdentity gate), and the decrypt: Disabled annotation.
 */
@QuarkusTest
@TestProfile(GlobalDecryptionProfile.class)
class KustomizationGlobalDecryptionTest {

    private static final String VAULT_TOKEN = "hvs.issued-by-kubernetes-login";
    private static final AgeIdentity GLOBAL_AGE = AgeIdentity.generate();
    private static KeyServiceServer vault;

    @BeforeAll
    static void controllerNamespace() {
        vault = KeyServiceServer.start(VAULT_TOKEN, "AKIAUNUSED0000000000");
        GlobalDecryptionProfile.runtimeNamespace(GLOBAL_AGE.keyFile());
        KubernetesClient client = io.currents.testkit.ControlPlane.shared().client();
        client.configMaps().inNamespace(RUNTIME_NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata().withName(VAULT_CONFIGMAP).endMetadata()
                .addToData("config.yaml", """
                        instances:
                          - address: %s
                            loginPath: auth/kubernetes/login
                        """.formatted(vault.url())).build()).serverSideApply();
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    @Test
    void theGlobalAgeSecretDecryptsWithoutADecryptionSecret() {
        var s = new KustomizationScenario("ks-sops-global-age");
        String revision = s.commit("repo", Map.of("secret.yaml", new SopsEncryptor().age(GLOBAL_AGE.recipient())
                .encryptedRegex("^(data|stringData)$").encryptYaml(secret(s.namespace, "db", "global-age-value"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", "decryption:\n  provider: sops\n"));
        s.awaitApplied("app", revision);
        assertThat(value(s, "db", "password")).isEqualTo("global-age-value");
    }

    @Test
    void aVaultOfTheConfigMapIsLoggedIntoAsTheControllersServiceAccount() {
        var s = new KustomizationScenario("ks-sops-vault-k8s");
        String revision = s.commit("repo", Map.of("secret.yaml", vaultEncrypted(s.namespace, "vault-k8s-value", vault.url())));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", "decryption:\n  provider: sops\n"));
        s.awaitApplied("app", revision);
        assertThat(value(s, "db", "password")).isEqualTo("vault-k8s-value");
        assertThat(vault.vaultLogins()).contains(RUNTIME_NAMESPACE + "_" + CONTROLLER_ACCOUNT);
    }

    @Test
    void theDecryptionServiceAccountLogsInAsItsOwnRoleUnderTheGate() {
        var s = new KustomizationScenario("ks-sops-vault-object");
        s.client.serviceAccounts().inNamespace(s.namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("sops-reader").endMetadata().build()).create();
        String revision = s.commit("repo", Map.of("secret.yaml", vaultEncrypted(s.namespace, "object-level-value", vault.url())));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", """
                decryption:
                  provider: sops
                  serviceAccountName: sops-reader
                """));
        s.awaitApplied("app", revision);
        assertThat(value(s, "db", "password")).isEqualTo("object-level-value");
        assertThat(vault.vaultLogins()).contains(s.namespace + "_sops-reader");
    }

    @Test
    void aVaultAddressMissingFromTheConfigMapGetsNoServiceAccountToken() {
        var s = new KustomizationScenario("ks-sops-vault-unlisted");
        // the same server under another name: not in the operator's allowlist
        String unlisted = vault.url().replace("127.0.0.1", "localhost");
        int logins = vault.vaultLogins().size();
        s.commit("repo", Map.of("secret.yaml", vaultEncrypted(s.namespace, "never-applied", unlisted)));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", "decryption:\n  provider: sops\n"));
        var k = s.awaitNotReady("app", "BuildFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("no Vault login path configured for address '" + unlisted + "'")
                .doesNotContain("never-applied");
        assertThat(vault.vaultLogins()).hasSize(logins);
        assertThat(s.client.secrets().inNamespace(s.namespace).withName("db").get()).isNull();
    }

    @Test
    void anObjectAnnotatedDecryptDisabledIsAppliedAsItIs() {
        var s = new KustomizationScenario("ks-sops-disabled");
        String encrypted = new SopsEncryptor().age(GLOBAL_AGE.recipient()).encryptDotenv("TOKEN=in-cluster-decrypted\n");
        String base64 = Base64.getEncoder().encodeToString(encrypted.getBytes(StandardCharsets.UTF_8));
        String revision = s.commit("repo", Map.of("secrets.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: kept
                  namespace: %1$s
                  annotations:
                    kustomize.toolkit.fluxcd.io/decrypt: Disabled
                data:
                  app.env: %2$s
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: decrypted
                  namespace: %1$s
                data:
                  app.env: %2$s
                """.formatted(s.namespace, base64)));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", "decryption:\n  provider: sops\n"));
        s.awaitApplied("app", revision);
        assertThat(value(s, "kept", "app.env")).isEqualTo(encrypted);
        assertThat(value(s, "decrypted", "app.env")).isEqualTo("TOKEN=in-cluster-decrypted\n");
    }

    private static String vaultEncrypted(String namespace, String password, String address) {
        return new SopsEncryptor().keyService("hc_vault", key -> {
            Map<String, Object> entry = new java.util.LinkedHashMap<>(vault.vaultEntry(key, "transit", "apps"));
            entry.put("vault_address", address);
            return entry;
        }).encryptedRegex("^(data|stringData)$").encryptYaml(secret(namespace, "db", password));
    }

    private static String value(KustomizationScenario s, String name, String key) {
        var secret = s.client.secrets().inNamespace(s.namespace).withName(name).get();
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    /** A Secret manifest whose {@code password} is {@code password}, to encrypt. */
    static String secret(String namespace, String name, String password) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %s
                  namespace: %s
                stringData:
                  password: %s
                """.formatted(name, namespace, password);
    }
}
