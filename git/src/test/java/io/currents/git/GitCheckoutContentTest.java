package io.currents.git;

import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What lands in the checkout directory: submodules, sparse directories, modes, symlinks, and the size limit. */
class GitCheckoutContentTest {

    @TempDir
    static Path repos;

    static GitHttpServer server;
    static GitSshServer sshServer;
    static SshKeyPair key;
    static TestRepo app;
    static TestRepo library;
    static TestRepo nested;
    static TestRepo links;
    static String libraryHead;

    final GitFetcher fetcher = new GitFetcher();

    @TempDir
    Path work;

    @BeforeAll
    static void createRepositories() {
        nested = TestRepo.create(repos, "nested");
        String nestedHead = nested.commit("main", Map.of("deep.txt", "deep\n"), "nested");
        library = TestRepo.create(repos, "library");
        String libraryFirst = library.change("main").file("lib.yaml", "version: 1\n")
                .submodule("vendor/nested", "../nested.git", nestedHead).commit("library v1");
        libraryHead = library.commit("main", Map.of("lib.yaml", "version: 2\n"), "library v2");
        app = TestRepo.create(repos, "app");
        app.change("main")
                .file("deploy/base/app.yaml", "app: base\n")
                .file("deploy/prod/app.yaml", "app: prod\n")
                .file("docs/readme.md", "docs\n")
                .file("top.txt", "top\n")
                .executable("scripts/run.sh", "#!/bin/sh\necho run\n")
                .submodule("libs/library", "../library.git", libraryFirst)
                .commit("app with a submodule pinned to library v1");
        links = TestRepo.create(repos, "links");
        links.change("inside")
                .file("config/app.yaml", "a: 1\n")
                .symlink("current", "config")
                .symlink("config/alias.yaml", "app.yaml")
                .symlink("dangling", "not-yet-there")
                .commit("links that stay inside");
        links.change("escape-relative").file("a.txt", "a\n").symlink("passwd", "../../../../etc/passwd").commit("escape");
        links.change("escape-absolute").file("a.txt", "a\n").symlink("passwd", "/etc/passwd").commit("absolute");
        // each link alone stays inside, but "dot/.." through dot -> . leaves the directory
        links.change("escape-through-link").symlink("dot", ".").symlink("up", "dot/..").commit("chained escape");
        links.change("big")
                .file("one.bin", new byte[600])
                .file("two.bin", new byte[600])
                .commit("1200 bytes");
        server = GitHttpServer.start(repos);
        key = SshKeyPair.ed25519();
        sshServer = GitSshServer.start(repos, List.of(key.publicKey()));
    }

    @AfterAll
    static void stop() {
        server.close();
        sshServer.close();
        List.of(app, library, nested, links).forEach(TestRepo::close);
    }

    private GitCheckoutRequest request(TestRepo repo, String branch) {
        return GitCheckoutRequest.of(server.url(repo), GitReference.branch(branch));
    }

    @Test
    void submodulesAreLeftEmptyUnlessAskedFor() throws Exception {
        Path dir = work.resolve("c");
        fetcher.checkout(request(app, "main"), dir);

        assertThat(dir.resolve("libs/library")).isEmptyDirectory();
    }

    @Test
    void submodulesAreCheckedOutRecursivelyAtTheirPinnedCommits() throws Exception {
        Path dir = work.resolve("c");
        fetcher.checkout(request(app, "main").withSubmodules(true), dir);

        // pinned to v1 although the library's main has moved on
        assertThat(dir.resolve("libs/library/lib.yaml")).hasContent("version: 1");
        assertThat(dir.resolve("libs/library/vendor/nested/deep.txt")).hasContent("deep");
        assertThat(library.head("main")).isEqualTo(libraryHead);
    }

    @Test
    void submodulesOverSshUseTheSameKey() throws Exception {
        Path dir = work.resolve("c");
        GitCheckoutRequest request = GitCheckoutRequest.of(sshServer.url(app), GitReference.branch("main"))
                .withAuth(GitAuth.ssh(key.privateKey(), null, sshServer.knownHostsLine()))
                .withSubmodules(true);

        fetcher.checkout(request, dir);

        assertThat(dir.resolve("libs/library/vendor/nested/deep.txt")).hasContent("deep");
    }

