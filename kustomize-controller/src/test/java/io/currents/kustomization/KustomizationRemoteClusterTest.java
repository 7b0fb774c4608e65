package io.currents.kustomization;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spec.kubeConfig.secretRef and configMapRef (provider generic): the Kustomization applies with the cluster address and credentials of the kubeconfig in
 * the Secret, not with the controller's own. The "remote" cluster here is the same API server reached as another user
 * (a service account token with rights on ConfigMaps only), so what the API server allows proves whose credentials
 * were used: the controller itself is cluster-admin.
 */
@QuarkusTest
class KustomizationRemoteClusterTest {

    @Test
    void theKubeconfigFromTheSecretIsWhatTheApplyUses() {
        var s = new KustomizationScenario("ks-remote");
        String token = serviceAccountToken(s, "remote-deployer");
        String server = s.client.getConfiguration().getMasterUrl();
        String ca = caData(s);
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: remote
                    cluster:
                      server: %s
                      certificate-authority-data: %s
                users:
                  - name: deployer
                    user:
                      token: %s
                contexts:
                  - name: remote
                    context:
                      cluster: remote
                      user: deployer
                current-context: remote
                """.formatted(server, ca, token);
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("remote-kubeconfig").endMetadata()
                .addToStringData("value", kubeconfig).build()).create();
        String kubeConfigSpec = """
                kubeConfig:
                  secretRef:
                    name: remote-kubeconfig
                """;

        String allowed = s.commit("allowed", Map.of("cm.yaml", KustomizationScenario.configMap("remote-settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("allowed", "allowed", "", kubeConfigSpec));
        var k = s.awaitApplied("allowed", allowed);
        assertThat(s.object("v1", "ConfigMap", "remote-settings")).isNotNull();
        assertThat(k.getStatus().getInventory().getEntries()).extracting(e -> e.getId())
                .containsExactly(s.namespace + "_remote-settings__ConfigMap");

        // The token's account may not create ServiceAccounts; the controller's own identity could.
        assertThat(creatingAServiceAccountIsForbidden(s, kubeConfigSpec)).doesNotContain(token);
    }

    @Test
    void aMissingKubeconfigSecretIsReported() {
        var s = new KustomizationScenario("ks-remote-missing");
        String revision = s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", """
                kubeConfig:
                  secretRef:
                    name: nowhere
                """));
        var k = s.awaitNotReady("app", "ReconciliationFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("KubeConfig secret '" + s.namespace + "/nowhere' not found");
        assertThat(k.getStatus().getLastAttemptedRevision()).isEqualTo(revision);
        assertThat(s.object("v1", "ConfigMap", "settings")).isNull();
    }

    @Test
    void anExecCredentialPluginInATenantsKubeconfigIsNotRun() throws Exception {
        var s = new KustomizationScenario("ks-remote-exec");
        java.nio.file.Path marker = java.nio.file.Files.createTempDirectory("exec-marker").resolve("ran");
        secret(s, tenantKubeconfig(s.client.getConfiguration().getMasterUrl(), "certificate-authority-data: " + caData(s), """
                user:
                  exec:
                    apiVersion: client.authentication.k8s.io/v1
                    command: sh
                    args: ["-c", "touch %s; echo '{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"t\\"}}'"]
                """.formatted(marker)));
        s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", TENANT_KUBECONFIG));

        var k = s.awaitNotReady("app", "ReconciliationFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("exec").contains("--insecure-kubeconfig-exec=true");
        assertThat(marker).doesNotExist();
        assertThat(s.object("v1", "ConfigMap", "settings")).isNull();
    }

    @Test
    void aTenantsKubeconfigThatSkipsTlsVerificationIsRefused() {
        var s = new KustomizationScenario("ks-remote-tls");
        String token = serviceAccountToken(s, "remote-deployer");
        secret(s, tenantKubeconfig(s.client.getConfiguration().getMasterUrl(), "insecure-skip-tls-verify: true", "user:\n  token: " + token + "\n"));
        s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", TENANT_KUBECONFIG));

        var k = s.awaitNotReady("app", "ReconciliationFailed");
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .contains("insecure-skip-tls-verify").contains("--insecure-kubeconfig-tls=true").doesNotContain(token);
        assertThat(s.object("v1", "ConfigMap", "settings")).isNull();
    }

    private static final String TENANT_KUBECONFIG = """
            kubeConfig:
              secretRef:
                name: tenant-kubeconfig
            """;

    private static String tenantKubeconfig(String server, String clusterExtra, String user) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: tenant
                    cluster:
                      server: %s
                %s
                users:
                  - name: tenant
                %s
                contexts:
                  - name: tenant
                    context: {cluster: tenant, user: tenant}
                current-context: tenant
                """.formatted(server, clusterExtra.indent(6).stripTrailing(), user.indent(4).stripTrailing());
    }

