package io.currents.source.bucket;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A bucket of an S3-compatible service ({@code generic}: MinIO, Ceph, s3proxy...) or of Amazon S3 ({@code aws}) through
 * the AWS SDK v2 on the JDK's HTTP client: path-style addressing except on Amazon's own endpoints, the SDK's signing, and
 * checksums only where S3 requires them (S3-compatible servers often do not implement the newer ones).
 */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(BucketAccess access, AwsCredentialsProvider workloadIdentity) {
        this.bucket = access.bucketName();
        String host = access.endpoint().getHost() == null ? "" : access.endpoint().getHost().toLowerCase(Locale.ROOT);
        boolean amazon = host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn");
        String region = access.region() == null || access.region().isBlank() ? "us-east-1" : access.region();
        this.s3 = S3Client.builder()
                .httpClient(httpClient(access))
                .endpointOverride(access.endpoint())
                .region(Region.of(region))
                .forcePathStyle(!amazon)
                .credentialsProvider(credentials(access, workloadIdentity))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(access.timeout()))
                .build();
    }

    private static AwsCredentialsProvider credentials(BucketAccess access, AwsCredentialsProvider workloadIdentity) {
        BucketAccess.Credentials c = access.credentials();
        if (c != null) {
            return StaticCredentialsProvider.create(c.sessionToken() == null
                    ? AwsBasicCredentials.create(c.accessKey(), c.secretKey())
                    : AwsSessionCredentials.create(c.accessKey(), c.secretKey(), c.sessionToken()));
        }
        if (workloadIdentity != null) {
            return workloadIdentity;
        }
        // aws without a Secret: the SDK's chain (environment, IRSA web identity, ECS/EKS pod identity, instance profile);
        // generic without a Secret: anonymous, as Flux's generic provider.
        return "aws".equals(access.provider()) ? DefaultCredentialsProvider.builder().build() : AnonymousCredentialsProvider.create();
    }

    /** The JDK's HttpURLConnection with the object's TLS material, proxy and timeouts: no Netty or Apache client in the image. */
    private static SdkHttpClient httpClient(BucketAccess access) {
        return UrlConnectionHttpClient.create((URI uri) -> {
            try {
                return BucketConnections.open(uri.toURL(), access);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Override
    public boolean bucketExists() throws BucketException {
        try {
            s3.headBucket(HeadBucketRequest.builder().bucket(bucket).build());
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("failed to confirm existence of '" + bucket + "' bucket", e);
        } catch (SdkException | java.io.UncheckedIOException e) {
            throw failure("failed to confirm existence of '" + bucket + "' bucket", e);
        }
    }

    @Override
    public void list(String prefix, ObjectVisitor visitor) throws BucketException {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket);
        if (prefix != null && !prefix.isEmpty()) {
            request.prefix(prefix);
        }
        try {
            for (S3Object object : s3.listObjectsV2Paginator(request.build()).contents()) {
                visitor.visit(object.key(), trimQuotes(object.eTag()), object.size() == null ? 0 : object.size());
            }
        } catch (SdkException | java.io.UncheckedIOException e) {
            throw failure("listing objects of bucket '" + bucket + "' failed", e);
        }
    }

    @Override
    public boolean download(String key, Path target, long maxBytes) throws BucketException {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                in.abort();
                throw new BucketException(tooLarge(key, length, maxBytes));
            }
            copyLimited(key, in, target, maxBytes);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("failed to get '" + key + "' object", e);
        } catch (SdkException | IOException | java.io.UncheckedIOException e) {
            throw failure("failed to get '" + key + "' object", e);
        }
    }

    static void copyLimited(String key, InputStream in, Path target, long maxBytes) throws IOException, BucketException {
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new BucketException(tooLarge(key, total, maxBytes));
                }
                out.write(buffer, 0, n);
            }
        } catch (BucketException | IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
    }

    static String tooLarge(String key, long size, long maxBytes) {
        return "object '" + key + "' is larger than the limit of " + maxBytes + " bytes (" + size + (size > maxBytes ? "+" : "") + " bytes)";
    }

    private static String trimQuotes(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static BucketException failure(String what, Throwable e) {
        return new BucketException(what + ": " + describe(e), e);
    }

    static String describe(Throwable e) {
        Throwable t = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String message = t.getMessage();
        if (t instanceof SdkException && t.getCause() != null && t.getCause().getMessage() != null
                && (message == null || message.startsWith("Unable to execute HTTP request"))) {
            message = (message == null ? "" : message + " ") + "(" + t.getCause().getClass().getSimpleName() + ": " + t.getCause().getMessage() + ")";
        }
        return message == null ? t.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        s3.close();
    }
}