    @Test
    void sparseCheckoutWritesOnlyTheListedDirectories() throws Exception {
        Path dir = work.resolve("c");
        GitCheckout checkout = fetcher.checkout(request(app, "main").withSparseCheckout(List.of("deploy/prod", "./scripts/")), dir);

        assertThat(dir.resolve("deploy/prod/app.yaml")).hasContent("app: prod");
        assertThat(dir.resolve("scripts/run.sh")).exists();
        assertThat(dir.resolve("deploy/base")).doesNotExist();
        assertThat(dir.resolve("docs")).doesNotExist();
        assertThat(dir.resolve("top.txt")).doesNotExist();
        assertThat(checkout.revision()).startsWith("main@sha1:");
    }

    @Test
    void sparseDirectoryThatDoesNotExistFails() {
        assertThatThrownBy(() -> fetcher.checkout(request(app, "main").withSparseCheckout(List.of("nope")), work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("GitOperationFailed");
                    assertThat(e.getMessage()).contains("sparse checkout directory 'nope' does not exist");
                });
    }

    @Test
    void fileModesAreNormalizedAndExecutablesKept() throws Exception {
        Path dir = work.resolve("c");
        fetcher.checkout(request(app, "main"), dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("scripts/run.sh")))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("top.txt")))).isEqualTo("rw-r--r--");
    }

    @Test
    void symlinksInsideTheRepositoryAreKept() throws Exception {
        Path dir = work.resolve("c");
        fetcher.checkout(request(links, "inside"), dir);

        assertThat(Files.readSymbolicLink(dir.resolve("current"))).isEqualTo(Path.of("config"));
        assertThat(dir.resolve("current/alias.yaml")).hasContent("a: 1");
        assertThat(Files.isSymbolicLink(dir.resolve("dangling"))).isTrue();
    }

    @Test
    void symlinkEscapingTheRepositoryIsRejected() {
        for (String branch : List.of("escape-relative", "escape-absolute", "escape-through-link")) {
            assertThatThrownBy(() -> fetcher.checkout(request(links, branch), work.resolve(branch)))
                    .as(branch)
                    .isInstanceOfSatisfying(GitException.class, e -> {
                        assertThat(e.reason()).isEqualTo("GitOperationFailed");
                        assertThat(e.getMessage()).contains("outside the repository");
                    });
        }
    }

    @Test
    void treeLargerThanTheLimitIsRejected() throws Exception {
        assertThatThrownBy(() -> fetcher.checkout(request(links, "big").withMaxSize(1000), work.resolve("small")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("GitOperationFailed");
                    assertThat(e.getMessage()).contains("exceed the size limit of 1000 bytes");
                });
        assertThat(fetcher.checkout(request(links, "big").withMaxSize(1200), work.resolve("exact")).commit()).isNotBlank();
    }

    @Test
    void objectsReceivedOverTheFetchLimitStopTheFetch() {
        assertThatThrownBy(() -> fetcher.checkout(request(links, "big").withMaxFetchSize(300), work.resolve("fetched")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("GitOperationFailed");
                    assertThat(e.getMessage()).contains("the repository is over the limit of 300 bytes");
                });
    }

    @Test
    void resolvesRelativeSubmoduleUrlsLikeGit() {
        assertThat(WorkTree.resolveRelative("https://example.com/org/app.git", "../lib.git")).isEqualTo("https://example.com/org/lib.git");
        assertThat(WorkTree.resolveRelative("https://example.com/org/app.git/", "../../other/lib")).isEqualTo("https://example.com/other/lib");
        assertThat(WorkTree.resolveRelative("ssh://git@example.com/org/app", "./sub")).isEqualTo("ssh://git@example.com/org/app/sub");
        assertThat(WorkTree.resolveRelative("https://example.com/org/app", "https://other.example/x.git")).isEqualTo("https://other.example/x.git");
    }
}
