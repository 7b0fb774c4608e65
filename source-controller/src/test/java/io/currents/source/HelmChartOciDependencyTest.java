package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.HelmRepository;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciReference;
import io.currents.oci.RegistryCredentials;
import io.currents.source.helm.TestCharts;
import io.currents.testkit.git.TestRepo;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A chart packaged from Git whose dependency lives in an OCI registry gets it pulled with the matching OCI HelmRepository's credentials. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmChartOciDependencyTest extends GitServerTest {

    @Test
    void anOciDependencyIsResolvedByRangeAndPackagedIntoTheChart() throws Exception {
        try (OciRegistry registry = OciRegistry.start("charts", "s3cret")) {
            OciClient pusher = OciClient.builder().plainHttp(true).credentials(new RegistryCredentials("charts", "s3cret")).build();
            OciReference common = OciReference.parse("oci://" + registry.host() + "/deps/common");
            FluxArtifacts.pushHelmChart(pusher, common, "common", "0.1.0", TestCharts.chart("common", "0.1.0", Map.of()));
            FluxArtifacts.pushHelmChart(pusher, common, "common", "0.2.0", TestCharts.chart("common", "0.2.0", Map.of()));

            TestRepo repo = TestRepo.create(root, "oci-dependency");
            repo.commit("main", Map.of("charts/app/Chart.yaml", """
                    apiVersion: v2
                    name: app
                    version: 1.0.0
                    dependencies:
                      - name: common
                        version: "0.x"
                        repository: oci://%s/deps
                    """.formatted(registry.host()), "charts/app/templates/cm.yaml", "kind: ConfigMap\n"), "chart");
            var s = new SourceScenario("helmchart-ocidep");
            s.secret("creds", Map.of("username", "charts", "password", "s3cret"));
            s.apply(HelmRepository.class, SourceScenario.helmRepository("deps", "oci://" + registry.host() + "/deps",
                    "type: oci\ninsecure: true\nsecretRef:\n  name: creds\n"));
            s.apply(GitRepository.class, gitRepository("source", server.url(repo), "branch: main"));
            s.apply(HelmChart.class, SourceScenario.helmChart("app", "./charts/app", "*", "GitRepository", "source", null));

            HelmChart ready = s.awaitReady(HelmChart.class, "app");
            assertThat(TestCharts.entries(SourceScenario.downloadVerified(ready.getArtifact()))).containsKey("app/charts/common-0.2.0.tgz");
        }
    }
}
