package io.currents.source;

import io.currents.api.source.v1.HelmRepository;
import io.currents.source.helm.TestCharts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A field the CRD accepts but no controller acts on ({@code accessFrom}, provisional in Flux too) is named in a Warning
 * event {@code UnsupportedOptions} and in the Ready message; the index is still stored.
 */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmRepositoryAccessFromTest {

    @Test
    void accessFromIsNamedInAWarningAndTheReadyMessage() {
        try (HelmRepoServer charts = HelmRepoServer.start()) {
            charts.put("acl/index.yaml", TestCharts.index(Map.of("app", List.of("1.0.0"))));
            var scenario = new SourceScenario("helmrepo-acl");
            scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("acl"), """
                    accessFrom:
                      namespaceSelectors:
                        - matchLabels:
                            team: a
                    """));

            HelmRepository ready = scenario.awaitReady(HelmRepository.class, "repo");
            String note = "spec.accessFrom is set but not supported by this source-controller (see docs/source-controller.md)";
            assertThat(SourceScenario.condition(ready, "Ready").orElseThrow().getMessage())
                    .startsWith("stored artifact: revision 'sha256:").endsWith("; " + note);
            assertThat(scenario.events("repo")).anySatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("UnsupportedOptions");
                assertThat(e.getMessage()).isEqualTo(note);
            });
        }
    }
}
