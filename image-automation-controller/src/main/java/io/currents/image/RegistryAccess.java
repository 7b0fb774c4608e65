package io.currents.image;

import io.currents.api.image.v1.ImageRepository;
import io.currents.api.image.v1.ImageRepositorySpec;
import io.currents.image.registry.ImageName;
import io.currents.image.registry.RegistryClient;
import io.currents.image.registry.RegistryCredentials;
import io.currents.image.registry.TlsSettings;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * Builds the registry client for an ImageRepository: credentials from {@code spec.secretRef} or the
 * image pull secrets of {@code spec.serviceAccountName}, TLS from {@code spec.certSecretRef},
 * {@code spec.insecure} and {@code spec.timeout} (default: the interval, as in Flux).
 */
@ApplicationScoped
public class RegistryAccess {

    static final String AUTHENTICATION_FAILED = "AuthenticationFailed";

    @Inject
    KubernetesClient client;

    RegistryClient clientFor(ImageRepository repo, ImageName image) throws ReconcileFailure {
        ImageRepositorySpec spec = repo.getSpec();
        String ns = repo.getMetadata().getNamespace();
        String provider = spec.getProvider() == null ? "generic" : spec.getProvider();
        if (!provider.equals("generic")) {
            throw ReconcileFailure.stalled(AUTHENTICATION_FAILED, "provider '" + provider
                    + "' (cloud workload identity) is not supported by Currents: use provider 'generic' with spec.secretRef");
        }
        RegistryCredentials credentials = null;
        Map<String, byte[]> authData = null;
        if (spec.getSecretRef() != null && spec.getSecretRef().getName() != null) {
            authData = secretData(ns, spec.getSecretRef().getName());
            credentials = dockerCredentials(ns, spec.getSecretRef().getName(), authData, image, true);
        } else if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isBlank()) {
            credentials = serviceAccountCredentials(ns, spec.getServiceAccountName(), image);
        }
        SSLContext ssl = null;
        if (spec.getCertSecretRef() != null && spec.getCertSecretRef().getName() != null) {
            String name = spec.getCertSecretRef().getName();
            Map<String, byte[]> data = spec.getSecretRef() != null && name.equals(spec.getSecretRef().getName()) && authData != null
                    ? authData : secretData(ns, name);
            try {
                ssl = TlsSettings.fromSecret(data);
            } catch (IllegalArgumentException e) {
                throw ReconcileFailure.retry(AUTHENTICATION_FAILED, "failed to configure authentication options: secret '" + ns + "/" + name + "': " + e.getMessage());
            }
        }
        RegistryClient.Proxy proxy = null;
        if (spec.getProxySecretRef() != null && spec.getProxySecretRef().getName() != null) {
            String name = spec.getProxySecretRef().getName();
            Map<String, byte[]> data = secretData(ns, name);
            byte[] address = data.get("address");
            if (address == null || address.length == 0) {
                throw ReconcileFailure.retry(AUTHENTICATION_FAILED, "invalid proxy secret '" + ns + "/" + name + "': key 'address' is missing");
            }
            proxy = new RegistryClient.Proxy(new String(address, StandardCharsets.UTF_8).trim(), string(data.get("username")), string(data.get("password")));
        }
        Duration timeout = timeoutOf(spec);
        return new RegistryClient(image, credentials, Boolean.TRUE.equals(spec.getInsecure()), ssl, timeout, 1000, proxy);
    }

    private static String string(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    static Duration timeoutOf(ImageRepositorySpec spec) {
        Duration interval = FluxDuration.parseOr(spec.getInterval(), Duration.ofMinutes(5));
        return FluxDuration.parseOr(spec.getTimeout(), interval.isZero() ? Duration.ofSeconds(60) : interval);
    }

    private RegistryCredentials serviceAccountCredentials(String ns, String name, ImageName image) throws ReconcileFailure {
        ServiceAccount sa;
        try {
            sa = client.serviceAccounts().inNamespace(ns).withName(name).get();
        } catch (KubernetesClientException e) {
            throw ReconcileFailure.retry(AUTHENTICATION_FAILED, "failed to get service account '" + ns + "/" + name + "': " + e.getMessage());
        }
        if (sa == null) {
            throw ReconcileFailure.retry(AUTHENTICATION_FAILED, "failed to get service account '" + ns + "/" + name + "': not found");
        }
        List<String> secrets = new ArrayList<>();
        if (sa.getImagePullSecrets() != null) {
            sa.getImagePullSecrets().stream().map(LocalObjectReference::getName).forEach(secrets::add);
        }
        for (String secret : secrets) {
            RegistryCredentials c = dockerCredentials(ns, secret, secretData(ns, secret), image, false);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private RegistryCredentials dockerCredentials(String ns, String name, Map<String, byte[]> data, ImageName image, boolean required)
            throws ReconcileFailure {
        byte[] config = data.get(".dockerconfigjson");
        if (config == null) {
            config = data.get(".dockercfg");
        }
        if (config == null) {
            throw ReconcileFailure.retry(AUTHENTICATION_FAILED, "failed to configure authentication options: secret '" + ns + "/" + name
                    + "' has no '.dockerconfigjson' key: create it with 'kubectl create secret docker-registry'");
        }
        try {
            RegistryCredentials c = RegistryCredentials.fromDockerConfig(new String(config, StandardCharsets.UTF_8), image.registry());
            if (c == null && required) {
                throw ReconcileFailure.retry(AUTHENTICATION_FAILED, "failed to configure authentication options: secret '" + ns + "/" + name
                        + "' has no credentials for registry '" + image.registry() + "'");
            }
            return c;
        } catch (IOException | IllegalArgumentException e) {
            throw ReconcileFailure.retry(AUTHENTICATION_FAILED, "failed to configure authentication options: secret '" + ns + "/" + name
                    + "' is not a valid Docker config: " + e.getMessage());
        }
    }

    private Map<String, byte[]> secretData(String ns, String name) throws ReconcileFailure {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ns).withName(name).get();
        } catch (KubernetesClientException e) {
            throw ReconcileFailure.retry(AUTHENTICATION_FAILED, "failed to configure authentication options: failed to get secret '" + ns + "/" + name + "': "
                    + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
        }
        if (secret == null) {
            throw ReconcileFailure.retry(AUTHENTICATION_FAILED, "failed to configure authentication options: secret '" + ns + "/" + name + "' not found");
        }
        Map<String, byte[]> data = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return data;
    }
}
