package io.currents.source.bucket;

import io.currents.runtime.artifact.ArtifactArchive;
import io.currents.runtime.artifact.SourceIgnore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a bucket into a directory tree: the index of its objects (without the ones {@code .sourceignore} and
 * {@code spec.ignore} leave out, without "directory" keys), then the objects themselves, fetched concurrently with a
 * bounded pool, except those whose ETag is the one recorded for the previous artifact: those are taken from it.
 * Object keys that would escape the tree, an object over the size limit and a bucket over the total limit fail the
 * whole fetch; so does the operation's deadline.
 */
public final class BucketFetcher {

    /** The limits a fetch keeps. */
    public record Limits(long maxObjectSize, long maxTotalSize, int concurrency) {
    }

    /**
     * What a fetch did: objects downloaded, objects taken from the previous artifact, and indexed objects that were
     * gone when fetched (deleted between the listing and the download: left out, as Flux does).
     */
    public record Fetched(int downloaded, int reused, java.util.Set<String> vanished) {
    }

    private final Limits limits;

    public BucketFetcher(Limits limits) {
        this.limits = limits;
    }

    /**
     * The index of the bucket's objects under {@code prefix}; {@code .sourceignore} at the bucket's root and
     * {@code specIgnore} decide what is left out (the spec's patterns last, so they can re-include).
     */
    public BucketIndex index(ObjectStore store, String bucketName, String prefix, String specIgnore, Path workDir,
                             Instant deadline) throws BucketException {
        if (!store.bucketExists()) {
            throw new BucketException("bucket '" + bucketName + "' not found");
        }
        checkDeadline(deadline, bucketName);
        Path ignoreFile = workDir.resolve(SourceIgnore.IGNORE_FILE);
        String patterns = "";
        if (store.download(SourceIgnore.IGNORE_FILE, ignoreFile, limits.maxObjectSize())) {
            try {
                patterns = Files.readString(ignoreFile);
                Files.delete(ignoreFile);
            } catch (IOException e) {
                throw new BucketException("failed to read '" + SourceIgnore.IGNORE_FILE + "' object: " + e.getMessage(), e);
            }
        }
        SourceIgnore ignore = SourceIgnore.ofPatterns(patterns + "\n" + (specIgnore == null ? "" : specIgnore));
        BucketIndex index = new BucketIndex();
        AtomicLong total = new AtomicLong();
        store.list(prefix, (key, etag, size) -> {
            if (key.endsWith("/") || key.equals(SourceIgnore.IGNORE_FILE)) {
                return;
            }
            if (ignore.isIgnored(key, false)) {
                return;
            }
            safeKey(key);
            if (size > limits.maxObjectSize()) {
                throw new BucketException(S3ObjectStore.tooLarge(key, size, limits.maxObjectSize()));
            }
            if (total.addAndGet(size) > limits.maxTotalSize()) {
                throw new BucketException("bucket '" + bucketName + "' holds more than the limit of " + limits.maxTotalSize()
                        + " bytes in the objects to fetch");
            }
            index.add(key, etag);
        });
        checkDeadline(deadline, bucketName);
        return index;
    }

