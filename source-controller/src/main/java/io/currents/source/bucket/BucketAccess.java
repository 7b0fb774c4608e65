package io.currents.source.bucket;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How to reach one bucket: provider, name, endpoint URL (scheme from {@code spec.insecure} when the endpoint has none),
 * region, static or temporary credentials (null for the provider's default chain or anonymous access), the data of
 * {@code secretRef} for the providers whose SDK reads it as a whole (gcp: a service account key; azure: a shared key, a
 * SAS or a service principal; empty otherwise), the TLS material of {@code certSecretRef}, the proxy of
 * {@code proxySecretRef} and the timeout of one operation.
 */
public record BucketAccess(String provider, String bucketName, URI endpoint, String region, Credentials credentials,
                           Map<String, String> secret, SSLContext ssl, Proxy proxy, Duration timeout) {

    public BucketAccess {
        secret = secret == null ? Map.of() : Map.copyOf(secret);
    }

    @Override
    public String toString() {
        return "BucketAccess[" + provider + " " + bucketName + " at " + endpoint + ", secret keys " + secret.keySet() + "]";
    }

    /** An access key pair, with a session token for temporary credentials (STS). */
    public record Credentials(String accessKey, String secretKey, String sessionToken) {
        @Override
        public String toString() {
            return "Credentials[accessKey=" + accessKey + ", secretKey=***]";
        }
    }

    /** An HTTP proxy, with optional basic credentials. */
    public record Proxy(URI address, String username, String password) {
        @Override
        public String toString() {
            return "Proxy[" + address + "]";
        }
    }

    /**
     * The endpoint URL for {@code spec.endpoint}: kept as is when it names http or https, otherwise https, or http when
     * {@code insecure}, as Flux's S3 client does with a bare host:port.
     */
    public static URI endpointUrl(String endpoint, boolean insecure) {
        String e = endpoint.strip();
        if (e.startsWith("http://") || e.startsWith("https://")) {
            return URI.create(e);
        }
        return URI.create((insecure ? "http://" : "https://") + e);
    }
}
