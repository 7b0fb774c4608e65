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

    @jakarta.inject.Inject
    io.currents.runtime.artifact.ArtifactStorage storage;

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

    @Test
    void aNewCommitIsAnIncrementalFetchIntoAMirrorTheArtifactServerNeverServes() throws Exception {
        TestRepo large = TestRepo.create(root, "large");
        java.util.Random random = new java.util.Random(11);
        Map<String, String> files = new java.util.HashMap<>();
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[20_000];
            random.nextBytes(bytes);
            files.put("data/" + i + ".txt", java.util.HexFormat.of().formatHex(bytes));
        }
        large.commit("main", files, "large");
        var scenario = new GitRepositoryScenario("mirror");
        scenario.apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: large
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    branch: main
                """.formatted(server.url(large)));
        var before = scenario.awaitReady("large").getStatus().getArtifact();
        java.nio.file.Path mirrors = storage.root().resolve(".git-mirrors");
        java.nio.file.Path mirror;
        try (var dirs = java.nio.file.Files.list(mirrors)) {
            // other GitRepositories have mirrors too: this one is the mirror made for this repository's URL
            mirror = dirs.filter(d -> server.url(large).equals(readQuietly(d.resolve("currents-mirror-url"))))
                    .findFirst().orElseThrow();
        }
        assertThat(packBytes(mirror)).isGreaterThan(200_000);
        long firstFetch = packBytes(mirror);

        String second = large.commit("main", Map.of("data/3.txt", "changed\n"), "small change");
        var artifact = scenario.reconcileNow("large").getStatus().getArtifact();

        assertThat(artifact.getRevision()).isEqualTo("main@sha1:" + second);
        Map<String, String> content = GitRepositoryScenario.downloadVerified(artifact);
        assertThat(content).containsEntry("data/3.txt", "changed\n").hasSize(20);
        // the second fetch added a few hundred bytes to the mirror, not another copy of the repository
        assertThat(packBytes(mirror) - firstFetch).isPositive().isLessThan(5_000);
        assertThat(artifact.getDigest()).isNotEqualTo(before.getDigest());

        // the mirror sits in the storage volume but is never served, whatever path is asked for
        assertThat(mirror.resolve("git/HEAD")).exists();
        String base = artifact.getUrl().substring(0, artifact.getUrl().indexOf("/gitrepository/"));
        assertThat(GitRepositoryScenario.status(base + "/.git-mirrors/" + mirror.getFileName() + "/git/HEAD")).isEqualTo(404);

        scenario.client.resources(GitRepository.class).inNamespace(scenario.namespace).withName("large").delete();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (java.nio.file.Files.exists(mirror) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(mirror).doesNotExist();
        large.close();
    }

    private static String readQuietly(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static long packBytes(java.nio.file.Path mirror) {
        try (var files = java.nio.file.Files.walk(mirror)) {
            return files.filter(f -> f.toString().endsWith(".pack")).mapToLong(f -> f.toFile().length()).sum();
        } catch (java.io.IOException e) {
            return 0;
        }
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
