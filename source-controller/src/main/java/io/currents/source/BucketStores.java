package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.BucketSTSSpec;
import io.currents.api.source.v1.BucketSpec;
import io.currents.source.bucket.BucketAccess;
import io.currents.source.bucket.BucketException;
import io.currents.source.bucket.AwsSts;
import io.currents.source.bucket.AzureBlobStore;
import io.currents.source.bucket.GcsObjectStore;
import io.currents.source.bucket.LdapSts;
import io.currents.source.bucket.ObjectStore;
import io.currents.source.bucket.S3ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Map;

/**
 * Opens the object store of a Bucket's {@code spec.provider}, checks which options the provider takes (as Flux
 * does), and asks an STS for temporary credentials when {@code spec.sts} is set.
 */
@ApplicationScoped
public class BucketStores {

    /** Flux's answer while its ObjectLevelWorkloadIdentity feature gate is off (its default); Currents has no such gate yet. */
    static final String WORKLOAD_IDENTITY_DISABLED = "to use spec.serviceAccountName for provider authentication please enable "
            + "the ObjectLevelWorkloadIdentity feature gate in the controller (not available in Currents yet: leave "
            + "spec.serviceAccountName out to use the controller's own workload identity)";

    /** What in the spec the provider cannot take, worded for the Ready condition; null when the spec is acceptable. */
    static String specProblem(String provider, BucketSpec spec) {
        BucketSTSSpec sts = spec.getSts();
        switch (provider) {
            case Bucket.PROVIDER_GENERIC -> {
                if (sts != null && !"ldap".equals(sts.getProvider())) {
                    return "STS provider '" + sts.getProvider() + "' is not supported for 'generic' bucket provider";
                }
                if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isBlank()) {
                    return "spec.serviceAccountName is not supported for the 'generic' bucket provider";
                }
            }
            case Bucket.PROVIDER_AWS -> {
                if (sts != null && !"aws".equals(sts.getProvider())) {
                    return "STS provider '" + sts.getProvider() + "' is not supported for 'aws' bucket provider";
                }
                if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isBlank()) {
                    return WORKLOAD_IDENTITY_DISABLED;
                }
            }
            case Bucket.PROVIDER_GCP, Bucket.PROVIDER_AZURE -> {
                if (sts != null) {
                    return "STS configuration is only supported for the 'aws' and 'generic' Bucket providers";
                }
                if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isBlank()) {
                    return WORKLOAD_IDENTITY_DISABLED;
                }
                return null;
            }
            default -> {
                return "unsupported bucket provider '" + provider + "'";
            }
        }
        if (sts != null) {
            try {
                URI uri = URI.create(sts.getEndpoint());
                if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    return "invalid STS endpoint '" + sts.getEndpoint() + "': an http or https URL is required";
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                return "invalid STS endpoint '" + sts.getEndpoint() + "'";
            }
            if ("aws".equals(sts.getProvider()) && (BucketCredentials.named(sts.getSecretRef()) || BucketCredentials.named(sts.getCertSecretRef()))) {
                return "spec.sts.secretRef and spec.sts.certSecretRef are not supported for the 'aws' STS provider";
            }
        }
        return null;
    }

    /** Temporary credentials from the LDAP STS of a generic Bucket; null when the Bucket has no STS or uses AWS's. */
    BucketAccess.Credentials temporaryCredentials(Bucket bucket, BucketCredentials credentials)
            throws BucketCredentials.AccessException, BucketException {
        BucketSTSSpec sts = bucket.getSpec().getSts();
        if (sts == null || !"ldap".equals(sts.getProvider())) {
            return null;
        }
        String ns = bucket.getMetadata().getNamespace();
        String username = null;
        String password = null;
        if (BucketCredentials.named(sts.getSecretRef())) {
            Map<String, String> data = credentials.secretData(ns, sts.getSecretRef().getName());
            username = data.get("username");
            password = data.get("password");
            if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
                throw new BucketCredentials.AccessException(SourceKinds.AUTHENTICATION_FAILED, "invalid '" + sts.getSecretRef().getName()
                        + "' secret data for 'ldap' STS provider: required fields username, password");
            }
        }
        java.time.Duration timeout = io.currents.runtime.reconcile.FluxDuration.parseOr(bucket.getSpec().getTimeout(), java.time.Duration.ofSeconds(60));
        return LdapSts.assumeRole(URI.create(sts.getEndpoint()), username, password, credentials.tls(ns, sts.getCertSecretRef()), timeout);
    }

    /** The provider's client, created here only: an SDK is loaded when the first Bucket of its provider reconciles. */
    ObjectStore open(Bucket bucket, BucketAccess access) throws BucketException {
        BucketSTSSpec sts = bucket.getSpec().getSts();
        return switch (access.provider()) {
            case Bucket.PROVIDER_GCP -> new GcsObjectStore(access);
            case Bucket.PROVIDER_AZURE -> new AzureBlobStore(access);
            case Bucket.PROVIDER_AWS -> new S3ObjectStore(access, sts == null || access.credentials() != null ? null
                    : AwsSts.webIdentity(URI.create(sts.getEndpoint()), access.region()));
            default -> new S3ObjectStore(access, null);
        };
    }
}
