package io.currents.runtime.apply;

import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("cluster")
class KubeConfigSecretReachesTheClusterTest {

    private static Secret secret(String key, String kubeconfig) {
        return new SecretBuilder().withNewMetadata().withName("remote").withNamespace("flux-system").endMetadata()
                .addToData(key, Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8))).build();
    }

    @Test
    void aClientFromTheValueYamlKeyAppliesToTheCluster() throws Exception {
        ControlPlane plane = ControlPlane.shared();
        String ns = plane.createNamespace("remote");
        String kubeconfig = Files.readString(plane.kubeconfigPath());

        try (KubernetesClient remote = ClusterAccess.remoteClient(secret("value.yaml", kubeconfig), null, null, null)) {
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
}
