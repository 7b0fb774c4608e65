package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Wrong keys, a missing bucket, escaping keys and oversized objects fail with BucketOperationFailed and keep the last artifact. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class BucketBadInputTest {

    @Test
    void wrongKeysFailWithBucketOperationFailedAndThePreviousArtifactIsKept() throws Exception {
        try (S3Server server = S3Server.filesystem(false)) {
            server.createBucket("bkt");
            server.put("bkt", "a.yaml", "a: 1\n");
            var scenario = new BucketScenario("bucket-keys");
            scenario.apply("app", server, "bkt", null);
            Bucket good = scenario.awaitReady("app");

            scenario.cluster.secret("s3-keys", Map.of("accesskey", S3Server.ACCESS_KEY, "secretkey", "not-the-secret"));
            server.put("bkt", "a.yaml", "a: 2\n");
            scenario.cluster.reconcileNow(Bucket.class, "app");
            Bucket failed = scenario.awaitNotReady("app", "BucketOperationFailed");
            assertThat(scenario.readyMessage(failed)).contains("failed to confirm existence of 'bkt' bucket").doesNotContain("not-the-secret");
            assertThat(SourceScenario.condition(failed, "FetchFailed").orElseThrow().getReason()).isEqualTo("BucketOperationFailed");
            assertThat(failed.getStatus().getArtifact().getRevision()).isEqualTo(good.getStatus().getArtifact().getRevision());
            assertThat(BucketScenario.files(failed)).isEqualTo(Map.of("a.yaml", "a: 1\n"));
            assertThat(scenario.cluster.events("app")).anySatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("BucketOperationFailed");
            });
        }
    }

    @Test
    void aMissingBucketIsNamedInTheReadyCondition() throws Exception {
        try (S3Server server = S3Server.filesystem(false)) {
            var scenario = new BucketScenario("bucket-missing");
            scenario.apply("app", server, "nowhere", null);
            Bucket failed = scenario.awaitNotReady("app", "BucketOperationFailed");
            assertThat(scenario.readyMessage(failed)).isEqualTo("bucket 'nowhere' not found");
            assertThat(failed.getStatus().getArtifact()).isNull();
        }
    }

    @Test
    void aMissingSecretFailsWithAuthenticationFailed() throws Exception {
        try (S3Server server = S3Server.filesystem(false)) {
            server.createBucket("bkt");
            var scenario = new BucketScenario("bucket-nosecret");
            scenario.cluster.apply(Bucket.class, """
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: Bucket
                    metadata:
                      name: app
                    spec:
                      interval: 10m
                      bucketName: b
                      endpoint: %s
                      insecure: true
                      secretRef:
                        name: absent
                    """.formatted(server.endpoint()));
            Bucket failed = scenario.awaitNotReady("app", "AuthenticationFailed");
            assertThat(scenario.readyMessage(failed)).contains("absent");
        }
    }

    @Test
    void objectKeysThatClimbOutOfTheArtifactAreRefused() throws Exception {
        try (S3Server server = S3Server.inMemory()) {
            server.createBucket("bkt");
            server.put("bkt", "a.yaml", "a: 1\n");
            var scenario = new BucketScenario("bucket-escape");
            scenario.apply("app", server, "bkt", null);
            Bucket good = scenario.awaitReady("app");

            server.put("bkt", "../../escape.yaml", "x: 1\n");
            scenario.cluster.reconcileNow(Bucket.class, "app");
            Bucket failed = scenario.awaitNotReady("app", "BucketOperationFailed");
            assertThat(scenario.readyMessage(failed)).contains("'../../escape.yaml'").contains("refusing");
            assertThat(failed.getStatus().getArtifact().getRevision()).isEqualTo(good.getStatus().getArtifact().getRevision());

            server.delete("bkt", "../../escape.yaml");
            server.put("bkt", "/etc/absolute.yaml", "x: 1\n");
            scenario.cluster.reconcileNow(Bucket.class, "app");
            Bucket absolute = scenario.awaitNotReady("app", "BucketOperationFailed");
            assertThat(scenario.readyMessage(absolute)).contains("'/etc/absolute.yaml'");
        }
    }

    @Test
    void anObjectOverTheSizeLimitAndABucketOverTheTotalLimitAreRefused() throws Exception {
        try (S3Server server = S3Server.filesystem(false)) {
            server.createBucket("big");
            server.put("big", "large.bin", "x".repeat(70 * 1024));
            var scenario = new BucketScenario("bucket-size");
            scenario.apply("one", server, "big", null);
            Bucket tooLarge = scenario.awaitNotReady("one", "BucketOperationFailed");
            assertThat(scenario.readyMessage(tooLarge)).contains("'large.bin'").contains("larger than the limit");

            server.createBucket("many");
            for (int i = 0; i < 20; i++) {
                server.put("many", "part-" + i + ".bin", "y".repeat(60 * 1024));
            }
            scenario.apply("total", server, "many", null);
            Bucket tooMuch = scenario.awaitNotReady("total", "BucketOperationFailed");
            assertThat(scenario.readyMessage(tooMuch)).contains("more than the limit");
        }
    }
}
