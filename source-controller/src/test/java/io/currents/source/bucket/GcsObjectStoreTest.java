package io.currents.source.bucket;

import io.currents.testkit.storage.GcsServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gcp store against the GCS test server: which credentials it picks, listing, download, a missing object, the size limit. */
class GcsObjectStoreTest {

    private static BucketAccess access(GcsServer gcs, String bucket, Map<String, String> secret) {
        return new BucketAccess("gcp", bucket, URI.create(gcs.endpoint()), null, null, secret, null, null, Duration.ofSeconds(10));
    }

    @Test
    void aServiceAccountKeySignsInAtItsTokenEndpointAndReadsTheBucket() throws Exception {
        try (GcsServer gcs = GcsServer.start().pageSize(1)) {
            gcs.createBucket("b");
            gcs.put("b", "x/1.yaml", "one");
            gcs.put("b", "x/2.yaml", "two");
            gcs.put("b", "y.yaml", "three");
            try (GcsObjectStore store = new GcsObjectStore(access(gcs, "b", Map.of("serviceaccount", gcs.serviceAccountJson())))) {
                assertThat(store.bucketExists()).isTrue();
                List<String> listed = new ArrayList<>();
                store.list("x/", (key, etag, size) -> listed.add(key + " " + etag + " " + size));
                assertThat(listed).containsExactly("x/1.yaml " + gcs.etag("b", "x/1.yaml") + " 3", "x/2.yaml " + gcs.etag("b", "x/2.yaml") + " 3");
                Path target = Files.createTempFile("gcs", ".yaml");
                assertThat(store.download("x/2.yaml", target, 100)).isTrue();
                assertThat(Files.readString(target)).isEqualTo("two");
                assertThat(store.download("nope.yaml", target, 100)).isFalse();
                assertThatThrownBy(() -> store.download("y.yaml", target, 2)).isInstanceOf(BucketException.class)
                        .hasMessageContaining("larger than the limit of 2 bytes");
            }
            assertThat(gcs.requests()).contains("POST /token");
            try (GcsObjectStore store = new GcsObjectStore(access(gcs, "missing", Map.of("serviceaccount", gcs.serviceAccountJson())))) {
                assertThat(store.bucketExists()).isFalse();
            }
        }
    }

    @Test
    void theTokenAndStorageRequestsGoThroughTheProxyOfProxySecretRef() throws Exception {
        try (GcsServer gcs = GcsServer.start(); var proxy = io.currents.testkit.git.HttpProxyServer.start("proxy-user", "proxy-pass")) {
            gcs.createBucket("b");
            gcs.put("b", "a.yaml", "a");
            BucketAccess access = new BucketAccess("gcp", "b", URI.create(gcs.endpoint()), null, null,
                    Map.of("serviceaccount", gcs.serviceAccountJson()), null,
                    new BucketAccess.Proxy(URI.create(proxy.address()), "proxy-user", "proxy-pass"), Duration.ofSeconds(10));
            try (GcsObjectStore store = new GcsObjectStore(access)) {
                Path target = Files.createTempFile("gcs", ".yaml");
                assertThat(store.download("a.yaml", target, 100)).isTrue();
            }
            assertThat(proxy.requests()).anyMatch(r -> r.startsWith("POST " + gcs.endpoint() + "/token"))
                    .anyMatch(r -> r.startsWith("GET " + gcs.endpoint() + "/download/storage/v1/b/b/o/a.yaml?alt=media"));
        }
    }

    @Test
    void withoutAKeyTheControllersOwnCredentialsAreOnlyForGooglesEndpoints() {
        assertThat(GcsObjectStore.googleEndpoint(URI.create("https://storage.googleapis.com"))).isTrue();
        assertThat(GcsObjectStore.googleEndpoint(URI.create("https://storage-europe.p.googleapis.com"))).isTrue();
        assertThat(GcsObjectStore.googleEndpoint(URI.create("http://storage.googleapis.com"))).isFalse();
        assertThat(GcsObjectStore.googleEndpoint(URI.create("https://googleapis.com.attacker.example"))).isFalse();
        try (GcsServer gcs = GcsServer.start()) {
            assertThatThrownBy(() -> new GcsObjectStore(access(gcs, "b", Map.of()))).isInstanceOf(BucketException.class)
                    .hasMessageContaining("only sent to *.googleapis.com");
        }
    }

    @Test
    void aKeyOfAnotherTypeIsRefusedWithoutEchoingIt() {
        String external = "{\"type\":\"external_account\",\"audience\":\"x\",\"subject_token_type\":\"t\",\"token_url\":\"http://127.0.0.1:1/\","
                + "\"credential_source\":{\"file\":\"/var/run/secrets/kubernetes.io/serviceaccount/token\"}}";
        try (GcsServer gcs = GcsServer.start()) {
            assertThatThrownBy(() -> new GcsObjectStore(access(gcs, "b", Map.of("serviceaccount", external))))
                    .isInstanceOf(BucketException.class)
                    .hasMessageStartingWith("invalid service account key in secret data 'serviceaccount'")
                    .hasMessageNotContaining("credential_source");
        }
    }
}
