package io.currents.git;

import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.PackIndex;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The order WorkTree reads blobs in: the pack's, every object exactly once, loose objects last. */
class PackOrderTest {

    @TempDir
    Path work;

    @Test
    void blobsComeInPackOffsetOrderThenLooseOnes() throws Exception {
        Path dir = work.resolve("repo");
        git(work, "init", "-q", "-b", "main", dir.toString());
        for (int c = 0; c < 5; c++) {
            for (int f = 0; f < 40; f++) {
                Path file = dir.resolve("d" + (f % 7) + "/f" + f + ".yaml");
                Files.createDirectories(file.getParent());
                // similar contents, so that the pack holds deltas, rewritten by every commit
                Files.writeString(file, ("key: value " + f + "\n").repeat(50) + "rev: " + c + "\n");
            }
            git(dir, "add", "-A");
            git(dir, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-q", "-m", "c" + c);
        }
        git(dir, "gc", "-q", "--aggressive");
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.resolve(".git").toFile()).build()) {
            List<ObjectId> blobs = blobs(repo, repo.parseCommit(repo.resolve("HEAD")));
            // one object the pack does not hold
            ObjectId loose;
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                loose = inserter.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, "loose\n".getBytes(StandardCharsets.UTF_8));
                inserter.flush();
            }
            List<ObjectId> items = new ArrayList<>(blobs);
            java.util.Collections.shuffle(items, new java.util.Random(7));
            items.add(items.size() / 2, loose);

            List<ObjectId> sorted = PackOrder.sort(repo, items, Function.identity());

            assertThat(sorted).containsExactlyInAnyOrderElementsOf(items);
            assertThat(sorted.getLast()).isEqualTo(loose);
            PackIndex index = ((FileRepository) repo).getObjectDatabase().getPacks().iterator().next().getIndex();
            List<Long> offsets = sorted.subList(0, blobs.size()).stream().map(index::findOffset).toList();
            assertThat(offsets).isSorted().allMatch(o -> o > 0);
            // the given order was not the pack's, or this test would prove nothing
            assertThat(items.stream().filter(i -> !i.equals(loose)).map(index::findOffset).toList()).isNotEqualTo(offsets);
        }
    }

    @Test
    void aRepositoryWithoutPackFilesKeepsTheGivenOrder() throws IOException {
        try (Repository memory = new InMemoryRepository(new DfsRepositoryDescription("m"))) {
            List<ObjectId> items = List.of(ObjectId.fromString("0123456789012345678901234567890123456789"),
                    ObjectId.fromString("ffffffffffffffffffffffffffffffffffffffff"));
            assertThat(PackOrder.sort(memory, items, Function.identity())).isEqualTo(items);
        }
    }

    private static List<ObjectId> blobs(Repository repo, RevCommit commit) throws IOException {
        List<ObjectId> ids = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                ids.add(walk.getObjectId(0));
            }
        }
        return ids;
    }

    private static void git(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }
}
