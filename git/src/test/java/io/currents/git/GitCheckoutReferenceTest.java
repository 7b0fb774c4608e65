package io.currents.git;

import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every kind of GitRepository ref resolves to the right commit with Flux's revision format, over smart HTTP. */
class GitCheckoutReferenceTest {

    @TempDir
    static Path repos;

    static GitHttpServer server;
    static TestRepo repo;
    static String url;
    static String first;
    static String main;
    static String dev;
    static String master;

    final GitFetcher fetcher = new GitFetcher();

    @TempDir
    Path work;

    @BeforeAll
    static void createRepository() {
        repo = TestRepo.create(repos, "app");
        first = repo.commit("main", Map.of("deploy/app.yaml", "kind: ConfigMap\n"), "first commit");
        repo.lightweightTag("v1.0.0", first);
        String second = repo.commit("main", Map.of("deploy/app.yaml", "kind: Secret\n"), "second commit");
        repo.annotatedTag("v1.1.0", second, "release 1.1.0", null);
        repo.lightweightTag("v2.0.0-rc.1", second);
        main = repo.commit("main", Map.of("README.md", "hello\n"), "third commit\n\nwith a body");
        repo.annotatedTag("1.2.0", main, "release 1.2.0 without v", null);
        dev = repo.commit("dev", Map.of("dev.txt", "dev\n"), "dev branch");
        master = repo.commit("master", Map.of("master.txt", "m\n"), "master branch");
        repo.ref("refs/pull/7/head", dev);
        server = GitHttpServer.start(repos);
        url = server.url(repo);
    }

    @AfterAll
    static void stop() {
        server.close();
        repo.close();
    }

    private GitCheckout checkout(GitReference ref) throws GitException {
        return fetcher.checkout(GitCheckoutRequest.of(url, ref), work.resolve("checkout"));
    }

    @Test
    void theRemotesAdvertisedReferencesAndItsHeadCanBeListedAndCheckedOut() throws Exception {
        Map<String, String> refs = fetcher.remoteRefs(GitCheckoutRequest.of(url, null));
        assertThat(refs).containsEntry("refs/heads/main", main).containsEntry("refs/heads/dev", dev).containsKey("HEAD")
                .containsKey("refs/tags/v1.1.0").containsEntry("refs/pull/7/head", dev);

        GitCheckout head = checkout(GitReference.name("HEAD"));
        assertThat(head.commit()).isEqualTo(refs.get("HEAD"));
    }

