package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.currents.testkit.storage.GcsServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * provider gcp: Google's Cloud Storage client signs in with the service account key of the Secret (the JWT grant at the
 * key's token endpoint), lists every page under the prefix and downloads the objects; revision from the GCS ETags;
 * bad keys and the controller's own credentials towards a foreign endpoint are refused with the reason on status.
 */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class BucketGcpProviderTest {

    @Test
    void aServiceAccountKeyOpensTheBucketAndEveryPageUnderThePrefixBecomesTheArtifact() throws Exception {
        try (GcsServer gcs = GcsServer.start().pageSize(2)) {
            gcs.createBucket("gcs-manifests");
            Map<String, String> objects = Map.of(
                    "apps/a.yaml", "a: 1\n", "apps/b.yaml", "b: 2\n", "apps/c.yaml", "c: 3\n",
                    "apps/sub/d.yaml", "d: 4\n", "apps/e.yaml", "e: 5\n");
            objects.forEach((k, v) -> gcs.put("gcs-manifests", k, v));
            gcs.put("gcs-manifests", "other/x.yaml", "outside the prefix\n");
            var scenario = new BucketScenario("bucket-gcp");
            scenario.cluster.secret("gcs-key", Map.of("serviceaccount", gcs.serviceAccountJson()));
            scenario.cluster.apply(Bucket.class, gcpBucket("app", gcs, "gcs-manifests", "prefix: apps/\nsecretRef:\n  name: gcs-key\n"));

            Bucket ready = scenario.awaitReady("app");
            assertThat(BucketScenario.files(ready)).isEqualTo(objects);
            Map<String, String> etags = new java.util.HashMap<>();
            objects.keySet().forEach(k -> etags.put(k, gcs.etag("gcs-manifests", k)));
            assertThat(ready.getStatus().getArtifact().getRevision()).isEqualTo(BucketScenario.fluxRevision(etags));
            // signed in through the key's token endpoint, and listed page by page (2 objects a page)
            assertThat(gcs.requests()).contains("POST /token");
            assertThat(gcs.requests()).anyMatch(r -> r.startsWith("GET /storage/v1/b/gcs-manifests/o?") && r.contains("pageToken="));
            assertThat(gcs.mediaGets("apps/a.yaml")).isEqualTo(1);
            assertThat(gcs.mediaGets("other/x.yaml")).isZero();

            // one object changed: only it is downloaded again
            gcs.put("gcs-manifests", "apps/b.yaml", "b: 20\n");
            Bucket changed = scenario.reconcileNow("app");
            assertThat(BucketScenario.files(changed)).containsEntry("apps/b.yaml", "b: 20\n").hasSize(5);
            assertThat(gcs.mediaGets("apps/b.yaml")).isEqualTo(2);
            assertThat(gcs.mediaGets("apps/a.yaml")).isEqualTo(1);

            // an object deleted between the listing and its download is left out, and the reconcile succeeds
            gcs.put("gcs-manifests", "apps/gone.yaml", "soon gone\n");
            gcs.deleteWhenListed("gcs-manifests", "apps/gone.yaml");
            gcs.put("gcs-manifests", "apps/c.yaml", "c: 30\n");
            Bucket afterRace = scenario.reconcileNow("app");
            assertThat(SourceScenario.status(afterRace, "Ready")).isEqualTo("True");
            assertThat(BucketScenario.files(afterRace)).doesNotContainKey("apps/gone.yaml").containsEntry("apps/c.yaml", "c: 30\n");
            etags.clear();
            BucketScenario.files(afterRace).keySet().forEach(k -> etags.put(k, gcs.etag("gcs-manifests", k)));
            assertThat(afterRace.getStatus().getArtifact().getRevision()).isEqualTo(BucketScenario.fluxRevision(etags));
        }
    }

    @Test
    void aKeyTheServerDoesNotKnowAndTheControllersOwnCredentialsTowardsAForeignEndpointAreRefused() throws Exception {
        try (GcsServer gcs = GcsServer.start(); GcsServer stranger = GcsServer.start()) {
            gcs.createBucket("locked");
            gcs.put("locked", "a.yaml", "a: 1\n");
            var scenario = new BucketScenario("bucket-gcp-bad");
            // a key whose token endpoint is the right server, but signed by another key
            String foreignKey = stranger.serviceAccountJson().replace(stranger.endpoint(), gcs.endpoint());
            scenario.cluster.secret("wrong-key", Map.of("serviceaccount", foreignKey));
            scenario.cluster.secret("no-key", Map.of("accesskey", "x"));
            scenario.cluster.apply(Bucket.class, gcpBucket("wrong", gcs, "locked", "secretRef:\n  name: wrong-key\n"));
            scenario.cluster.apply(Bucket.class, gcpBucket("missing-field", gcs, "locked", "secretRef:\n  name: no-key\n"));
            scenario.cluster.apply(Bucket.class, gcpBucket("controller-identity", gcs, "locked", ""));

            Bucket wrong = scenario.awaitNotReady("wrong", "BucketOperationFailed");
            assertThat(scenario.readyMessage(wrong)).contains("invalid_grant").doesNotContain("PRIVATE KEY");
            Bucket missing = scenario.awaitNotReady("missing-field", "AuthenticationFailed");
            assertThat(scenario.readyMessage(missing)).isEqualTo("invalid 'no-key' secret data: required fields 'serviceaccount'");
            Bucket own = scenario.awaitNotReady("controller-identity", "BucketOperationFailed");
            assertThat(scenario.readyMessage(own)).contains("only sent to *.googleapis.com");
            assertThat(gcs.mediaGets("a.yaml")).isZero();
        }
    }

    static String gcpBucket(String name, GcsServer gcs, String bucketName, String extra) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: Bucket
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  timeout: 20s
                  provider: gcp
                  bucketName: %s
                  endpoint: %s
                %s""".formatted(name, bucketName, gcs.endpoint(), extra.indent(2));
    }
}
