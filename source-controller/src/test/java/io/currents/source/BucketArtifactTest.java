package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Bucket becomes an artifact of its objects under the prefix, minus ignored ones, with Flux's revision; only changes are downloaded. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class BucketArtifactTest {

    @Test
    void theObjectsUnderThePrefixBecomeAnArtifactWithFluxsRevisionAndOnlyChangedObjectsAreDownloadedAgain() throws Exception {
        try (S3Server server = S3Server.filesystem(false)) {
            server.createBucket("manifests");
            server.put("manifests", Map.of(
                    "apps/deploy.yaml", "kind: Deployment\n",
                    "apps/service.yaml", "kind: Service\n",
                    "apps/notes.md", "ignored by .sourceignore\n",
                    "apps/secret.enc", "ignored by spec.ignore\n",
                    "other/elsewhere.yaml", "outside the prefix\n",
                    ".sourceignore", "*.md\n"));
            var scenario = new BucketScenario("bucket-artifact");
            scenario.apply("app", server, "manifests", """
                    prefix: apps/
                    ignore: |
                      *.enc
                    """);

            Bucket ready = scenario.awaitReady("app");
            assertThat(BucketScenario.files(ready)).isEqualTo(Map.of(
                    "apps/deploy.yaml", "kind: Deployment\n",
                    "apps/service.yaml", "kind: Service\n"));
            String revision = BucketScenario.fluxRevision(Map.of(
                    "apps/deploy.yaml", BucketScenario.md5("kind: Deployment\n"),
                    "apps/service.yaml", BucketScenario.md5("kind: Service\n")));
            assertThat(ready.getStatus().getArtifact().getRevision()).isEqualTo(revision);
            assertThat(ready.getStatus().getArtifact().getPath()).endsWith(revision.substring(7) + ".tar.gz");
            assertThat(ready.getStatus().getUrl()).endsWith("/bucket/" + ready.getMetadata().getNamespace() + "/app/latest.tar.gz");
            assertThat(scenario.readyMessage(ready)).isEqualTo("stored artifact for revision '" + revision + "'");
            assertThat(scenario.cluster.events("app")).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("NewArtifact");
                assertThat(e.getMessage()).isEqualTo("stored artifact with 2 fetched files from 'manifests' bucket");
            });
            assertThat(server.objectGets()).isEqualTo(2);
            // the index kept beside the artifact for the next run is not served: only artifacts are
            String artifactUrl = ready.getStatus().getArtifact().getUrl();
            String base = artifactUrl.substring(0, artifactUrl.lastIndexOf('/') + 1);
            assertThat(httpStatus(artifactUrl)).isEqualTo(200);
            assertThat(httpStatus(base + ".index/" + revision.substring(7) + ".json")).isEqualTo(404);
            assertThat(httpStatus(base + ".index%2F" + revision.substring(7) + ".json")).isEqualTo(404);
            assertThat(httpStatus(base + ".index")).isEqualTo(404);

            // unchanged bucket: same artifact, no object downloaded
            Bucket again = scenario.reconcileNow("app");
            assertThat(again.getStatus().getArtifact().getPath()).isEqualTo(ready.getStatus().getArtifact().getPath());
            assertThat(again.getStatus().getArtifact().getDigest()).isEqualTo(ready.getStatus().getArtifact().getDigest());
            assertThat(again.getStatus().getArtifact().getLastUpdateTime()).isEqualTo(ready.getStatus().getArtifact().getLastUpdateTime());
            assertThat(server.objectGets()).isEqualTo(2);

            // one object changed, one deleted, one added: only the changed and the new one are fetched
            server.put("manifests", "apps/deploy.yaml", "kind: Deployment\nreplicas: 2\n");
            server.delete("manifests", "apps/service.yaml");
            server.put("manifests", "apps/config.yaml", "kind: ConfigMap\n");
            Bucket changed = scenario.reconcileNow("app");
            assertThat(BucketScenario.files(changed)).isEqualTo(Map.of(
                    "apps/deploy.yaml", "kind: Deployment\nreplicas: 2\n",
                    "apps/config.yaml", "kind: ConfigMap\n"));
            assertThat(server.gets("apps/deploy.yaml")).isEqualTo(2);
            assertThat(server.gets("apps/config.yaml")).isEqualTo(1);
            assertThat(server.objectGets()).isEqualTo(4);
            assertThat(changed.getStatus().getArtifact().getRevision()).isNotEqualTo(revision);

            // a change to a file the new artifact shares with the previous one is taken from it, not downloaded
            server.put("manifests", "apps/more.yaml", "kind: Secret\n");
            Bucket more = scenario.reconcileNow("app");
            assertThat(BucketScenario.files(more)).containsEntry("apps/config.yaml", "kind: ConfigMap\n").hasSize(3);
            assertThat(server.gets("apps/config.yaml")).isEqualTo(1);
            assertThat(server.gets("apps/deploy.yaml")).isEqualTo(2);
        }
    }

    private static int httpStatus(String url) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }
}