    private static void secret(KustomizationScenario s, String kubeconfig) {
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("tenant-kubeconfig").endMetadata()
                .addToStringData("value", kubeconfig).build()).create();
    }

    @Test
    void aKubeconfigConfigMapOfTheGenericProviderAppliesWithTheTokenOfItsServiceAccount() {
        var s = new KustomizationScenario("ks-remote-cm");
        serviceAccount(s, "remote-deployer");
        s.client.configMaps().inNamespace(s.namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("remote-access").endMetadata()
                .addToData("provider", "generic")
                .addToData("address", s.client.getConfiguration().getMasterUrl())
                .addToData("ca.crt", new String(Base64.getDecoder().decode(caData(s)), java.nio.charset.StandardCharsets.UTF_8))
                .addToData("serviceAccountName", "remote-deployer").build()).create();
        String kubeConfigSpec = """
                kubeConfig:
                  configMapRef:
                    name: remote-access
                """;

        String allowed = s.commit("allowed", Map.of("cm.yaml", KustomizationScenario.configMap("remote-settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("allowed", "allowed", "", kubeConfigSpec));
        s.awaitApplied("allowed", allowed);
        assertThat(s.object("v1", "ConfigMap", "remote-settings")).isNotNull();

        // The account may not create ServiceAccounts; the controller's own identity could.
        creatingAServiceAccountIsForbidden(s, kubeConfigSpec);
    }

    @Test
    void aCloudProviderConfigMapNamingAServiceAccountStallsWithoutTheObjectLevelWorkloadIdentityGate() {
        var s = new KustomizationScenario("ks-remote-cloud");
        s.client.configMaps().inNamespace(s.namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("eks").endMetadata()
                .addToData("provider", "aws").addToData("cluster", "arn:aws:eks:eu-west-1:123456789012:cluster/prod")
                .addToData("serviceAccountName", "deployer").build()).create();
        s.commit("repo", Map.of("cm.yaml", KustomizationScenario.configMap("settings", s.namespace, Map.of("a", "1"))));
        s.apply(KustomizationScenario.kustomization("app", "repo", "", """
                kubeConfig:
                  configMapRef:
                    name: eks
                """));
        var k = s.await("app", x -> "True".equals(KustomizationScenario.condition(x, "Stalled").map(c -> c.getStatus()).orElse("")));
        assertThat(KustomizationScenario.condition(k, "Ready").orElseThrow().getMessage())
                .isEqualTo("KubeConfig configmap '" + s.namespace + "/eks': serviceAccountName 'deployer' (object-level workload "
                        + "identity) requires the ObjectLevelWorkloadIdentity feature gate");
        assertThat(s.object("v1", "ConfigMap", "settings")).isNull();
    }

    /** A service account allowed to manage ConfigMaps (only) in the namespace, and a token for it. */
    private static String serviceAccountToken(KustomizationScenario s, String name) {
        serviceAccount(s, name);
        var request = s.client.serviceAccounts().inNamespace(s.namespace).withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build());
        String token = request.getStatus().getToken();
        assertThat(token).isNotBlank();
        return token;
    }

    /** A service account allowed to manage ConfigMaps (only) in the namespace. */
    private static void serviceAccount(KustomizationScenario s, String name) {
        s.client.resource(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(s.namespace).endMetadata().build()).create();
        s.client.resource(new RoleBuilder().withNewMetadata().withName(name).withNamespace(s.namespace).endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list", "watch", "create", "update", "patch", "delete").endRule()
                .build()).create();
        s.client.resource(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(s.namespace).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(s.namespace).endSubject()
                .build()).create();
    }

    /** The API server's CA as kubeconfig certificate-authority-data. */
    private static String caData(KustomizationScenario s) {
        var config = s.client.getConfiguration();
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            return config.getCaCertData();
        }
        try {
            return Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(config.getCaCertFile())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Applies a ServiceAccount through {@code kubeConfigSpec} as remote-deployer: refused, nothing created; the Ready message. */
    private static String creatingAServiceAccountIsForbidden(KustomizationScenario s, String kubeConfigSpec) {
        s.commit("denied", Map.of("sa.yaml", """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: intruder
                  namespace: %s
                """.formatted(s.namespace)));
        s.apply(KustomizationScenario.kustomization("denied", "denied", "", kubeConfigSpec));
        var denied = s.awaitNotReady("denied", "ReconciliationFailed");
        String message = KustomizationScenario.condition(denied, "Ready").orElseThrow().getMessage();
        assertThat(message).contains("forbidden").contains("system:serviceaccount:" + s.namespace + ":remote-deployer");
        assertThat(s.object("v1", "ServiceAccount", "intruder")).isNull();
        return message;
    }
}
