package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.testkit.TenantApiServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kubeconfig in a tenant's Secret ({@code spec.kubeConfig.secretRef}) is the tenant's input: it gets nothing of the
 * controller's identity, runs no command in the controller's pod and cannot turn TLS verification off, unless the
 * platform admin allows exec or insecure TLS with Flux's flags (both off here, as by default).
 */
@QuarkusTest
@QuarkusTestResource(value = HelmControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmReleaseTenantKubeconfigTest {

    @Test
    void aKubeconfigWithoutCredentialsNeverCarriesTheControllersOwnToken() throws Exception {
        var s = new HelmScenario("hr-tenant-token");
        Path podToken = Files.createTempFile("pod-token", "");
        Files.writeString(podToken, "controller-own-token");
        // where the controller's projected service-account token is read from (fabric8's setting)
        String property = Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY;
        String previous = System.setProperty(property, podToken.toString());
        try (TenantApiServer attacker = TenantApiServer.start()) {
            // the tenant's own server, with the tenant's own CA, and a user with no credentials at all
            secret(s, "tenant-kubeconfig", kubeconfig(attacker.url(), "certificate-authority-data: " + attacker.certificateAuthorityData(),
                    "user: {}"));
            s.apply(HelmScenario.helmRelease("app", "demo", "kubeConfig:\n  secretRef:\n    name: tenant-kubeconfig\n"));
            s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));

            s.await("app", hr -> "False".equals(HelmScenario.status(hr, "Ready"))
                    && attacker.requests().stream().anyMatch(r -> isHelm(r)));
            assertThat(attacker.requests()).filteredOn(HelmReleaseTenantKubeconfigTest::isHelm).isNotEmpty();
            assertThat(attacker.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
        } finally {
            if (previous == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, previous);
            }
            Files.deleteIfExists(podToken);
        }
    }

    @Test
    void anExecCredentialPluginIsNotRun() throws Exception {
        var s = new HelmScenario("hr-tenant-exec");
        Path marker = Files.createTempDirectory("exec-marker").resolve("ran");
        secret(s, "tenant-kubeconfig", kubeconfig(s.client.getConfiguration().getMasterUrl(), "insecure-skip-tls-verify: false", """
                user:
                  exec:
                    apiVersion: client.authentication.k8s.io/v1
                    command: sh
                    args: ["-c", "touch %s; echo '{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"t\\"}}'"]
                """.formatted(marker)));
        s.apply(HelmScenario.helmRelease("app", "demo", "kubeConfig:\n  secretRef:\n    name: tenant-kubeconfig\n"));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));

        HelmRelease failed = s.awaitCondition("app", "Ready", "False", "InitFailed");
        assertThat(HelmScenario.message(failed, "Ready")).contains("exec").contains("--insecure-kubeconfig-exec=true");
        assertThat(marker).doesNotExist();
        assertThat(s.configMap("app-config")).isNull();
    }

    @Test
    void aKubeconfigThatSkipsTlsVerificationIsRefused() {
        var s = new HelmScenario("hr-tenant-tls");
        String token = HelmReleaseIdentityTest.tenant(s, "deployer");
        secret(s, "tenant-kubeconfig", kubeconfig(s.client.getConfiguration().getMasterUrl(), "insecure-skip-tls-verify: true",
                "user:\n  token: " + token + "\n"));
        s.apply(HelmScenario.helmRelease("app", "demo", "kubeConfig:\n  secretRef:\n    name: tenant-kubeconfig\n"));
        s.publishForRelease("app", HelmScenario.configMapChart("demo", "1.0.0"));

        HelmRelease failed = s.awaitCondition("app", "Ready", "False", "InitFailed");
        assertThat(HelmScenario.message(failed, "Ready")).contains("insecure-skip-tls-verify")
                .contains("--insecure-kubeconfig-tls=true").doesNotContain(token);
        assertThat(s.configMap("app-config")).isNull();
    }

    /** Requests a Go client (Helm) made, as opposed to the controller's own fabric8 reads. */
    private static boolean isHelm(TenantApiServer.Request r) {
        String agent = r.header("User-Agent");
        return agent == null || !agent.startsWith("fabric8");
    }

    static String kubeconfig(String server, String clusterExtra, String user) {
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
                    context:
                      cluster: tenant
                      user: tenant
                current-context: tenant
                """.formatted(server, clusterExtra.indent(6).stripTrailing(), user.indent(4).stripTrailing());
    }

    private static void secret(HelmScenario s, String name, String kubeconfig) {
        s.client.secrets().inNamespace(s.namespace).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .addToStringData("value", kubeconfig).build()).create();
    }
}
