package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class GitRepositoryBadInputTest extends GitServerTest {

    @Test
    void anUnknownBranchFailsWithTheBranchNamedAndRetries() {
        TestRepo repo = TestRepo.create(root, "nobranch");
        repo.commit("main", Map.of("a.yaml", "a: 1\n"), "only");
        var scenario = new GitRepositoryScenario("nobranch");
        scenario.apply(gitRepository("app", server.url(repo), "branch: does-not-exist"));

        GitRepository failed = scenario.awaitNotReady("app", "GitOperationFailed");
        assertThat(GitRepositoryScenario.condition(failed, "Ready").orElseThrow().getMessage()).contains("does-not-exist");
        assertThat(GitRepositoryScenario.condition(failed, "Reconciling").orElseThrow().getReason()).isEqualTo("ProgressingWithRetry");
        assertThat(GitRepositoryScenario.condition(failed, "FetchFailed").orElseThrow().getStatus()).isEqualTo("True");
    }

    @Test
    void anUnreachableHostFailsAndTheObjectIsRetried() {
        var scenario = new GitRepositoryScenario("unreachable");
        scenario.apply(gitRepository("app", "http://127.0.0.1:" + ControlPlane.freePort() + "/nothing.git", "branch: main"));

        GitRepository failed = scenario.awaitNotReady("app", "GitOperationFailed");
        assertThat(failed.getStatus().getArtifact()).isNull();
        assertThat(GitRepositoryScenario.condition(failed, "Stalled")).isEmpty();
    }

    @Test
    void aMalformedUrlStallsUntilTheSpecChanges() {
        var scenario = new GitRepositoryScenario("badurl");
        scenario.apply(gitRepository("app", "http://exa mple.com/repo.git", "branch: main"));

        GitRepository stalled = scenario.await("app", r -> "True".equals(GitRepositoryScenario.condition(r, "Stalled")
                .map(c -> c.getStatus()).orElse("")));
        assertThat(GitRepositoryScenario.condition(stalled, "Ready").orElseThrow().getReason()).isEqualTo("URLInvalid");
        assertThat(GitRepositoryScenario.condition(stalled, "Reconciling")).isEmpty();
    }

    @Test
    void aBrokenCommitLaterKeepsServingTheLastGoodArtifact() throws Exception {
        TestRepo repo = TestRepo.create(root, "escape");
        repo.commit("main", Map.of("a.yaml", "a: 1\n"), "good");
        var scenario = new GitRepositoryScenario("escape");
        scenario.apply(gitRepository("app", server.url(repo), "branch: main"));
        var good = scenario.awaitReady("app").getStatus().getArtifact();

        repo.change("main").symlink("passwd", "/etc/passwd").commit("link out of the checkout");
        scenario.reconcileNow("app");
        GitRepository failed = scenario.awaitNotReady("app", "GitOperationFailed");

        assertThat(GitRepositoryScenario.condition(failed, "Ready").orElseThrow().getMessage()).contains("passwd");
        assertThat(failed.getStatus().getArtifact().getRevision()).isEqualTo(good.getRevision());
        assertThat(GitRepositoryScenario.downloadVerified(failed.getStatus().getArtifact())).containsOnlyKeys("a.yaml");
    }
}
