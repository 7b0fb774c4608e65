package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class GitRepositoryIncludeTest extends GitServerTest {

    @Test
    void anIncludedRepositoryIsCopiedIntoThePathAndTracked() throws Exception {
        TestRepo app = TestRepo.create(root, "app");
        app.commit("main", Map.of("app.yaml", "kind: ConfigMap\n"), "app");
        TestRepo shared = TestRepo.create(root, "shared");
        shared.commit("main", Map.of("policies/deny.yaml", "kind: NetworkPolicy\n", "other/x.yaml", "x: 1\n"), "shared");
        var scenario = new GitRepositoryScenario("include");
        scenario.apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: shared
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    branch: main
                """.formatted(server.url(shared)));
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
                  include:
                    - repository:
                        name: shared
                      fromPath: policies
                      toPath: vendor/policies
                """.formatted(server.url(app)));

        GitRepository ready = scenario.awaitReady("app");

        assertThat(GitRepositoryScenario.downloadVerified(ready.getStatus().getArtifact()))
                .containsOnlyKeys("app.yaml", "vendor/policies/deny.yaml");
        var sharedArtifact = scenario.get("shared").getStatus().getArtifact();
        assertThat(ready.getStatus().getIncludedArtifacts()).singleElement()
                .satisfies(a -> assertThat(a.getDigest()).isEqualTo(sharedArtifact.getDigest()));
        assertThat(ready.getStatus().getObservedInclude()).hasSize(1);
    }

    @Test
    void aMissingIncludeIsReportedAsIncludeUnavailable() {
        TestRepo app = TestRepo.create(root, "lonely");
        app.commit("main", Map.of("app.yaml", "kind: ConfigMap\n"), "app");
        var scenario = new GitRepositoryScenario("noinclude");
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
                  include:
                    - repository:
                        name: missing
                """.formatted(server.url(app)));

        GitRepository failed = scenario.awaitNotReady("app", "IncludeUnavailable");
        assertThat(GitRepositoryScenario.condition(failed, "IncludeUnavailable").orElseThrow().getMessage()).contains("missing");
    }
}
