package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("cluster")
class KubeConfigSecretReachesTheClusterTest {

    private static Secret secret(String key, String kubeconfig) {
        return new SecretBuilder().withNewMetadata().withName("remote").withNamespace("flux-system").endMetadata()
                .addToData(key, Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8))).build();
    }

    /** The control plane's admin kubeconfig with its certificate files inlined, as a Secret would carry it. */
    static String inlineKubeconfig(String clusterExtra, String userExtra) throws Exception {
        Config admin = ControlPlane.shared().client().getConfiguration();
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: remote
                    cluster:
                      server: %s
                      certificate-authority-data: %s
                %s
                users:
                  - name: admin
                    user:
                      client-certificate-data: %s
                      client-key-data: %s
                %s
                contexts:
                  - name: remote
                    context: {cluster: remote, user: admin}
                current-context: remote
                """.formatted(admin.getMasterUrl(), base64(admin.getCaCertFile()), clusterExtra.indent(6).stripTrailing(),
                base64(admin.getClientCertFile()), base64(admin.getClientKeyFile()), userExtra.indent(6).stripTrailing());
    }

    private static String base64(String file) throws Exception {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file)));
    }

    @Test
    void aClientFromTheValueYamlKeyAppliesToTheCluster() throws Exception {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("remote");

        try (KubernetesClient remote = ClusterAccess.remoteClient(secret("value.yaml", inlineKubeconfig("", "")), null, null, null,
                KubeconfigPolicy.STRICT)) {
            ChangeSet changeSet = new ServerSideApplier(remote, "kustomize-controller").applyAll(
                    Manifests.list(Manifests.configMap(ns, "from-remote", "k", "v")),
                    ApplyOptions.kustomizeController("kustomize-controller"));
            assertThat(changeSet).hasToString("ConfigMap/" + ns + "/from-remote created");
        }
    }

    @Test
    void aMissingKeyNamesTheSecretButNotItsContent() {
        assertThatThrownBy(() -> ClusterAccess.kubeconfig(secret("other", "apiVersion: v1\nkind: Config\n"), null))
                .hasMessage("KubeConfig secret 'flux-system/remote' does not contain a 'value' nor 'value.yaml' key");
        assertThatThrownBy(() -> ClusterAccess.kubeconfig(secret("value", "x"), "custom"))
                .hasMessage("KubeConfig secret 'flux-system/remote' does not contain a 'custom' key");
    }

    @Test
    void filePathsInATenantsKubeconfigAreNeverRead() throws Exception {
        // the controller's own credentials are files on its disk; a tenant naming them must not borrow them
        Config admin = ControlPlane.shared().client().getConfiguration();
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: remote
                    cluster: {server: %s, certificate-authority: %s}
                users:
                  - name: admin
                    user: {client-certificate: %s, client-key: %s, tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token}
                contexts:
                  - name: remote
                    context: {cluster: remote, user: admin}
                current-context: remote
                """.formatted(admin.getMasterUrl(), admin.getCaCertFile(), admin.getClientCertFile(), admin.getClientKeyFile());
        assertThatThrownBy(() -> ClusterAccess.fromKubeconfig(kubeconfig, new KubeconfigPolicy(true, true)))
                .hasMessage("kubeconfig user 'admin' has no credentials this controller uses: client-certificate, client-key,"
                        + " tokenFile (file paths and auth-provider are never read)");
    }

    @Test
    void thePlatformAdminMayAllowExecAndInsecureTls() throws Exception {
        String kubeconfig = inlineKubeconfig("insecure-skip-tls-verify: true", """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: sh
                  args: ["-c", "echo '{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"from-exec\\"}}'"]
                """);
        assertThatThrownBy(() -> ClusterAccess.fromKubeconfig(kubeconfig, new KubeconfigPolicy(true, false)))
                .hasMessageContaining("insecure-skip-tls-verify").hasMessageContaining("--insecure-kubeconfig-tls=true");

        Config allowed = ClusterAccess.fromKubeconfig(kubeconfig, new KubeconfigPolicy(true, true));
        assertThat(allowed.isTrustCerts()).isTrue();
        assertThat(allowed.getAutoOAuthToken()).isEqualTo("from-exec");

        Config execDropped = ClusterAccess.fromKubeconfig(kubeconfig, new KubeconfigPolicy(false, true));
        assertThat(execDropped.getAutoOAuthToken()).isNull();
        assertThat(execDropped.getClientKeyData()).isNotBlank();
    }
}
