package io.currents.source;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.currents.api.source.v1.Bucket;
import io.currents.testkit.storage.Azurite;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * provider azure against Azurite: a shared account key and a container SAS from secretRef both open the container, the
 * blobs under the prefix become the artifact with Flux's revision; a wrong key and a Secret without any credential
 * Flux knows leave the Bucket not ready with the reason on status.
 */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class BucketAzureProviderTest {

    @Test
    void anAccountKeyAndASasOpenTheContainerAndItsBlobsBecomeTheArtifact() throws Exception {
        try (Azurite azurite = Azurite.start()) {
            BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
                    .createBlobContainer("azure-manifests");
            Map<String, String> blobs = Map.of("apps/a.yaml", "a: 1\n", "apps/sub/b.yaml", "b: 2\n");
            blobs.forEach((k, v) -> container.getBlobClient(k).upload(BinaryData.fromString(v)));
            container.getBlobClient("elsewhere.yaml").upload(BinaryData.fromString("outside the prefix\n"));
            String sas = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                    new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));

            var scenario = new BucketScenario("bucket-azure");
            scenario.cluster.secret("account-key", Map.of("accountKey", Azurite.ACCOUNT_KEY));
            scenario.cluster.secret("sas", Map.of("sasKey", "?" + sas));
            scenario.cluster.apply(Bucket.class, azureBucket("by-key", azurite, "prefix: apps/\nsecretRef:\n  name: account-key\n"));
            scenario.cluster.apply(Bucket.class, azureBucket("by-sas", azurite, "prefix: apps/\nsecretRef:\n  name: sas\n"));

            Map<String, String> etags = new HashMap<>();
            blobs.keySet().forEach(k -> etags.put(k, HexFormat.of().formatHex(
                    container.getBlobClient(k).getProperties().getETag().getBytes(StandardCharsets.UTF_8))));
            String revision = BucketScenario.fluxRevision(etags);
            for (String name : new String[]{"by-key", "by-sas"}) {
                Bucket ready = scenario.awaitReady(name);
                assertThat(BucketScenario.files(ready)).isEqualTo(blobs);
                assertThat(ready.getStatus().getArtifact().getRevision()).isEqualTo(revision);
            }
        }
    }

    @Test
    void aWrongKeyAndASecretWithoutCredentialsAreReportedOnStatus() throws Exception {
        try (Azurite azurite = Azurite.start()) {
            new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient().createBlobContainer("azure-manifests");
            var scenario = new BucketScenario("bucket-azure-bad");
            String wrongKey = java.util.Base64.getEncoder().encodeToString(new byte[64]);
            scenario.cluster.secret("wrong-key", Map.of("accountKey", wrongKey));
            scenario.cluster.secret("empty", Map.of("accesskey", "not an azure credential"));
            scenario.cluster.apply(Bucket.class, azureBucket("wrong", azurite, "secretRef:\n  name: wrong-key\n"));
            scenario.cluster.apply(Bucket.class, azureBucket("no-credential", azurite, "secretRef:\n  name: empty\n"));

            Bucket wrong = scenario.awaitNotReady("wrong", "BucketOperationFailed");
            assertThat(scenario.readyMessage(wrong)).contains("AuthorizationFailure").doesNotContain(wrongKey);
            Bucket none = scenario.awaitNotReady("no-credential", "AuthenticationFailed");
            assertThat(scenario.readyMessage(none)).startsWith("invalid 'empty' secret data: requires a 'clientId', 'accountKey' or 'sasKey'");
        }
    }

    static String azureBucket(String name, Azurite azurite, String extra) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: Bucket
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  timeout: 20s
                  provider: azure
                  bucketName: azure-manifests
                  endpoint: %s
                %s""".formatted(name, azurite.endpoint(), extra.indent(2));
    }
}
