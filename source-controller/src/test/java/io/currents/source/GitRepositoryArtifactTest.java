package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class GitRepositoryArtifactTest extends GitServerTest {

    static TestRepo repo;

    @BeforeAll
    static void createRepositories() {
        repo = TestRepo.create(root, "app");
    }

    @AfterAll
    static void closeRepositories() {
        repo.close();
    }

    @Test
    void aBranchBecomesAVerifiedArtifactServedOverHttp() throws Exception {
        String commit = repo.change("main")
                .file("deploy/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n")
                .file("README.md", "# app\n")
                .file(".github/workflows/ci.yaml", "on: push\n")
                .file("logo.png", "png")
                .commit("Add the app");
        var scenario = new GitRepositoryScenario("artifact");
        scenario.apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: app
                spec:
                  interval: 5m
                  url: %s
                  ref:
                    branch: main
                """.formatted(server.url(repo)));

        GitRepository ready = scenario.awaitReady("app");

        var artifact = ready.getStatus().getArtifact();
        assertThat(artifact.getRevision()).isEqualTo("main@sha1:" + commit);
        assertThat(artifact.getDigest()).startsWith("sha256:");
        assertThat(artifact.getPath()).isEqualTo("gitrepository/" + scenario.namespace + "/app/" + commit + ".tar.gz");
        assertThat(artifact.getUrl()).endsWith("/" + artifact.getPath());
        assertThat(artifact.getLastUpdateTime()).isNotBlank();
        Map<String, String> files = GitRepositoryScenario.downloadVerified(artifact);
        // Flux's default exclusions drop CI configuration and images; .git is never archived.
        assertThat(files).containsOnlyKeys("deploy/app.yaml", "README.md");
        assertThat(GitRepositoryScenario.condition(ready, "ArtifactInStorage")).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(GitRepositoryScenario.condition(ready, "Ready").orElseThrow().getMessage())
                .isEqualTo("stored artifact for revision 'main@sha1:" + commit + "'");
        assertThat(scenario.events("app")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("NewArtifact");
            assertThat(e.getMessage()).isEqualTo("stored artifact for commit 'Add the app'");
        });
    }

    @Test
    void aNewCommitProducesANewArtifactAndTheOldOneIsKeptForRetention() throws Exception {
        TestRepo moving = TestRepo.create(root, "moving");
        String first = moving.commit("main", Map.of("a.yaml", "a: 1\n"), "first");
        var scenario = new GitRepositoryScenario("newcommit");
        scenario.apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: moving
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    branch: main
                """.formatted(server.url(moving)));
        var before = scenario.awaitReady("moving").getStatus().getArtifact();
        assertThat(before.getRevision()).isEqualTo("main@sha1:" + first);

        String second = moving.commit("main", Map.of("a.yaml", "a: 2\n"), "second");
        GitRepository after = scenario.reconcileNow("moving");

        var artifact = after.getStatus().getArtifact();
        assertThat(artifact.getRevision()).isEqualTo("main@sha1:" + second);
        assertThat(artifact.getDigest()).isNotEqualTo(before.getDigest());
        assertThat(GitRepositoryScenario.downloadVerified(artifact)).containsEntry("a.yaml", "a: 2\n");
        // Flux keeps the previous artifact for a while so that consumers mid-download finish.
        assertThat(GitRepositoryScenario.download(before.getUrl())).isNotEmpty();
    }

    @Test
    void aReconcileWithoutRemoteChangesDoesNoCloneAndRewritesNothing() throws Exception {
        TestRepo still = TestRepo.create(root, "still");
        still.commit("main", Map.of("a.yaml", "a: 1\n"), "only");
        var scenario = new GitRepositoryScenario("nochange");
        int beforeClone = server.requests().size();
        scenario.apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: still
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    branch: main
                """.formatted(server.url(still)));
        var artifact = scenario.awaitReady("still").getStatus().getArtifact();
        long clonePosts = uploadPackPosts(server.requests().subList(beforeClone, server.requests().size()));
        int beforeNoChange = server.requests().size();

        GitRepository again = scenario.reconcileNow("still");

        assertThat(again.getStatus().getArtifact().getLastUpdateTime()).isEqualTo(artifact.getLastUpdateTime());
        assertThat(again.getStatus().getArtifact().getDigest()).isEqualTo(artifact.getDigest());
        // A clone negotiates and fetches (protocol v2: ls-refs, then fetch); the no-change
        // reconcile only lists the remote refs: one upload-pack request.
        long noChangePosts = uploadPackPosts(server.requests().subList(beforeNoChange, server.requests().size()));
        assertThat(clonePosts).isGreaterThanOrEqualTo(2);
        assertThat(noChangePosts).isEqualTo(1);
    }

    private static long uploadPackPosts(java.util.List<String> requests) {
        return requests.stream().filter(r -> r.startsWith("POST") && r.contains("/still.git/git-upload-pack")).count();
    }

    @Test
    void theReconcileRequestIsRecordedAsHandled() {
        TestRepo handled = TestRepo.create(root, "handled");
        handled.commit("main", Map.of("a.yaml", "a: 1\n"), "only");
        var scenario = new GitRepositoryScenario("handled");
        scenario.apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: handled
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    branch: main
                """.formatted(server.url(handled)));
        scenario.awaitReady("handled");

        GitRepository after = scenario.reconcileNow("handled");

        assertThat(after.getStatus().getLastHandledReconcileAt())
                .isEqualTo(after.getMetadata().getAnnotations().get("reconcile.fluxcd.io/requestedAt"));
    }
}
