package io.currents.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.source.v1.GitRepository;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class GitRepositoryEventsAndMetricsTest extends GitServerTest {

    @Test
    void aNewArtifactIsPostedToTheEventsAddressAsFluxEventJson() throws Exception {
        TestRepo repo = TestRepo.create(root, "events");
        String commit = repo.commit("main", Map.of("a.yaml", "a: 1\n"), "Ship it");
        var scenario = new GitRepositoryScenario("events");
        scenario.apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: app
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    branch: main
                """.formatted(server.url(repo)));
        scenario.awaitReady("app");

        ObjectMapper json = new ObjectMapper();
        JsonNode event = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (event == null && System.nanoTime() < deadline) {
            for (String line : EventSink.received()) {
                JsonNode e = json.readTree(line);
                if (scenario.namespace.equals(e.at("/involvedObject/namespace").asText())) {
                    event = e;
                }
            }
            Thread.sleep(200);
        }
        assertThat(event).as("an event for the GitRepository reached the events address").isNotNull();

        assertThat(event.at("/involvedObject/kind").asText()).isEqualTo("GitRepository");
        assertThat(event.at("/involvedObject/name").asText()).isEqualTo("app");
        assertThat(event.at("/involvedObject/apiVersion").asText()).isEqualTo("source.toolkit.fluxcd.io/v1");
        assertThat(event.at("/severity").asText()).isEqualTo("info");
        assertThat(event.at("/reason").asText()).isEqualTo("NewArtifact");
        assertThat(event.at("/message").asText()).isEqualTo("stored artifact for commit 'Ship it'");
        assertThat(event.at("/metadata/revision").asText()).isEqualTo("main@sha1:" + commit);
        assertThat(event.at("/reportingController").asText()).isEqualTo("source-controller");
        assertThat(event.at("/timestamp").asText()).isNotBlank();
    }

    @Test
    void reconcilesAreExportedAsFluxMetrics() throws Exception {
        TestRepo repo = TestRepo.create(root, "metrics");
        repo.commit("main", Map.of("a.yaml", "a: 1\n"), "only");
        var scenario = new GitRepositoryScenario("metrics");
        scenario.apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: measured
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    branch: main
                """.formatted(server.url(repo)));
        scenario.awaitReady("measured");

        String port = System.getProperty("currents.test.management-port");
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        String labels = "kind=\"GitRepository\",name=\"measured\",namespace=\"" + scenario.namespace + "\"";
        assertThat(metrics).contains("gotk_reconcile_duration_seconds_count{" + labels);
        assertThat(metrics).containsPattern("gotk_reconcile_condition\\{" + labels + ",status=\"True\",type=\"Ready\"} 1\\.0");
        assertThat(metrics).containsPattern("gotk_suspend_status\\{" + labels + "} 0\\.0");
    }
}
