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
 * {@code spec.secretRef} (gcp: {@code serviceaccount}; azure: the keys Flux documents, checked here and read by the
 * store), {@code ca.crt}, {@code tls.crt}, {@code tls.key} of {@code spec.certSecretRef},
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
        String provider = provider(spec);
        Map<String, String> secret = Map.of();
        if (credentials == null && named(spec.getSecretRef())) {
            Map<String, String> data = secretData(ns, spec.getSecretRef().getName());
            String name = spec.getSecretRef().getName();
            switch (provider) {
                case Bucket.PROVIDER_GCP -> {
                    if (!present(data, "serviceaccount")) {
                        throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid '" + name
                                + "' secret data: required fields 'serviceaccount'");
                    }
                    secret = data;
                }
                case Bucket.PROVIDER_AZURE -> {
                    if (!azureSecretUsable(data)) {
                        throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid '" + name + "' secret data: requires "
                                + "a 'clientId', 'accountKey' or 'sasKey' field, a combination of 'tenantId', 'clientId' and "
                                + "'clientSecret', or 'tenantId', 'clientId' and 'clientCertificate'");
                    }
                    secret = data;
                }
                default -> {
                    if (!present(data, "accesskey") || !present(data, "secretkey")) {
                        throw new AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid '" + name
                                + "' secret data: required fields 'accesskey' and 'secretkey'");
                    }
                    credentials = new BucketAccess.Credentials(data.get("accesskey"), data.get("secretkey"), null);
                }
            }
        }
        return new BucketAccess(provider, spec.getBucketName(), endpoint, spec.getRegion(), credentials, secret,
                tls(ns, spec.getCertSecretRef()), proxy(ns, spec.getProxySecretRef()), timeout);
    }

    /** One of the credential sets Flux's azure provider reads (its ValidateSecret, plus an {@code authorityHost} alone). */
    static boolean azureSecretUsable(Map<String, String> data) {
        return present(data, "clientId") || present(data, "accountKey") || present(data, "sasKey") || present(data, "authorityHost");
    }

    private static boolean present(Map<String, String> data, String key) {
        String value = data.get(key);
        return value != null && !value.isEmpty();
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
