package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A server that goes down fails the Bucket with the last artifact still served; when it is back, changes are picked up. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class BucketServerOutageTest {

    @Test
    void whileTheServerIsDownTheLastArtifactIsServedAndWhenItIsBackTheBucketRecovers() throws Exception {
        try (S3Server server = S3Server.filesystem(false)) {
            server.createBucket("bkt");
            server.put("bkt", "a.yaml", "a: 1\n");
            var scenario = new BucketScenario("bucket-outage");
            scenario.apply("app", server, "bkt", null);
            Bucket good = scenario.awaitReady("app");

            server.stop();
            scenario.cluster.reconcileNow(Bucket.class, "app");
            Bucket down = scenario.awaitNotReady("app", "BucketOperationFailed");
            assertThat(scenario.readyMessage(down)).contains("failed to confirm existence of 'bkt' bucket");
            assertThat(BucketScenario.files(down)).isEqualTo(Map.of("a.yaml", "a: 1\n"));

            server.restart();
            server.put("bkt", "a.yaml", "a: 2\n");
            scenario.cluster.reconcileNow(Bucket.class, "app");
            Bucket back = scenario.awaitReady("app");
            assertThat(BucketScenario.files(back)).isEqualTo(Map.of("a.yaml", "a: 2\n"));
            assertThat(back.getStatus().getArtifact().getRevision()).isNotEqualTo(good.getStatus().getArtifact().getRevision());
        }
    }
}
