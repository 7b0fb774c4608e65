package io.currents.source.bucket;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.core.util.BinaryData;
import io.currents.testkit.storage.Azurite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The azure store against Azurite: account key and SAS, listing with prefix and pages, download, a missing blob, the size limit. */
class AzureBlobStoreTest {

    private static Azurite azurite;
    private static BlobContainerClient container;

    @BeforeAll
    static void start() {
        azurite = Azurite.start();
        container = new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
                .createBlobContainer("manifests");
        for (int i = 0; i < 7; i++) {
            container.getBlobClient("apps/" + i + ".yaml").upload(BinaryData.fromString("n: " + i + "\n"));
        }
        container.getBlobClient("other.yaml").upload(BinaryData.fromString("other\n"));
    }

    @AfterAll
    static void stop() {
        if (azurite != null) {
            azurite.close();
        }
    }

    private static BucketAccess access(String bucket, Map<String, String> secret) {
        return new BucketAccess("azure", bucket, URI.create(azurite.endpoint()), null, null, secret, null, null, Duration.ofSeconds(10));
    }

    private static void readsTheContainer(AzureBlobStore store) throws Exception {
        assertThat(store.bucketExists()).isTrue();
        List<String> listed = new ArrayList<>();
        store.list("apps/", (key, etag, size) -> listed.add(key + " " + etag + " " + size));
        assertThat(listed).hasSize(7);
        String etag = container.getBlobClient("apps/3.yaml").getProperties().getETag();
        // Flux's revision input: the ETag's text in hex
        assertThat(listed).contains("apps/3.yaml " + HexFormat.of().formatHex(etag.getBytes(StandardCharsets.UTF_8)) + " 5");
        Path target = Files.createTempFile("blob", ".yaml");
        assertThat(store.download("apps/3.yaml", target, 100)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("n: 3\n");
        assertThat(store.download("apps/none.yaml", target, 100)).isFalse();
        assertThatThrownBy(() -> store.download("other.yaml", target, 3)).isInstanceOf(BucketException.class)
                .hasMessageContaining("larger than the limit of 3 bytes");
    }

    @Test
    void anAccountKeyReadsTheContainerAndAMissingContainerIsReportedAsSuch() throws Exception {
        try (AzureBlobStore store = new AzureBlobStore(access("manifests", Map.of("accountKey", Azurite.ACCOUNT_KEY)))) {
            readsTheContainer(store);
        }
        try (AzureBlobStore store = new AzureBlobStore(access("absent", Map.of("accountKey", Azurite.ACCOUNT_KEY)))) {
            assertThat(store.bucketExists()).isFalse();
        }
    }

    @Test
    void aSasTokenReadsTheContainer() throws Exception {
        String sas = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));
        try (AzureBlobStore store = new AzureBlobStore(access("manifests", Map.of("sasKey", "?" + sas)))) {
            readsTheContainer(store);
        }
    }

    @Test
    void requestsGoThroughTheProxyOfProxySecretRef() throws Exception {
        try (var proxy = io.currents.testkit.git.HttpProxyServer.start("proxy-user", "proxy-pass")) {
            BucketAccess access = new BucketAccess("azure", "manifests", URI.create(azurite.endpoint()), null, null,
                    Map.of("accountKey", Azurite.ACCOUNT_KEY), null,
                    new BucketAccess.Proxy(URI.create(proxy.address()), "proxy-user", "proxy-pass"), Duration.ofSeconds(10));
            try (AzureBlobStore store = new AzureBlobStore(access)) {
                Path target = Files.createTempFile("blob", ".yaml");
                assertThat(store.download("apps/1.yaml", target, 100)).isTrue();
            }
            // Reactor Netty tunnels through the proxy (CONNECT, with the proxy's credentials) even to a plain-HTTP endpoint
            assertThat(proxy.requests()).contains("CONNECT " + URI.create(azurite.endpoint()).getAuthority() + " HTTP/1.1");
        }
    }

    @Test
    void aWrongKeyFailsWithTheServicesReasonAndNotTheKey() {
        String wrong = java.util.Base64.getEncoder().encodeToString("not the account key, 64 bytes long ............................".getBytes());
        assertThatThrownBy(() -> {
            try (AzureBlobStore store = new AzureBlobStore(access("manifests", Map.of("accountKey", wrong)))) {
                store.bucketExists();
            }
        }).isInstanceOf(BucketException.class).hasMessageContaining("AuthorizationFailure").hasMessageContaining("403")
                .hasMessageNotContaining(wrong);
    }

    @Test
    void theControllersOwnIdentityIsOnlyForAzuresEndpoints() {
        assertThatThrownBy(() -> new AzureBlobStore(access("manifests", Map.of()))).isInstanceOf(BucketException.class)
                .hasMessageContaining("is not an Azure Blob Storage endpoint");
        assertThatThrownBy(() -> new AzureBlobStore(access("manifests", Map.of("clientId", "managed-identity-client"))))
                .isInstanceOf(BucketException.class).hasMessageContaining("is not an Azure Blob Storage endpoint");
    }
}
