package io.currents.source;

import io.currents.api.meta.LocalObjectReference;
import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.BucketSpec;
import io.currents.git.GitException;
import io.currents.runtime.git.GitRepositoryAccess;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.source.bucket.BucketAccess;
import io.currents.source.helm.HelmAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Turns a Bucket and the Secrets it names into {@link BucketAccess}: {@code accesskey} and {@code secretkey} of
 * {@code spec.secretRef}, {@code ca.crt}, {@code tls.crt}, {@code tls.key} of {@code spec.certSecretRef},
 * {@code address}, {@code username}, {@code password} of {@code spec.proxySecretRef}, and {@code spec.timeout}.
 */
@ApplicationScoped
public class BucketCredentials {

    /** A problem with the Bucket's Secrets; {@code reason} is Flux's condition reason. */
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

    BucketAccess access(Bucket bucket, BucketAccess.Credentials temporary) throws AccessException {
        BucketSpec spec = bucket.getSpec();
        String ns = bucket.getMetadata().getNamespace();
        Duration timeout = FluxDuration.parseOr(spec.getTimeout(), Duration.ofSeconds(60));
        URI endpoint = BucketAccess.endpointUrl(spec.getEndpoint(), Boolean.TRUE.equals(spec.getInsecure()));
        BucketAccess.Credentials credentials = temporary;
        if (credentials == null && named(spec.getSecretRef())) {
            Map<String, String> data = secretData(ns, spec.getSecretRef().getName());
            String accessKey = data.get("accesskey");
            String secretKey = data.get("secretkey");
            if (accessKey == null || accessKey.isEmpty() || secretKey == null || secretKey.isEmpty()) {
                throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid '" + spec.getSecretRef().getName()
                        + "' secret data: required fields 'accesskey' and 'secretkey'");
            }
            credentials = new BucketAccess.Credentials(accessKey, secretKey, null);
        }
        return new BucketAccess(provider(spec), spec.getBucketName(), endpoint, spec.getRegion(), credentials,
                tls(ns, spec.getCertSecretRef()), proxy(ns, spec.getProxySecretRef()), timeout);
    }

    static String provider(BucketSpec spec) {
        return spec.getProvider() == null || spec.getProvider().isBlank() ? Bucket.PROVIDER_GENERIC : spec.getProvider();
    }

    /** The TLS context of a certSecretRef ({@code ca.crt}, {@code tls.crt}, {@code tls.key}), or null when none is named. */
    SSLContext tls(String ns, LocalObjectReference ref) throws AccessException {
        if (!named(ref)) {
            return null;
        }
        Map<String, String> data = secretData(ns, ref.getName());
        try {
            return HelmAccess.tls(first(data, "ca.crt", "caFile"), first(data, "tls.crt", "certFile"), first(data, "tls.key", "keyFile"));
        } catch (IllegalArgumentException e) {
            throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "failed to configure TLS from secret '" + ref.getName()
                    + "': " + e.getMessage());
        }
    }

    private BucketAccess.Proxy proxy(String ns, LocalObjectReference ref) throws AccessException {
        if (!named(ref)) {
            return null;
        }
        Map<String, String> data = secretData(ns, ref.getName());
        String address = data.get("address");
        if (address == null || address.isBlank()) {
            throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid proxy secret '" + ref.getName()
                    + "': key 'address' is missing");
        }
        URI uri;
        try {
            uri = URI.create(address.contains("://") ? address.strip() : "http://" + address.strip());
        } catch (IllegalArgumentException e) {
            throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid proxy secret '" + ref.getName() + "': invalid address");
        }
        if (uri.getHost() == null) {
            throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid proxy secret '" + ref.getName() + "': address has no host");
        }
        return new BucketAccess.Proxy(uri, data.get("username"), data.get("password"));
    }

    Map<String, String> secretData(String ns, String name) throws AccessException {
        try {
            return new GitRepositoryAccess(client).secretData(ns, name, SourceKinds.AUTHENTICATION_FAILED);
        } catch (GitException e) {
            throw new AccessException(e.reason(), e.getMessage());
        }
    }

    static boolean named(LocalObjectReference ref) {
        return ref != null && ref.getName() != null && !ref.getName().isBlank();
    }

    private static String first(Map<String, String> data, String key, String legacy) {
        return data.containsKey(key) ? data.get(key) : data.get(legacy);
    }
}