    /**
     * Fills {@code target} with the objects of {@code index}. Objects whose ETag equals the one in {@code previous}
     * come from {@code previousArtifact} (a tar.gz of the previous fetch; may be null) instead of the bucket.
     */
    public Fetched fetch(ObjectStore store, BucketIndex index, BucketIndex previous, Path previousArtifact, Path target,
                         Path scratch, Instant deadline) throws BucketException {
        List<String> toDownload = new ArrayList<>();
        int reused = 0;
        try {
            Files.createDirectories(target);
            Path unpacked = null;
            for (var entry : index.entries().entrySet()) {
                String key = entry.getKey();
                String etag = entry.getValue();
                boolean same = !etag.isEmpty() && etag.equals(previous.etag(key));
                if (same && previousArtifact != null && unpacked == null) {
                    unpacked = unpack(previousArtifact, scratch);
                }
                Path kept = same && unpacked != null ? unpacked.resolve(key) : null;
                if (kept != null && Files.isRegularFile(kept, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Path to = target.resolve(key);
                    Files.createDirectories(to.getParent());
                    Files.move(kept, to, StandardCopyOption.REPLACE_EXISTING);
                    reused++;
                } else {
                    toDownload.add(key);
                }
            }
        } catch (IOException e) {
            // the previous artifact is only a cache: when it cannot be read, download everything
            toDownload = new ArrayList<>(index.entries().keySet());
            reused = 0;
        }
        java.util.Set<String> vanished = java.util.concurrent.ConcurrentHashMap.newKeySet();
        download(store, toDownload, target, vanished, deadline);
        return new Fetched(toDownload.size() - vanished.size(), reused, java.util.Set.copyOf(vanished));
    }

    private Path unpack(Path artifact, Path scratch) throws IOException {
        Path dir = Files.createDirectories(scratch.resolve("previous"));
        try (InputStream in = Files.newInputStream(artifact)) {
            ArtifactArchive.extract(in, dir, limits.maxTotalSize());
        }
        return dir;
    }

    private void download(ObjectStore store, List<String> keys, Path target, java.util.Set<String> vanished, Instant deadline)
            throws BucketException {
        if (keys.isEmpty()) {
            return;
        }
        int threads = Math.max(1, Math.min(limits.concurrency(), keys.size()));
        AtomicInteger next = new AtomicInteger();
        AtomicLong total = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bucket-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(pool.submit(() -> {
                    try {
                        downloadNext(store, keys, next, total, failed, target, vanished);
                    } catch (Exception e) {
                        // the first failure stops the other workers at their next object
                        failed.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : workers) {
                long remaining = Duration.between(Instant.now(), deadline).toMillis();
                if (remaining <= 0) {
                    throw new TimeoutException();
                }
                worker.get(remaining, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BucketException be) {
                throw be;
            }
            throw new BucketException("fetching objects failed: " + S3ObjectStore.describe(cause), cause);
        } catch (TimeoutException e) {
            throw new BucketException("fetching objects did not finish within the timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BucketException("fetching objects was interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private void downloadNext(ObjectStore store, List<String> keys, AtomicInteger next, AtomicLong total,
                              java.util.concurrent.atomic.AtomicBoolean failed, Path target, java.util.Set<String> vanished)
            throws BucketException, IOException {
        for (int k; (k = next.getAndIncrement()) < keys.size(); ) {
            if (failed.get() || Thread.currentThread().isInterrupted()) {
                return;
            }
            String key = keys.get(k);
            Path file = target.resolve(key);
            Files.createDirectories(file.getParent());
            if (!store.download(key, file, limits.maxObjectSize())) {
                Files.deleteIfExists(file);
                vanished.add(key);
                continue;
            }
            if (total.addAndGet(Files.size(file)) > limits.maxTotalSize()) {
                throw new BucketException("objects fetched exceed the limit of " + limits.maxTotalSize() + " bytes");
            }
        }
    }

    /** Refuses keys that are absolute or climb out of the tree ({@code ..}), which would write outside the artifact. */
    static void safeKey(String key) throws BucketException {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.indexOf('\0') >= 0) {
            throw new BucketException("object key '" + key + "' is not a relative path: refusing to fetch the bucket");
        }
        for (String segment : key.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new BucketException("object key '" + key + "' contains '" + segment + "': refusing to fetch the bucket");
            }
        }
        if (key.contains("//")) {
            throw new BucketException("object key '" + key + "' has an empty path segment: refusing to fetch the bucket");
        }
    }

    private static void checkDeadline(Instant deadline, String bucketName) throws BucketException {
        if (Instant.now().isAfter(deadline)) {
            throw new BucketException("operations on bucket '" + bucketName + "' did not finish within the timeout");
        }
    }
}
