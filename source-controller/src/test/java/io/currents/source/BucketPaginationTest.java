package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A bucket of 10,000 objects is listed over many pages and fetched whole; a later change downloads only the changed object. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class BucketPaginationTest {

    @Test
    void tenThousandObjectsAreListedAcrossPagesAndOneChangeDownloadsOneObject() throws Exception {
        try (S3Server server = S3Server.filesystem(false)) {
            server.createBucket("large");
            Map<String, String> etags = new TreeMap<>();
            for (int i = 0; i < 10_000; i++) {
                String key = "dir-" + (i % 50) + "/object-" + i + ".yaml";
                String content = "n: " + i + "\n";
                server.put("large", key, content);
                etags.put(key, BucketScenario.md5(content));
            }
            var scenario = new BucketScenario("bucket-10k");
            scenario.apply("app", server, "large", "timeout: 4m");
            Bucket ready = scenario.awaitReady("app", java.time.Duration.ofMinutes(5));
            assertThat(ready.getStatus().getArtifact().getRevision()).isEqualTo(BucketScenario.fluxRevision(etags));
            Map<String, String> files = BucketScenario.files(ready);
            assertThat(files).hasSize(10_000).containsEntry("dir-7/object-9957.yaml", "n: 9957\n");
            assertThat(server.objectGets()).isEqualTo(10_000);

            server.put("large", "dir-3/object-3.yaml", "n: changed\n");
            Bucket changed = scenario.reconcileNow("app");
            assertThat(BucketScenario.files(changed)).hasSize(10_000).containsEntry("dir-3/object-3.yaml", "n: changed\n");
            assertThat(server.objectGets()).isEqualTo(10_001);
        }
    }
}
