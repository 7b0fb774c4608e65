package io.currents.runtime.git;

import io.currents.api.meta.LocalObjectReference;
import io.currents.api.source.v1.GitRepository;
import io.currents.git.GitAuth;
import io.currents.git.GitException;
import io.currents.git.GitProxy;
import io.currents.git.GitSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Secrets a GitRepository names ({@code secretRef}, {@code proxySecretRef}) into Git
 * credentials and proxy settings, for every controller that talks to its remote: source-controller
 * fetching it, image-automation-controller pushing to it. A missing Secret fails with its name.
 */
public final class GitRepositoryAccess {

    private final KubernetesClient client;

    public GitRepositoryAccess(KubernetesClient client) {
        this.client = client;
    }

    /** The credentials of {@code spec.secretRef} for {@code url}; none when it is not set. */
    public GitAuth auth(GitRepository repository, String url) throws GitException {
        LocalObjectReference ref = repository.getSpec().getSecretRef();
        if (ref == null || ref.getName() == null || ref.getName().isBlank()) {
            return GitAuth.none();
        }
        String ns = repository.getMetadata().getNamespace();
        return GitSecret.auth(url, secretData(ns, ref.getName(), GitException.AUTHENTICATION_FAILED),
                "secret '" + ns + "/" + ref.getName() + "'");
    }

    /** The proxy of {@code spec.proxySecretRef}, or null when it is not set. */
    public GitProxy proxy(GitRepository repository) throws GitException {
        LocalObjectReference ref = repository.getSpec().getProxySecretRef();
        if (ref == null || ref.getName() == null || ref.getName().isBlank()) {
            return null;
        }
        String ns = repository.getMetadata().getNamespace();
        return GitSecret.proxy(secretData(ns, ref.getName(), GitException.GIT_OPERATION_FAILED),
                "secret '" + ns + "/" + ref.getName() + "'");
    }

    /**
     * The decoded data (and stringData) of a Secret: of a GitRepository, and of the Helm sources too.
     *
     * @param reason the condition reason when it cannot be read
     */
    public Map<String, String> secretData(String namespace, String name, String reason) throws GitException {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new GitException(reason, "failed to get secret '" + namespace + "/" + name + "': "
                    + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
        }
        if (secret == null) {
            throw new GitException(reason, "failed to get secret '" + namespace + "/" + name + "': secret not found");
        }
        Map<String, String> data = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }
}
