package io.currents.source.bucket;

import com.azure.core.http.HttpClient;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.util.Context;
import com.azure.identity.ChainedTokenCredentialBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.EnvironmentCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobUrlParts;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * An Azure Blob Storage container ({@code provider: azure}) through the Azure Storage Blob client. Credentials as Flux
 * reads them from {@code secretRef}: a service principal ({@code tenantId}, {@code clientId} and {@code clientSecret}
 * or {@code clientCertificate}), a managed identity ({@code clientId} alone), a shared key ({@code accountKey}, the
 * account named by the endpoint) or a SAS ({@code sasKey}); without a Secret, the controller's own identity
 * (environment, AKS workload identity, managed identity), which is only ever sent to Azure's storage endpoints.
 */
public final class AzureBlobStore implements ObjectStore {

    /** Hosts of Azure's blob endpoints in its public and sovereign clouds (and Azure DNS zone endpoints). */
    private static final String[] AZURE_BLOB_HOSTS = {".blob.core.windows.net", ".blob.core.chinacloudapi.cn",
            ".blob.core.usgovcloudapi.net", ".blob.storage.azure.net"};

    private final BlobContainerClient container;
    private final Duration timeout;

    public AzureBlobStore(BucketAccess access) throws BucketException {
        this.timeout = access.timeout();
        String endpoint = access.endpoint().toString();
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .endpoint(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint)
                .httpClient(httpClient(access))
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3,
                        (int) Math.max(1, Math.min(Integer.MAX_VALUE, access.timeout().toSeconds())), null, null, null));
        authenticate(builder, access);
        this.container = builder.buildClient().getBlobContainerClient(access.bucketName());
    }

    /** Flux's order: service principal, managed identity by client id, shared key, SAS; no Secret: the controller's identity. */
    private static void authenticate(BlobServiceClientBuilder builder, BucketAccess access) throws BucketException {
        Map<String, String> s = access.secret();
        String tenantId = s.get("tenantId");
        String clientId = s.get("clientId");
        String authority = s.get("authorityHost");
        if (present(tenantId) && present(clientId) && present(s.get("clientSecret"))) {
            ClientSecretCredentialBuilder b = new ClientSecretCredentialBuilder().tenantId(tenantId).clientId(clientId)
                    .clientSecret(s.get("clientSecret"));
            builder.credential((authority == null ? b : b.authorityHost(authority)).build());
        } else if (present(tenantId) && present(clientId) && present(s.get("clientCertificate"))) {
            String certificate = s.get("clientCertificate");
            ClientCertificateCredentialBuilder b = new ClientCertificateCredentialBuilder().tenantId(tenantId).clientId(clientId);
            var in = new ByteArrayInputStream(certificate.getBytes(StandardCharsets.ISO_8859_1));
            if (certificate.contains("-----BEGIN")) {
                b.pemCertificate(in);
            } else {
                b.pfxCertificate(in).clientCertificatePassword(s.get("clientCertificatePassword"));
            }
            String chain = s.get("clientCertificateSendChain");
            b.sendCertificateChain("1".equals(chain) || "true".equalsIgnoreCase(chain));
            builder.credential((authority == null ? b : b.authorityHost(authority)).build());
        } else if (present(clientId)) {
            onlyAzureEndpoint(access);
            builder.credential(new ManagedIdentityCredentialBuilder().clientId(clientId).build());
        } else if (present(s.get("accountKey"))) {
            String account = BlobUrlParts.parse(access.endpoint().toString()).getAccountName();
            if (account == null || account.isEmpty()) {
                throw new BucketException("failed to extract account name from endpoint '" + access.endpoint()
                        + "': expected <account>.blob.<domain> or a path-style URL naming the account");
            }
            builder.credential(new StorageSharedKeyCredential(account, s.get("accountKey")));
        } else if (present(s.get("sasKey"))) {
            builder.sasToken(s.get("sasKey").startsWith("?") ? s.get("sasKey").substring(1) : s.get("sasKey"));
        } else {
            onlyAzureEndpoint(access);
            EnvironmentCredentialBuilder environment = new EnvironmentCredentialBuilder();
            var chain = new ChainedTokenCredentialBuilder().addLast((authority == null ? environment : environment.authorityHost(authority)).build());
            String envClientId = System.getenv("AZURE_CLIENT_ID");
            if (present(envClientId) && System.getenv("AZURE_FEDERATED_TOKEN_FILE") != null && System.getenv("AZURE_TENANT_ID") != null) {
                chain.addLast(new WorkloadIdentityCredentialBuilder().clientId(envClientId).tenantId(System.getenv("AZURE_TENANT_ID"))
                        .tokenFilePath(System.getenv("AZURE_FEDERATED_TOKEN_FILE")).build());
            }
            if (present(envClientId)) {
                chain.addLast(new ManagedIdentityCredentialBuilder().clientId(envClientId).build());
            }
            chain.addLast(new ManagedIdentityCredentialBuilder().build());
            builder.credential(chain.build());
        }
    }

    /** The controller's own identity goes to Azure's storage endpoints only, never to one a tenant points at. */
    private static void onlyAzureEndpoint(BucketAccess access) throws BucketException {
        String host = access.endpoint().getHost() == null ? "" : access.endpoint().getHost().toLowerCase(Locale.ROOT);
        for (String suffix : AZURE_BLOB_HOSTS) {
            if (host.endsWith(suffix)) {
                return;
            }
        }
        throw new BucketException("endpoint '" + host + "' is not an Azure Blob Storage endpoint: the controller's own "
                + "identity is only sent to Azure's storage endpoints (" + String.join(", ", AZURE_BLOB_HOSTS)
                + "); use a secretRef with a service principal, an account key or a SAS for another endpoint");
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }

    /** Reactor Netty (Netty is in the controller already) with the Bucket's TLS material, proxy and timeout. */
    private static HttpClient httpClient(BucketAccess access) {
        reactor.netty.http.client.HttpClient base = reactor.netty.http.client.HttpClient.create();
        if (access.ssl() != null) {
            JdkSslContext ssl = new JdkSslContext(access.ssl(), true, ClientAuth.NONE);
            base = base.secure(spec -> spec.sslContext(ssl));
        }
        NettyAsyncHttpClientBuilder builder = new NettyAsyncHttpClientBuilder(base)
                .connectTimeout(access.timeout()).readTimeout(access.timeout()).responseTimeout(access.timeout());
        BucketAccess.Proxy proxy = access.proxy();
        if (proxy != null) {
            ProxyOptions options = new ProxyOptions(ProxyOptions.Type.HTTP, new InetSocketAddress(proxy.address().getHost(),
                    proxy.address().getPort() > 0 ? proxy.address().getPort() : 80));
            if (proxy.username() != null) {
                options.setCredentials(proxy.username(), proxy.password() == null ? "" : proxy.password());
            }
            builder.proxy(options);
        }
        return builder.build();
    }

    @Override
    public boolean bucketExists() throws BucketException {
        // one listed blob, as Flux checks: a container-level SAS may not read the container's properties
        try {
            container.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), timeout).iterableByPage().iterator().next();
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return false;
            }
            throw failure("failed to confirm existence of '" + container.getBlobContainerName() + "' bucket", e);
        } catch (RuntimeException e) {
            throw failure("failed to confirm existence of '" + container.getBlobContainerName() + "' bucket", e);
        }
    }

    @Override
    public void list(String prefix, ObjectVisitor visitor) throws BucketException {
        ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(5000);
        if (prefix != null && !prefix.isEmpty()) {
            options.setPrefix(prefix);
        }
        try {
            for (BlobItem item : container.listBlobs(options, timeout)) {
                if (Boolean.TRUE.equals(item.isPrefix())) {
                    continue;
                }
                String etag = item.getProperties().getETag();
                Long size = item.getProperties().getContentLength();
                // Flux writes Azure's ETag in hex ("%x" of the string): the same revision for the same blobs
                visitor.visit(item.getName(), etag == null ? "" : HexFormat.of().formatHex(etag.getBytes(StandardCharsets.UTF_8)),
                        size == null ? 0 : size);
            }
        } catch (RuntimeException e) {
            throw failure("listing objects of bucket '" + container.getBlobContainerName() + "' failed", e);
        }
    }

    @Override
    public boolean download(String key, Path target, long maxBytes) throws BucketException {
        try (OutputStream out = new LimitedOutputStream(Files.newOutputStream(target), key, maxBytes)) {
            container.getBlobClient(key).downloadStreamWithResponse(out, null, null, null, false, timeout, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            deleteQuietly(target);
            if (e.getStatusCode() == 404) {
                return false;
            }
            throw failure("failed to get '" + key + "' object", e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(target);
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TooLarge tooLarge) {
                    throw new BucketException(tooLarge.getMessage());
                }
            }
            throw failure("failed to get '" + key + "' object", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the work directory is removed after the reconcile anyway
        }
    }

    private static BucketException failure(String what, Throwable e) {
        if (e instanceof BlobStorageException s) {
            return new BucketException(what + ": " + s.getErrorCode() + " (HTTP " + s.getStatusCode() + ")", e);
        }
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return new BucketException(what + ": " + S3ObjectStore.describe(t), e);
    }

    @Override
    public void close() {
        // the client holds no connection of its own between reconciles
    }

    /** An object larger than the limit. */
    private static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** Refuses more than {@code maxBytes}, so a blob larger than announced cannot fill the disk. */
    private static final class LimitedOutputStream extends java.io.FilterOutputStream {
        private final String key;
        private final long maxBytes;
        private long written;

        LimitedOutputStream(OutputStream out, String key, long maxBytes) {
            super(out);
            this.key = key;
            this.maxBytes = maxBytes;
        }

        @Override
        public void write(int b) throws IOException {
            count(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count(len);
            out.write(b, off, len);
        }

        private void count(int n) throws TooLarge {
            written += n;
            if (written > maxBytes) {
                throw new TooLarge(S3ObjectStore.tooLarge(key, written, maxBytes));
            }
        }
    }
}