    @Test
    void aFetcherForAnyUrlTakesTheFormsFluxRefuses() throws Exception {
        GitCheckout checkout = GitFetcher.anyUrl(null).checkout(GitCheckoutRequest.of("file://" + repo.path(), GitReference.branch("dev")),
                work.resolve("file"));
        assertThat(checkout.commit()).isEqualTo(dev);
        assertThatThrownBy(() -> fetcher.checkout(GitCheckoutRequest.of("file://" + repo.path(), GitReference.branch("dev")),
                work.resolve("refused"))).isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo("URLInvalid"));
    }

    @Test
    void branchRevisionIsBranchAtCommit() throws Exception {
        GitCheckout checkout = checkout(GitReference.branch("main"));

        assertThat(checkout.revision()).isEqualTo("main@sha1:" + main);
        assertThat(checkout.commit()).isEqualTo(main);
        assertThat(checkout.commitMessage()).isEqualTo("third commit");
        assertThat(work.resolve("checkout/README.md")).hasContent("hello");
        assertThat(work.resolve("checkout/deploy/app.yaml")).hasContent("kind: Secret");
        assertThat(checkout.verification()).isNull();
    }

    @Test
    void missingRefDefaultsToMaster() throws Exception {
        GitCheckout checkout = fetcher.checkout(GitCheckoutRequest.of(url, null), work.resolve("checkout"));

        assertThat(checkout.revision()).isEqualTo("master@sha1:" + master);
        assertThat(work.resolve("checkout/master.txt")).exists();
    }

    @Test
    void lightweightTagRevisionIsTagAtCommit() throws Exception {
        GitCheckout checkout = checkout(GitReference.tag("v1.0.0"));

        assertThat(checkout.revision()).isEqualTo("v1.0.0@sha1:" + first);
        assertThat(work.resolve("checkout/deploy/app.yaml")).hasContent("kind: ConfigMap");
        assertThat(work.resolve("checkout/README.md")).doesNotExist();
    }

    @Test
    void annotatedTagRevisionNamesTheCommitNotTheTagObject() throws Exception {
        GitCheckout checkout = checkout(GitReference.tag("1.2.0"));

        assertThat(checkout.revision()).isEqualTo("1.2.0@sha1:" + main);
    }

    @Test
    void semverPicksTheHighestMatchingTag() throws Exception {
        assertThat(checkout(GitReference.semver(">=1.0.0 <2.0.0")).revision()).isEqualTo("1.2.0@sha1:" + main);
    }

    @Test
    void semverAcceptsXRangesAndCommaConstraints() throws Exception {
        assertThat(fetcher.remoteRevision(GitCheckoutRequest.of(url, GitReference.semver("1.1.x"))))
                .hasValue("v1.1.0@sha1:" + lookupSecond());
        assertThat(fetcher.remoteRevision(GitCheckoutRequest.of(url, GitReference.semver(">=1.0.0, <1.1.0"))))
                .hasValue("v1.0.0@sha1:" + first);
    }

    @Test
    void semverIgnoresPrereleasesUnlessAskedFor() throws Exception {
        assertThat(fetcher.remoteRevision(GitCheckoutRequest.of(url, GitReference.semver(">=1.0.0"))))
                .hasValue("1.2.0@sha1:" + main);
        assertThat(fetcher.remoteRevision(GitCheckoutRequest.of(url, GitReference.semver(">=2.0.0-rc.0"))))
                .hasValue("v2.0.0-rc.1@sha1:" + lookupSecond());
    }

    @Test
    void semverWithoutMatchFailsWithGitOperationFailed() {
        assertThatThrownBy(() -> checkout(GitReference.semver(">=3.0.0")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("GitOperationFailed");
                    assertThat(e.getMessage()).contains("no tag matches semver range '>=3.0.0'");
                });
    }

    @Test
    void refNameRevisionIsTheFullRefName() throws Exception {
        assertThat(checkout(GitReference.name("refs/pull/7/head")).revision()).isEqualTo("refs/pull/7/head@sha1:" + dev);
        assertThat(fetcher.remoteRevision(GitCheckoutRequest.of(url, GitReference.name("refs/heads/main"))))
                .hasValue("refs/heads/main@sha1:" + main);
    }

    @Test
    void refNameOfAnAnnotatedTagNamesTheCommit() throws Exception {
        assertThat(checkout(GitReference.name("refs/tags/v1.1.0")).revision()).isEqualTo("refs/tags/v1.1.0@sha1:" + lookupSecond());
    }

    @Test
    void commitWithoutBranchRevisionIsBareSha() throws Exception {
        GitCheckout checkout = checkout(GitReference.commit(first, null));

        assertThat(checkout.revision()).isEqualTo("sha1:" + first);
        assertThat(work.resolve("checkout/deploy/app.yaml")).hasContent("kind: ConfigMap");
    }

    @Test
    void commitOnBranchRevisionNamesTheBranch() throws Exception {
        assertThat(checkout(GitReference.commit(first, "main")).revision()).isEqualTo("main@sha1:" + first);
    }

    @Test
    void abbreviatedCommitIsResolved() throws Exception {
        assertThat(checkout(GitReference.commit(first.substring(0, 10), "main")).revision()).isEqualTo("main@sha1:" + first);
    }

    @Test
    void commitNotOnTheGivenBranchIsNotFound() {
        assertThatThrownBy(() -> checkout(GitReference.commit(dev, "main")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("GitOperationFailed");
                    assertThat(e.getMessage()).contains("commit '" + dev + "' not found on branch 'main'");
                });
    }

    @Test
    void commitTakesPrecedenceOverEveryOtherField() throws Exception {
        GitReference all = new GitReference("main", "v1.0.0", "1.x", "refs/heads/dev", first);
        assertThat(checkout(all).revision()).isEqualTo("main@sha1:" + first);
        assertThat(new GitReference("main", "v1.0.0", "1.x", "refs/heads/dev", null).kind()).isEqualTo(GitReference.Kind.NAME);
        assertThat(new GitReference("main", "v1.0.0", "1.x", null, null).kind()).isEqualTo(GitReference.Kind.SEMVER);
        assertThat(new GitReference("main", "v1.0.0", null, null, null).kind()).isEqualTo(GitReference.Kind.TAG);
    }

    @Test
    void unknownBranchFailsWithGitOperationFailed() {
        assertThatThrownBy(() -> checkout(GitReference.branch("nope")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("GitOperationFailed");
                    assertThat(e.getMessage()).contains("branch 'nope' not found");
                });
        assertThatThrownBy(() -> fetcher.remoteRevision(GitCheckoutRequest.of(url, GitReference.branch("nope"))))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo("GitOperationFailed"));
    }

    @Test
    void unknownTagFailsWithGitOperationFailed() {
        assertThatThrownBy(() -> checkout(GitReference.tag("v9.9.9")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("GitOperationFailed");
                    assertThat(e.getMessage()).contains("tag 'v9.9.9' not found");
                });
    }

    @Test
    void missingRepositoryIsGitOperationFailedNotUrlInvalid() {
        // the URL is well-formed; the repository may yet appear, so this must not stall the object
        assertThatThrownBy(() -> fetcher.checkout(GitCheckoutRequest.of(server.baseUrl() + "/missing.git",
                GitReference.branch("main")), work.resolve("checkout")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("GitOperationFailed");
                    assertThat(e.getMessage()).contains("no Git repository found at " + server.baseUrl() + "/missing.git");
                });
    }

    @Test
    void remoteRevisionEqualsCheckoutRevisionForEveryRefKind() throws Exception {
        GitReference[] refs = {GitReference.branch("main"), GitReference.branch("dev"), GitReference.tag("v1.0.0"),
                GitReference.tag("v1.1.0"), GitReference.semver("~1.1"), GitReference.name("refs/tags/1.2.0"),
                GitReference.name("refs/pull/7/head"), GitReference.commit(first, "main"), GitReference.commit(dev, null)};
        int i = 0;
        for (GitReference ref : refs) {
            GitCheckoutRequest request = GitCheckoutRequest.of(url, ref);
            String remote = fetcher.remoteRevision(request).orElseThrow();
            assertThat(fetcher.checkout(request, work.resolve("c" + i++)).revision()).as(ref.describe()).isEqualTo(remote);
        }
    }

    @Test
    void remoteRevisionDoesNotFetch() throws Exception {
        int before = server.fetches();
        String remote = fetcher.remoteRevision(GitCheckoutRequest.of(url, GitReference.branch("main"))).orElseThrow();
        assertThat(remote).isEqualTo("main@sha1:" + main);
        assertThat(server.fetches()).as("upload-pack requests that asked for objects").isEqualTo(before);

        // the counter sees a fetch when there is one: a checkout of the same ref counts exactly one
        checkout(GitReference.branch("main"));
        assertThat(server.fetches()).isEqualTo(before + 1);
    }

    @Test
    void checkoutIsShallowForBranches() throws Exception {
        checkout(GitReference.branch("main"));

        assertThat(work.resolve("checkout/.git/shallow")).exists();
    }

    @Test
    void checkoutDirectoryMustBeEmpty() throws Exception {
        Files.createDirectories(work.resolve("checkout"));
        Files.writeString(work.resolve("checkout/leftover"), "x");

        assertThatThrownBy(() -> checkout(GitReference.branch("main")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.getMessage()).contains("is not empty"));
    }

    private static String lookupSecond() {
        try (var git = org.eclipse.jgit.api.Git.open(repo.path().toFile())) {
            return git.getRepository().resolve("refs/tags/v1.1.0^{commit}").name();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
