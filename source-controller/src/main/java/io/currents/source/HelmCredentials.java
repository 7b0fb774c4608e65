package io.currents.source;

import io.currents.api.source.v1.HelmRepository;
import io.currents.api.source.v1.HelmRepositorySpec;
import io.currents.git.GitException;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.git.GitRepositoryAccess;
import io.currents.source.helm.HelmAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

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
        try {
            // one reader of Secrets for Git and Helm sources: the same decoding and the same messages
            return new GitRepositoryAccess(client).secretData(ns, name, SourceKinds.AUTHENTICATION_FAILED);
        } catch (GitException e) {
            throw new AccessException(e.reason(), e.getMessage());
        }
    }
}
