package io.currents.git;

import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A GitRepository's mirror makes a new commit an incremental fetch, gives the same files as a fresh
 * clone, survives a damaged database and stays within its size budget.
 */
class GitMirrorsTest {

    @TempDir
    Path repos;
    @TempDir
    Path work;

    GitHttpServer server;
    TestRepo repo;
    String url;
    final GitFetcher fetcher = new GitFetcher();

    @BeforeEach
    void repository() {
        repo = TestRepo.create(repos, "big");
        Map<String, String> files = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            // incompressible content, so that pack sizes tell what was transferred
            byte[] bytes = new byte[20_000];
            random.nextBytes(bytes);
            files.put("data/file-" + i + ".txt", java.util.HexFormat.of().formatHex(bytes));
        }
        repo.commit("main", files, "large first commit");
        server = GitHttpServer.start(repos);
        url = server.url(repo);
    }

    @AfterEach
    void stop() {
        server.close();
        repo.close();
    }

    private GitCheckout checkout(GitMirrors mirrors, String owner, String into) throws GitException {
        return fetcher.checkout(GitCheckoutRequest.of(url, GitReference.branch("main")), work.resolve(into), mirrors, owner);
    }

    @Test
    void aNewCommitFetchesOnlyWhatChangedAndWritesTheSameTreeAsAFreshClone() throws Exception {
        GitMirrors mirrors = GitMirrors.at(work.resolve("mirrors"), 100L << 20);
        GitCheckout first = checkout(mirrors, "GitRepository/apps/big", "one");
        List<Long> packsAfterFirst = packSizes(work.resolve("mirrors"));
        assertThat(packsAfterFirst).hasSize(1);
        assertThat(packsAfterFirst.get(0)).isGreaterThan(500_000);

        String second = repo.commit("main", Map.of("data/file-3.txt", "changed\n", "new.yaml", "kind: ConfigMap\n"), "small change");
        GitCheckout incremental = checkout(mirrors, "GitRepository/apps/big", "two");
        GitCheckout fresh = fetcher.checkout(GitCheckoutRequest.of(url, GitReference.branch("main")), work.resolve("fresh"));

        assertThat(first.commit()).isNotEqualTo(second);
        assertThat(incremental.commit()).isEqualTo(second).isEqualTo(fresh.commit());
        assertThat(incremental.revision()).isEqualTo("main@sha1:" + second);
        List<Long> packs = packSizes(work.resolve("mirrors"));
        assertThat(packs).hasSize(2);
        // the second fetch brought the new commit, two trees and two blobs: a few hundred bytes, not the repository
        assertThat(packs.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(5_000);
        assertThat(files(work.resolve("two"))).isEqualTo(files(work.resolve("fresh")));
        assertThat(work.resolve("two/.git")).doesNotExist();
        assertThat(work.resolve("two/data/file-3.txt")).hasContent("changed");
    }

    @Test
    void aDamagedMirrorIsReplacedByAFreshClone() throws Exception {
        GitMirrors mirrors = GitMirrors.at(work.resolve("mirrors"), 100L << 20);
        checkout(mirrors, "GitRepository/apps/big", "one");
        String second = repo.commit("main", Map.of("data/file-1.txt", "changed\n"), "change");
        // a crash left the pack truncated and a ref lock behind
        try (Stream<Path> files = Files.walk(work.resolve("mirrors"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".pack")).toList()) {
                byte[] bytes = Files.readAllBytes(p);
                Files.write(p, java.util.Arrays.copyOf(bytes, bytes.length / 3));
                Path refs = p.getParent().getParent().getParent().resolve("refs/remotes/origin");
                Files.createDirectories(refs);
                Files.writeString(refs.resolve("main.lock"), "");
            }
        }

        GitCheckout after = checkout(mirrors, "GitRepository/apps/big", "two");

        assertThat(after.commit()).isEqualTo(second);
        assertThat(work.resolve("two/data/file-1.txt")).hasContent("changed");
        assertThat(work.resolve("two/data/file-2.txt")).exists();
    }

    @Test
    void aChangedUrlStartsANewMirrorAndOwnersDoNotShareOne() throws Exception {
        GitMirrors mirrors = GitMirrors.at(work.resolve("mirrors"), 100L << 20);
        checkout(mirrors, "GitRepository/team-a/app", "a");
        checkout(mirrors, "GitRepository/team-b/app", "b");
        try (Stream<Path> dirs = Files.list(work.resolve("mirrors"))) {
            assertThat(dirs.count()).isEqualTo(2);
        }

        TestRepo other = TestRepo.create(repos, "other");
        other.commit("main", Map.of("other.txt", "other\n"), "other repository");
        GitCheckout moved = fetcher.checkout(GitCheckoutRequest.of(server.url(other), GitReference.branch("main")),
                work.resolve("moved"), mirrors, "GitRepository/team-a/app");
        other.close();

        assertThat(work.resolve("moved/other.txt")).exists();
        assertThat(work.resolve("moved/data")).doesNotExist();
        assertThat(moved.commitMessage()).isEqualTo("other repository");
    }

    @Test
    void theLeastRecentlyUsedMirrorGoesWhenTheBudgetIsExceeded() throws Exception {
        // room for one mirror of this repository (about 0.8 MB), not two
        GitMirrors mirrors = GitMirrors.at(work.resolve("mirrors"), 1_200_000);
        checkout(mirrors, "GitRepository/apps/old", "old");
        Thread.sleep(5);
        checkout(mirrors, "GitRepository/apps/new", "new");

        try (Stream<Path> dirs = Files.list(work.resolve("mirrors"))) {
            assertThat(dirs.count()).isEqualTo(1);
        }
        assertThat(mirrors.sizeOnDisk()).isLessThanOrEqualTo(1_200_000);
        // the survivor is the one used last: fetching it again transfers nothing new
        long before = mirrors.sizeOnDisk();
        checkout(mirrors, "GitRepository/apps/new", "again");
        assertThat(mirrors.sizeOnDisk()).isLessThan(before + 5_000);

        mirrors.remove("GitRepository/apps/new");
        assertThat(mirrors.sizeOnDisk()).isZero();
    }

    @Test
    void withoutMirrorsEveryCheckoutKeepsItsOwnDatabase() throws Exception {
        GitCheckout checkout = checkout(GitMirrors.none(), "GitRepository/apps/big", "plain");
        assertThat(checkout.revision()).startsWith("main@sha1:");
        assertThat(work.resolve("plain/.git")).isDirectory();
        assertThat(work.resolve("mirrors")).doesNotExist();
    }

    private static List<Long> packSizes(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".pack")).map(f -> f.toFile().length()).toList();
        }
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> content = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !dir.relativize(f).startsWith(".git")).toList()) {
                content.put(dir.relativize(f).toString(), Files.readString(f));
            }
        }
        return content;
    }
}
