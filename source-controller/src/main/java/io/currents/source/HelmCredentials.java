package io.currents.source;

import io.currents.api.source.v1.HelmRepository;
import io.currents.api.source.v1.HelmRepositorySpec;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.source.helm.HelmAccess;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * Turns a HelmRepository and the Secrets it names into {@link HelmAccess}: {@code username} and
 * {@code password} of {@code spec.secretRef}, {@code ca.crt}, {@code tls.crt} and {@code tls.key} of
 * {@code spec.certSecretRef} (or, deprecated in Flux, of {@code spec.secretRef}), and {@code spec.timeout}.
 */
@ApplicationScoped
public class HelmCredentials {

    /** A problem with the repository's spec or Secrets; {@code reason} is Flux's condition reason. */
    static final class AccessException extends Exception {
        private final String reason;

        AccessException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    @Inject
    KubernetesClient client;

    /** Validates an HTTP/S repository URL; an invalid one is a URLInvalid error, fixed only by a spec change. */
    static String validateHttpUrl(String url) throws AccessException {
        if (url == null || url.isBlank()) {
            throw new AccessException(SourceKinds.URL_INVALID, "spec.url is empty");
        }
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new AccessException(SourceKinds.URL_INVALID, "scheme of URL '" + GitCredentials.redact(url)
                        + "' is not supported: a Helm repository of type 'default' needs http or https");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new AccessException(SourceKinds.URL_INVALID, "URL '" + GitCredentials.redact(url) + "' has no host");
            }
            if (uri.getRawUserInfo() != null) {
                throw new AccessException(SourceKinds.URL_INVALID, "URL '" + GitCredentials.redact(url)
                        + "' carries credentials; put them in the Secret of spec.secretRef");
            }
        } catch (URISyntaxException e) {
            throw new AccessException(SourceKinds.URL_INVALID, "invalid URL '" + GitCredentials.redact(url) + "': " + e.getReason());
        }
        return url;
    }

    HelmAccess access(HelmRepository repo) throws AccessException {
        HelmRepositorySpec spec = repo.getSpec();
        String ns = repo.getMetadata().getNamespace();
        String url = validateHttpUrl(spec.getUrl());
        Duration timeout = FluxDuration.parseOr(spec.getTimeout(), Duration.ofSeconds(60));
        String username = null;
        String password = null;
        Map<String, String> tlsSource = null;
        if (spec.getSecretRef() != null && spec.getSecretRef().getName() != null) {
            Map<String, String> data = secretData(ns, spec.getSecretRef().getName());
            username = data.get("username");
            password = data.get("password");
            if ((username == null) != (password == null)) {
                throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid '" + spec.getSecretRef().getName()
                        + "' secret data: required fields 'username' and 'password'");
            }
            if (data.containsKey("ca.crt") || data.containsKey("tls.crt") || data.containsKey("caFile") || data.containsKey("certFile")) {
                tlsSource = data;
            }
        }
        if (spec.getCertSecretRef() != null && spec.getCertSecretRef().getName() != null) {
            tlsSource = secretData(ns, spec.getCertSecretRef().getName());
        }
        SSLContext ssl = null;
        if (tlsSource != null) {
            try {
                ssl = HelmAccess.tls(first(tlsSource, "ca.crt", "caFile"), first(tlsSource, "tls.crt", "certFile"),
                        first(tlsSource, "tls.key", "keyFile"));
            } catch (IllegalArgumentException e) {
                throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "failed to configure TLS: " + e.getMessage());
            }
        }
        return new HelmAccess(url, username, password, Boolean.TRUE.equals(spec.getPassCredentials()), ssl, timeout);
    }

    private static String first(Map<String, String> data, String key, String legacy) {
        return data.containsKey(key) ? data.get(key) : data.get(legacy);
    }

    private Map<String, String> secretData(String ns, String name) throws AccessException {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ns).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "failed to get secret '" + ns + "/" + name + "': "
                    + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
        }
        if (secret == null) {
            throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "failed to get secret '" + ns + "/" + name + "': secret not found");
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
