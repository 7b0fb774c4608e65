package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.HelmChart;
import io.currents.source.helm.TestCharts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A HelmChart whose sourceRef is a Bucket packages the chart from the Bucket's artifact and follows its new revisions. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmChartFromBucketTest {

    @Test
    void aChartInABucketIsPackagedAndANewObjectVersionRepackagesIt() throws Exception {
        try (S3Server server = S3Server.filesystem(false)) {
            server.createBucket("charts");
            server.put("charts", Map.of(
                    "app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.3.0\n",
                    "app/values.yaml", "replicas: 1\n",
                    "app/templates/cm.yaml", "kind: ConfigMap\n"));
            var scenario = new BucketScenario("helmchart-bucket");
            scenario.apply("charts", server, "charts", null);
            scenario.cluster.apply(HelmChart.class, SourceScenario.helmChart("app", "./app", "*", "Bucket", "charts", null));

            HelmChart ready = scenario.cluster.awaitReady(HelmChart.class, "app");
            assertThat(ready.getArtifact().getRevision()).isEqualTo("0.3.0");
            Bucket bucket = scenario.cluster.get(Bucket.class, "charts");
            assertThat(ready.getStatus().getObservedSourceArtifactRevision()).isEqualTo(bucket.getStatus().getArtifact().getRevision());
            assertThat(TestCharts.entries(SourceScenario.downloadVerified(ready.getArtifact())))
                    .containsOnlyKeys("app/Chart.yaml", "app/values.yaml", "app/templates/cm.yaml");

            server.put("charts", "app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.4.0\n");
            scenario.reconcileNow("charts");
            HelmChart repackaged = scenario.cluster.await(HelmChart.class, "app",
                    c -> c.getArtifact() != null && "0.4.0".equals(c.getArtifact().getRevision()));
            assertThat(TestCharts.entries(SourceScenario.downloadVerified(repackaged.getArtifact())).get("app/Chart.yaml"))
                    .contains("version: 0.4.0");
        }
    }
}
