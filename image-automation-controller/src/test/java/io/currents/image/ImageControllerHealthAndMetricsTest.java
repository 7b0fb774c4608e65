package io.currents.image;

import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.currents.image.ImageScenario.imageRepository;
import static io.currents.image.ImageScenario.ready;
import static org.assertj.core.api.Assertions.assertThat;

/** The controller answers its health probes and exports Flux's reconcile metrics on the management port. */
@QuarkusTest
@QuarkusTestResource(value = ImageControllerTestResource.class, restrictToAnnotatedClass = false)
class ImageControllerHealthAndMetricsTest {

    @Test
    void healthIsUpAndAScannedRepositoryIsInTheMetrics() throws Exception {
        String port = System.getProperty("currents.test.management-port");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\": \"UP\"");

        try (OciRegistry registry = OciRegistry.start()) {
            registry.push("metrics/app", "1.0.0");
            var s = new ImageScenario("imgmetrics");
            s.apply(imageRepository("app", registry.image("metrics/app"), null));
            s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "True"));
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("gotk_reconcile_condition\\{[^}]*kind=\"ImageRepository\"[^}]*name=\"app\"[^}]*namespace=\""
                    + s.namespace + "\"[^}]*status=\"True\",type=\"Ready\"} 1\\.0");
        }
    }
}
