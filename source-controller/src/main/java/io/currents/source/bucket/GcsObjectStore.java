package io.currents.source.bucket;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.ReadChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A Google Cloud Storage bucket ({@code provider: gcp}) through Google's Cloud Storage client on its JSON API over the
 * JDK's HttpURLConnection. Credentials: the service account key of {@code secretRef}'s {@code serviceaccount}, or else
 * the controller's Application Default Credentials (GKE workload identity, metadata server), which are only ever sent
 * to Google's own endpoints.
 */
public final class GcsObjectStore implements ObjectStore {

    static final String READ_ONLY_SCOPE = "https://www.googleapis.com/auth/devstorage.read_only";
    static final String SERVICE_ACCOUNT_KEY = "serviceaccount";

    private final Storage storage;
    private final String bucket;

    public GcsObjectStore(BucketAccess access) throws BucketException {
        this.bucket = access.bucketName();
        HttpTransportFactory transport = () -> new NetHttpTransport.Builder()
                .setConnectionFactory(url -> BucketConnections.open(url, access)).build();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, access.timeout().toMillis());
        HttpStorageOptions.Builder options = HttpStorageOptions.http()
                .setHost(host(access.endpoint()))
                .setCredentials(credentials(access, transport))
                .setTransportOptions(HttpTransportOptions.newBuilder().setHttpTransportFactory(transport)
                        .setConnectTimeout(timeoutMillis).setReadTimeout(timeoutMillis).build())
                .setRetrySettings(HttpStorageOptions.getDefaultRetrySettings().toBuilder()
                        .setMaxAttempts(3).setTotalTimeoutDuration(access.timeout()).build());
        String project = access.secret().isEmpty() ? null : projectOf(access.secret().get(SERVICE_ACCOUNT_KEY));
        // a project id of our own keeps the client from asking the metadata server for one; reads of a named bucket do not use it
        options.setProjectId(project == null ? "currents-bucket-reader" : project);
        this.storage = options.build().getService();
    }

    /**
     * The key of {@code secretRef}, which must be a service account key (other credential types, such as external
     * accounts, would make the controller read files or call URLs the tenant names); without one, the controller's
     * own Application Default Credentials, for Google's endpoints only.
     */
    static GoogleCredentials credentials(BucketAccess access, HttpTransportFactory transport) throws BucketException {
        String key = access.secret().get(SERVICE_ACCOUNT_KEY);
        try {
            if (key != null) {
                try (InputStream in = new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8))) {
                    return ServiceAccountCredentials.fromStream(in, transport).createScoped(List.of(READ_ONLY_SCOPE));
                }
            }
            if (!googleEndpoint(access.endpoint())) {
                throw new BucketException("endpoint '" + access.endpoint().getHost() + "' is not a Google Cloud Storage endpoint: "
                        + "the controller's own credentials are only sent to *.googleapis.com; name a secretRef with a "
                        + "'serviceaccount' key to use another endpoint");
            }
            return GoogleCredentials.getApplicationDefault(transport).createScoped(List.of(READ_ONLY_SCOPE));
        } catch (IOException | RuntimeException e) {
            // the key's own text never goes into the message
            String what = key != null ? "invalid service account key in secret data 'serviceaccount'"
                    : "no Google credentials (Application Default Credentials)";
            throw new BucketException(what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().replace(key == null ? "\u0000" : key, "***")), e);
        }
    }

    static boolean googleEndpoint(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        return "https".equals(endpoint.getScheme()) && (host.equals("storage.googleapis.com") || host.endsWith(".googleapis.com"));
    }

    private static String host(URI endpoint) {
        String s = endpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String projectOf(String json) {
        if (json == null) {
            return null;
        }
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("project_id");
            return node == null || node.asText().isBlank() ? null : node.asText();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean bucketExists() throws BucketException {
        // listing one object needs only storage.objects.list, which a reader of the bucket has (buckets.get it may lack)
        try {
            storage.list(bucket, Storage.BlobListOption.pageSize(1));
            return true;
        } catch (BaseServiceException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw failure("failed to confirm existence of '" + bucket + "' bucket", e);
        }
    }

    @Override
    public void list(String prefix, ObjectVisitor visitor) throws BucketException {
        try {
            var page = prefix == null || prefix.isEmpty() ? storage.list(bucket, Storage.BlobListOption.pageSize(1000))
                    : storage.list(bucket, Storage.BlobListOption.pageSize(1000), Storage.BlobListOption.prefix(prefix));
            for (Blob blob : page.iterateAll()) {
                visitor.visit(blob.getName(), blob.getEtag() == null ? "" : blob.getEtag(), blob.getSize() == null ? 0 : blob.getSize());
            }
        } catch (BaseServiceException e) {
            throw failure("listing objects of bucket '" + bucket + "' failed", e);
        }
    }

    @Override
    public boolean download(String key, Path target, long maxBytes) throws BucketException {
        try (ReadChannel reader = storage.reader(BlobId.of(bucket, key)); InputStream in = Channels.newInputStream(reader)) {
            S3ObjectStore.copyLimited(key, in, target, maxBytes);
            return true;
        } catch (IOException | BaseServiceException e) {
            BaseServiceException service = serviceCause(e);
            if (service != null && service.getCode() == 404) {
                return false;
            }
            throw failure("failed to get '" + key + "' object", service != null ? service : e);
        }
    }

    private static BaseServiceException serviceCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BaseServiceException s) {
                return s;
            }
        }
        return null;
    }

    private static BucketException failure(String what, Throwable e) {
        String message = e instanceof StorageException s && s.getCode() > 0 ? s.getMessage() + " (HTTP " + s.getCode() + ")"
                : S3ObjectStore.describe(e.getCause() != null && e.getMessage() == null ? e.getCause() : e);
        return new BucketException(what + ": " + message, e);
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            // nothing is held open between reconciles
        }
    }
}
