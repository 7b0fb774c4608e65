package io.currents.bench;

import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.SourceIgnore;
import io.currents.runtime.artifact.StoredArtifact;
import io.currents.runtime.artifact.TarballWriter;
import io.currents.git.GitCheckout;
import io.currents.git.GitCheckoutRequest;
import io.currents.git.GitFetcher;
import io.currents.git.GitMirrors;
import io.currents.git.GitReference;
import io.currents.testkit.git.GitHttpServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures, on one repository served over smart HTTP on loopback, in the same process and run:
 * our fetch + artifact (GitFetcher shallow clone, TarballWriter, atomic store) against the reference
 * {@code git clone --depth 1} + {@code tar czf} of the same tree, and the cost of a reconcile that
 * finds no change (one ls-remote and the stored artifact check). Then the round that matters in
 * steady state, a new commit on the large repository: our fetch into the GitRepository's mirror
 * (incremental) + artifact against the same reference, which is what Flux does for every new
 * commit. Prints medians and ratios.
 */
public final class SourceBench {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SourceBench <dir containing bench.git> [rounds]");
            System.exit(2);
        }
        Path root = Path.of(args[0]).toAbsolutePath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path scratch = Files.createTempDirectory("source-bench");
        try (GitHttpServer server = GitHttpServer.start(root)) {
            String url = server.baseUrl() + "/bench.git";
            GitCheckoutRequest request = GitCheckoutRequest.of(url, GitReference.branch("main"))
                    .withTimeout(Duration.ofMinutes(5)).withMaxSize(1L << 31);
            GitFetcher fetcher = new GitFetcher();
            ArtifactStorage storage = new ArtifactStorage(scratch.resolve("storage"), "localhost:9090",
                    Duration.ofSeconds(60), 2, Clock.systemUTC());

            // warm-up: JIT and page cache for both sides
            ours(fetcher, request, storage, scratch, -1);
            reference(url, scratch, -1);

            List<Long> oursMs = new ArrayList<>();
            List<Long> refMs = new ArrayList<>();
            StoredArtifact last = null;
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                last = ours(fetcher, request, storage, scratch, i);
                oursMs.add((System.nanoTime() - t0) / 1_000_000);
                long t1 = System.nanoTime();
                reference(url, scratch, i);
                refMs.add((System.nanoTime() - t1) / 1_000_000);
            }

            List<Long> noChangeMs = new ArrayList<>();
            for (int i = 0; i < rounds * 4; i++) {
                long t0 = System.nanoTime();
                String remote = fetcher.remoteRevision(request).orElseThrow();
                boolean intact = storage.verify(last.path(), last.digest());
                if (!remote.equals(last.revision()) || !intact) {
                    throw new IllegalStateException("no-change reconcile saw a change");
                }
                noChangeMs.add((System.nanoTime() - t0) / 1_000_000);
            }

            long ours = median(oursMs);
            long ref = median(refMs);
            long noChange = median(noChangeMs);
            System.out.printf("repository: %s (%s)%n", url, last.revision());
            System.out.printf("artifact: %d bytes, %s%n", last.size(), last.digest());
            System.out.printf("fetch + artifact, Currents (GitFetcher + TarballWriter + store): median %d ms of %d rounds %s%n", ours, rounds, oursMs);
            System.out.printf("fetch + artifact, reference (git clone --depth 1 + tar czf):     median %d ms of %d rounds %s%n", ref, rounds, refMs);
            System.out.printf("ratio Currents / reference: %.2f%n", (double) ours / ref);
            System.out.printf("no-change reconcile (ls-remote + artifact check): median %d ms %s%n", noChange, noChangeMs);
            System.out.printf("ratio no-change / full fetch + artifact: %.3f%n", (double) noChange / ours);

            // one new commit per round: the mirror fetches only what changed
            GitMirrors mirrors = GitMirrors.at(scratch.resolve("mirrors"), 1L << 32);
            Path writer = scratch.resolve("writer");
            // the commits are pushed to the served repository directly (the loopback server is read-only)
            run(scratch, "git", "clone", "-q", "--depth", "1", "--branch", "main", "file://" + root.resolve("bench.git"), writer.toString());
            oursMirrored(fetcher, request, storage, scratch, mirrors, -1);
            List<Long> newCommitMs = new ArrayList<>();
            List<Long> newCommitRefMs = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                Files.writeString(writer.resolve("bench-change.txt"), "change " + i + "\n");
                run(writer, "git", "add", "bench-change.txt");
                run(writer, "git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "change " + i);
                run(writer, "git", "push", "-q", "origin", "main");
                long t0 = System.nanoTime();
                StoredArtifact stored = oursMirrored(fetcher, request, storage, scratch, mirrors, i);
                newCommitMs.add((System.nanoTime() - t0) / 1_000_000);
                if (stored.revision().equals(last.revision())) {
                    throw new IllegalStateException("the new commit was not fetched");
                }
                long t1 = System.nanoTime();
                reference(url, scratch, 100 + i);
                newCommitRefMs.add((System.nanoTime() - t1) / 1_000_000);
            }
            long newCommit = median(newCommitMs);
            long newCommitRef = median(newCommitRefMs);
            System.out.printf("new commit, Currents (incremental fetch into the mirror + artifact): median %d ms %s%n", newCommit, newCommitMs);
            System.out.printf("new commit, reference (git clone --depth 1 + tar czf, as Flux re-clones): median %d ms %s%n", newCommitRef, newCommitRefMs);
            System.out.printf("ratio new commit Currents / reference: %.2f%n", (double) newCommit / newCommitRef);
            System.out.printf("mirror on disk: %d bytes%n", mirrors.sizeOnDisk());
        } finally {
            deleteTree(scratch);
        }
    }

    private static StoredArtifact ours(GitFetcher fetcher, GitCheckoutRequest request, ArtifactStorage storage, Path scratch, int round)
            throws Exception {
        Path dir = scratch.resolve("ours-" + round);
        try {
            GitCheckout checkout = fetcher.checkout(request, dir);
            SourceIgnore ignore = SourceIgnore.load(dir, null);
            return storage.store("GitRepository", "bench", "bench", checkout.commit() + ".tar.gz", checkout.revision(),
                    out -> TarballWriter.write(dir, ignore, out));
        } finally {
            deleteTree(dir);
        }
    }

    private static StoredArtifact oursMirrored(GitFetcher fetcher, GitCheckoutRequest request, ArtifactStorage storage,
                                               Path scratch, GitMirrors mirrors, int round) throws Exception {
        Path dir = scratch.resolve("mirrored-" + round);
        try {
            GitCheckout checkout = fetcher.checkout(request, dir, mirrors, "GitRepository/bench/bench");
            SourceIgnore ignore = SourceIgnore.load(dir, null);
            return storage.store("GitRepository", "bench", "bench", checkout.commit() + ".tar.gz", checkout.revision(),
                    out -> TarballWriter.write(dir, ignore, out));
        } finally {
            deleteTree(dir);
        }
    }

    private static void reference(String url, Path scratch, int round) throws IOException, InterruptedException {
        Path dir = scratch.resolve("ref-" + round);
        try {
            run(scratch, "git", "clone", "-q", "--depth", "1", "--branch", "main", url, dir.toString());
            run(scratch, "tar", "czf", scratch.resolve("ref-" + round + ".tar.gz").toString(), "--exclude=.git", "-C", dir.toString(), ".");
        } finally {
            deleteTree(dir);
            Files.deleteIfExists(scratch.resolve("ref-" + round + ".tar.gz"));
        }
    }

    private static void run(Path cwd, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
