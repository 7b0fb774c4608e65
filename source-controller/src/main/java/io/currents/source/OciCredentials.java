package io.currents.source;

import io.currents.git.GitException;
import io.currents.oci.OciClient;
import io.currents.oci.OciException;
import io.currents.oci.RegistryCredentials;
import io.currents.runtime.git.GitRepositoryAccess;
import io.currents.source.helm.HelmAccess;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the registry settings of an OCIRepository or an OCI HelmRepository and the Secrets they name into an
 * {@link OciClient}: registry credentials from {@code spec.secretRef} ({@code .dockerconfigjson}, or
 * {@code username}/{@code password} as OCI HelmRepositories allow) or the image pull secrets of
 * {@code spec.serviceAccountName}; {@code ca.crt}, {@code tls.crt}, {@code tls.key} of {@code spec.certSecretRef};
 * {@code address}, {@code username}, {@code password} of {@code spec.proxySecretRef}; plain HTTP for
 * {@code spec.insecure}.
 */
@ApplicationScoped
public class OciCredentials {

    /** What a client is built from; the Secrets are named, not read yet. */
    record Settings(String namespace, String registry, io.currents.api.meta.LocalObjectReference secretRef,
                    String serviceAccountName, io.currents.api.meta.LocalObjectReference certSecretRef,
                    io.currents.api.meta.LocalObjectReference proxySecretRef, boolean insecure, Duration timeout) {
    }

    /** A problem with the Secrets or their content; {@code reason} is Flux's condition reason. */
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

    OciClient client(Settings s) throws AccessException {
        OciClient.Builder builder = OciClient.builder().plainHttp(s.insecure()).timeout(s.timeout());
        credentials(s).ifPresent(builder::credentials);
        if (named(s.certSecretRef())) {
            Map<String, String> tls = secretData(s.namespace(), s.certSecretRef().getName());
            SSLContext ssl;
            try {
                ssl = HelmAccess.tls(tls.get("ca.crt"), tls.get("tls.crt"), tls.get("tls.key"));
            } catch (IllegalArgumentException e) {
                throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "failed to configure TLS from secret '"
                        + s.certSecretRef().getName() + "': " + e.getMessage());
            }
            builder.sslContext(ssl);
        }
        if (named(s.proxySecretRef())) {
            Map<String, String> proxy = secretData(s.namespace(), s.proxySecretRef().getName());
            String address = proxy.get("address");
            URI uri;
            try {
                uri = address == null ? null : URI.create(address.strip());
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null) {
                throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid proxy secret '" + s.proxySecretRef().getName()
                        + "': key 'address' is missing or not a URL");
            }
            builder.proxy(uri, proxy.get("username"), proxy.get("password"));
        }
        return builder.build();
    }

    private Optional<RegistryCredentials> credentials(Settings s) throws AccessException {
        if (named(s.secretRef())) {
            String name = s.secretRef().getName();
            Map<String, String> data = secretData(s.namespace(), name);
            if (data.containsKey(".dockerconfigjson")) {
                return fromDockerConfig(data.get(".dockerconfigjson"), s.registry(), name);
            }
            String username = data.get("username");
            String password = data.get("password");
            if (username != null && password != null) {
                return Optional.of(new RegistryCredentials(username, password));
            }
            throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid secret '" + name
                    + "': needs '.dockerconfigjson' (type kubernetes.io/dockerconfigjson) or 'username' and 'password'");
        }
        if (s.serviceAccountName() != null && !s.serviceAccountName().isBlank()) {
            ServiceAccount sa = client.serviceAccounts().inNamespace(s.namespace()).withName(s.serviceAccountName()).get();
            if (sa == null) {
                throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "service account '" + s.serviceAccountName() + "' not found");
            }
            if (sa.getImagePullSecrets() != null) {
                for (LocalObjectReference pull : sa.getImagePullSecrets()) {
                    Map<String, String> data = secretData(s.namespace(), pull.getName());
                    if (data.containsKey(".dockerconfigjson")) {
                        Optional<RegistryCredentials> found = fromDockerConfig(data.get(".dockerconfigjson"), s.registry(), pull.getName());
                        if (found.isPresent()) {
                            return found;
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<RegistryCredentials> fromDockerConfig(String json, String registry, String secret) throws AccessException {
        try {
            return RegistryCredentials.fromDockerConfig(json, registry);
        } catch (OciException e) {
            throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid secret '" + secret + "': " + e.getMessage());
        }
    }

    /** The decoded data of a Secret in the object's namespace. */
    Map<String, String> secretData(String namespace, String name) throws AccessException {
        try {
            return new GitRepositoryAccess(client).secretData(namespace, name, SourceKinds.AUTHENTICATION_FAILED);
        } catch (GitException e) {
            throw new AccessException(e.reason(), e.getMessage());
        }
    }

    private static boolean named(io.currents.api.meta.LocalObjectReference ref) {
        return ref != null && ref.getName() != null && !ref.getName().isBlank();
    }
}
