package io.currents.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Bare Git databases kept between fetches, one per owner (a GitRepository) and URL, so that a new
 * commit costs an incremental fetch of what changed instead of a new clone (Flux clones every time).
 * The total size on disk is bounded: after each use the least recently used mirrors are deleted
 * until the rest fits {@code maxBytes}. A mirror is never shared between owners, so one tenant's
 * fetch cannot reuse objects another tenant's credentials brought in.
 */
public final class GitMirrors {

    private static final String URL_FILE = "currents-mirror-url";
    /** More packs than this (one per incremental fetch) and the mirror is dropped and cloned afresh. */
    static final int MAX_PACKS = 32;

    private final Path root;
    private final long maxBytes;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<Path, Long> lastUsed = new ConcurrentHashMap<>();

    private GitMirrors(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
    }

    /** Mirrors under {@code root}, at most {@code maxBytes} in all; {@code maxBytes <= 0} turns them off. */
    public static GitMirrors at(Path root, long maxBytes) {
        return new GitMirrors(root, maxBytes);
    }

    /** No mirrors: every checkout is a fresh shallow clone, as in Flux. */
    public static GitMirrors none() {
        return new GitMirrors(null, 0);
    }

    public boolean enabled() {
        return root != null && maxBytes > 0;
    }

    /** What runs with a mirror's Git directory, under that mirror's lock. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Path gitDir) throws GitException;
    }

    /**
     * Runs {@code work} on the mirror of {@code owner} for {@code url} (created empty when missing,
     * emptied when it was made for another URL or holds too many packs), then trims the mirrors to
     * the size budget. When the work fails for a reason other than the remote's (a corrupt or
     * half-written database after a crash), the mirror is emptied and the work runs once more.
     */
    public <T> T with(String owner, String url, Work<T> work) throws GitException {
        Path dir = root.resolve(key(owner));
        ReentrantLock lock = locks.computeIfAbsent(dir.getFileName().toString(), k -> new ReentrantLock());
        lock.lock();
        try {
            prepare(dir, url);
            T result;
            try {
                result = work.run(dir.resolve("git"));
            } catch (Damaged e) {
                // a local fault (a truncated pack after a crash, a shallow boundary the remote no longer
                // knows) does not repeat on an empty database
                delete(dir);
                prepare(dir, url);
                result = work.run(dir.resolve("git"));
            }
            lastUsed.put(dir, System.currentTimeMillis());
            return result;
        } finally {
            lock.unlock();
            trim();
        }
    }

    /** A failure of the mirror's own database rather than of the remote: the mirror is emptied and the work retried once. */
    static final class Damaged extends GitException {
        Damaged(GitException cause) {
            super(cause.reason(), cause.getMessage());
        }
    }

    /** Deletes the mirrors of {@code owner} (its GitRepository was deleted). */
    public void remove(String owner) {
        if (!enabled()) {
            return;
        }
        Path dir = root.resolve(key(owner));
        ReentrantLock lock = locks.computeIfAbsent(dir.getFileName().toString(), k -> new ReentrantLock());
        lock.lock();
        try {
            delete(dir);
            lastUsed.remove(dir);
        } finally {
            lock.unlock();
        }
    }

    /** The total size of all mirrors on disk. */
    public long sizeOnDisk() {
        return enabled() && Files.isDirectory(root) ? WorkTree.sizeOf(root) : 0;
    }

    private void prepare(Path dir, String url) throws GitException {
        try {
            Path urlFile = dir.resolve(URL_FILE);
            if (Files.exists(dir) && (!Files.exists(urlFile)
                    || !Files.readString(urlFile, StandardCharsets.UTF_8).equals(url) || packCount(dir) > MAX_PACKS)) {
                delete(dir);
            }
            Files.createDirectories(dir);
            if (!Files.exists(urlFile)) {
                Files.writeString(urlFile, url, StandardCharsets.UTF_8);
            }
            removeStaleLocks(dir.resolve("git"));
        } catch (IOException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "cannot prepare the Git mirror: " + e.getMessage());
        }
    }

    /** Deletes least recently used mirrors, other than those in use, until the total fits the budget. */
    private void trim() {
        if (!Files.isDirectory(root)) {
            return;
        }
        Map<Path, Long> sizes = new HashMap<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                sizes.put(dir, WorkTree.sizeOf(dir));
            }
        } catch (IOException e) {
            return;
        }
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        List<Path> oldestFirst = sizes.keySet().stream()
                .sorted(Comparator.comparingLong(this::lastUse)).toList();
        for (Path dir : oldestFirst) {
            if (total <= maxBytes) {
                return;
            }
            ReentrantLock lock = locks.computeIfAbsent(dir.getFileName().toString(), k -> new ReentrantLock());
            if (lock.tryLock()) {
                try {
                    delete(dir);
                    lastUsed.remove(dir);
                    total -= sizes.get(dir);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private long lastUse(Path dir) {
        Long used = lastUsed.get(dir);
        if (used != null) {
            return used;
        }
        try {
            // mirrors from before a restart: the time their URL file was written stands for their last use
            return Files.getLastModifiedTime(dir.resolve(URL_FILE)).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int packCount(Path dir) throws IOException {
        Path packs = dir.resolve("git").resolve("objects").resolve("pack");
        if (!Files.isDirectory(packs)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(packs)) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".pack")).count();
        }
    }

    /** Lock files a killed process left behind would fail every later ref update. */
    private static void removeStaleLocks(Path gitDir) throws IOException {
        if (!Files.isDirectory(gitDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(gitDir)) {
            for (Path lock : files.filter(p -> p.getFileName().toString().endsWith(".lock")).toList()) {
                Files.deleteIfExists(lock);
            }
        }
    }

    private static String key(String owner) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path dir) {
        Trees.deleteQuietly(dir);
    }
}
