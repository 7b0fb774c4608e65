package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who Helm acts as: spec.serviceAccountName impersonates the account, spec.kubeConfig.secretRef uses another cluster's
 * address and credentials. Either way RBAC of that identity decides what the chart may create.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseIdentityTest {

    static java.util.Map<String, String> chartWithServiceAccount() {
        return HelmScenario.withTemplate(HelmScenario.configMapChart("demo", "1.0.0"), "sa.yaml", """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: intruder
                """);
    }

    @Test
    void serviceAccountNameImpersonatesTheAccount() {
        var s = new HelmScenario("hr-sa");
        tenant(s, "deployer");
        s.apply(HelmScenario.helmRelease("allowed", "demo", "serviceAccountName: deployer\n"));
        s.publishForRelease("allowed", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("allowed", "InstallSucceeded");
        assertThat(s.configMap("allowed-config")).isNotNull();

        s.apply(HelmScenario.helmRelease("denied", "demo", "serviceAccountName: deployer\n"));
        s.publishForRelease("denied", chartWithServiceAccount());
        HelmRelease denied = s.await("denied", hr -> "InstallFailed".equals(HelmScenario.reason(hr, "Ready")));
        assertThat(HelmScenario.message(denied, "Ready")).contains("forbidden").contains("system:serviceaccount:" + s.namespace + ":deployer");
        assertThat(s.client.serviceAccounts().inNamespace(s.namespace).withName("intruder").get()).isNull();
    }

    @Test
    void kubeConfigSecretRefIsWhatHelmUses() {
        var s = new HelmScenario("hr-remote");
        String token = tenant(s, "remote-deployer");
        var config = s.client.getConfiguration();
        String ca = config.getCaCertData() != null && !config.getCaCertData().isBlank() ? config.getCaCertData() : read(config.getCaCertFile());
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
                """.formatted(config.getMasterUrl(), ca, token);
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName("remote-kubeconfig").endMetadata()
                .addToStringData("value", kubeconfig).build()).create();
        String spec = """
                kubeConfig:
                  secretRef:
                    name: remote-kubeconfig
                """;
        s.apply(HelmScenario.helmRelease("allowed", "demo", spec));
        s.publishForRelease("allowed", HelmScenario.configMapChart("demo", "1.0.0"));
        s.awaitReady("allowed", "InstallSucceeded");
        assertThat(s.releaseSecret("allowed", 1)).isNotNull();

        s.apply(HelmScenario.helmRelease("denied", "demo", spec));
        s.publishForRelease("denied", chartWithServiceAccount());
        HelmRelease denied = s.await("denied", hr -> "InstallFailed".equals(HelmScenario.reason(hr, "Ready")));
        assertThat(HelmScenario.message(denied, "Ready")).contains("forbidden").doesNotContain(token);

        // With its kubeconfig gone the release cannot be uninstalled: deletion goes ahead and says so.
        s.client.secrets().inNamespace(s.namespace).withName("remote-kubeconfig").delete();
        s.client.resources(HelmRelease.class).inNamespace(s.namespace).withName("allowed").delete();
        s.client.resources(HelmRelease.class).inNamespace(s.namespace).withName("allowed")
                .waitUntilCondition(java.util.Objects::isNull, 60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(s.configMap("allowed-config")).isNotNull();
        assertThat(s.events("allowed")).anyMatch(e -> "UninstallFailed".equals(e.getReason())
                && e.getMessage().contains("KubeConfig secret '" + s.namespace + "/remote-kubeconfig' not found"));
    }

    @Test
    void aMissingKubeconfigSecretIsReportedAndDoesNotBlockDeletion() {
        var s = new HelmScenario("hr-remote-missing");
        s.apply(HelmScenario.helmRelease("app", "demo", """
                kubeConfig:
                  secretRef:
                    name: nowhere
                """));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));
        HelmRelease failed = s.awaitCondition("app", "Ready", "False", "InitFailed");
        assertThat(HelmScenario.message(failed, "Ready")).isEqualTo("KubeConfig secret '" + s.namespace + "/nowhere' not found");
        assertThat(s.configMap("app-config")).isNull();

        s.client.resources(HelmRelease.class).inNamespace(s.namespace).withName("app").delete();
        s.client.resources(HelmRelease.class).inNamespace(s.namespace).withName("app")
                .waitUntilCondition(java.util.Objects::isNull, 60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A service account that may manage ConfigMaps and Secrets (Helm's storage) in the namespace; returns a token for it. */
    static String tenant(HelmScenario s, String name) {
        s.client.resource(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(s.namespace).endMetadata().build()).create();
        s.client.resource(new RoleBuilder().withNewMetadata().withName(name).withNamespace(s.namespace).endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps", "secrets").withVerbs("get", "list", "watch", "create", "update", "patch", "delete").endRule()
                .build()).create();
        s.client.resource(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(s.namespace).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(s.namespace).endSubject()
                .build()).create();
        return s.client.serviceAccounts().inNamespace(s.namespace).withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    }

    private static String read(String file) {
        try {
            return Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
