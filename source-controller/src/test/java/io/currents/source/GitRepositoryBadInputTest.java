package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.git.TestRepo;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    @Test
    void aTreeThatWritesThroughItsOwnSymlinksIsRefusedAndNothingLandsOutside() throws Exception {
        TestRepo repo = TestRepo.create(root, "through-links");
        String escapee = "escaped-" + System.nanoTime();
        // l -> .  and  x -> l/l/../..  each stay inside when read as text; a second entry named x (a directory
        // holding a file) then writes through the link x, two levels above the checkout
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.path().toFile()).build();
             ObjectInserter insert = git.newObjectInserter()) {
            TreeFormatter inner = new TreeFormatter();
            inner.append(escapee, FileMode.REGULAR_FILE, insert.insert(Constants.OBJ_BLOB, "pwned\n".getBytes(StandardCharsets.UTF_8)));
            ObjectId innerTree = insert.insert(inner);
            TreeFormatter top = new TreeFormatter();
            top.append("l", FileMode.SYMLINK, insert.insert(Constants.OBJ_BLOB, ".".getBytes(StandardCharsets.UTF_8)));
            top.append("x", FileMode.SYMLINK, insert.insert(Constants.OBJ_BLOB, "l/l/../..".getBytes(StandardCharsets.UTF_8)));
            top.append("x", FileMode.TREE, innerTree);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(insert.insert(top));
            PersonIdent who = new PersonIdent("Mallory", "mallory@example.invalid");
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("a tree with two entries named x\n");
            ObjectId id = insert.insert(commit);
            insert.flush();
            RefUpdate update = git.updateRef("refs/heads/main");
            update.setNewObjectId(id);
            update.forceUpdate();
        }
        var scenario = new GitRepositoryScenario("through-links");
        scenario.apply(gitRepository("app", server.url(repo), "branch: main"));

        GitRepository failed = scenario.awaitNotReady("app", "GitOperationFailed");
        assertThat(GitRepositoryScenario.condition(failed, "Ready").orElseThrow().getMessage())
                .contains("invalid tree").contains("duplicate");
        assertThat(failed.getStatus().getArtifact()).isNull();
        // the checkout is <tmp>/gitrepository-<...>/checkout: two levels above it is the temporary directory itself
        assertThat(Path.of(System.getProperty("java.io.tmpdir")).resolve(escapee)).doesNotExist();
    }
}
