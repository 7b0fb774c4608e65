package io.currents.runtime.artifact;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The artifact store: files under {@code <storage-path>/<kind>/<namespace>/<name>/}, written
 * atomically (temp file, fsync, rename) and digested while written, served over HTTP at
 * {@code http://<storage-adv-addr>/<kind>/<namespace>/<name>/<file>}, with Flux's retention rules.
 */
@ApplicationScoped
public class ArtifactStorage {

    private static final Logger LOG = Logger.getLogger(ArtifactStorage.class);
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    private final String advertisedAddress;
    private final Duration retentionTtl;
    private final int retentionRecords;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Inject
    public ArtifactStorage(@ConfigProperty(name = "storage-path") Path root,
                           @ConfigProperty(name = "storage-adv-addr") String advertisedAddress,
                           @ConfigProperty(name = "artifact-retention-ttl", defaultValue = "60s") String retentionTtl,
                           @ConfigProperty(name = "artifact-retention-records", defaultValue = "2") int retentionRecords) {
        this(root, advertisedAddress, io.currents.runtime.reconcile.FluxDuration.parse(retentionTtl), retentionRecords, Clock.systemUTC());
    }

    public ArtifactStorage(Path root, String advertisedAddress, Duration retentionTtl, int retentionRecords, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.advertisedAddress = advertisedAddress.replaceFirst("^https?://", "").replaceAll("/+$", "");
        this.retentionTtl = retentionTtl;
        this.retentionRecords = Math.max(1, retentionRecords);
        this.clock = clock;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create storage directory " + this.root, e);
        }
    }

    /** Writes content for one artifact; the caller's writer gets an output stream. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    public Path root() {
        return root;
    }

    /** Storage-relative path of an artifact file, e.g. {@code gitrepository/default/podinfo/abc.tar.gz}. */
    public static String relativePath(String kind, String namespace, String name, String filename) {
        return kind.toLowerCase(Locale.ROOT) + "/" + namespace + "/" + name + "/" + filename;
    }

    public String urlFor(String relativePath) {
        return "http://" + advertisedAddress + "/" + relativePath;
    }

    public Path fileFor(String relativePath) {
        Path p = root.resolve(relativePath).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("artifact path escapes the storage root: " + relativePath);
        }
        return p;
    }

    /** Locks the object's artifact directory (one writer at a time); close the returned handle to release. */
    public AutoCloseable lock(String kind, String namespace, String name) {
        ReentrantLock lock = locks.computeIfAbsent(relativePath(kind, namespace, name, ""), k -> new ReentrantLock());
        lock.lock();
        return lock::unlock;
    }

    /**
     * Writes an artifact atomically: the content goes to a temp file beside the target, is synced,
     * digested and only then renamed over the target; a failure leaves the previous artifact in place.
     */
    public StoredArtifact store(String kind, String namespace, String name, String filename, String revision,
                                ContentWriter content) throws IOException {
        String rel = relativePath(kind, namespace, name, filename);
        Path target = fileFor(rel);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, ".part");
        MessageDigest sha256 = sha256();
        try {
            try (OutputStream file = Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 DigestOutputStream out = new DigestOutputStream(file, sha256)) {
                content.writeTo(out);
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Files.setLastModifiedTime(temp, FileTime.from(clock.instant()));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new StoredArtifact(rel, urlFor(rel), revision, "sha256:" + HexFormat.of().formatHex(sha256.digest()),
                    Files.size(target), now);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** An artifact published by {@link #publish}: the stored file, and the URL of the stable link to it when one was made. */
    public record Published(StoredArtifact artifact, String linkUrl) {
    }

    /**
     * Publishes an object's new artifact under its lock: stores it atomically, verifies what was written, points
     * {@code linkName} at it (when not null: Flux's {@code index.yaml}, {@code latest.tar.gz}) and collects older ones,
     * never the one at {@code inUsePath}.
     *
     * @param inUsePath storage-relative path of the artifact the object's status in the cluster names (null: none). It
     *                  stays until a later publish: the status naming the new one is written after this returns, and
     *                  if that write fails (API server down) consumers must still find what the status names.
     */
    public Published publish(String kind, String namespace, String name, String filename, String revision, ContentWriter content,
                             String linkName, String inUsePath) throws IOException {
        try (AutoCloseable lock = lock(kind, namespace, name)) {
            StoredArtifact stored = store(kind, namespace, name, filename, revision, content);
            if (!verify(stored.path(), stored.digest())) {
                throw new IOException("artifact " + stored.path() + " failed verification after writing");
            }
            String linkUrl = linkName == null ? null : symlink(kind, namespace, name, filename, linkName);
            String objectDir = relativePath(kind, namespace, name, "");
            String inUse = inUsePath != null && inUsePath.startsWith(objectDir) && inUsePath.indexOf('/', objectDir.length()) < 0
                    ? inUsePath.substring(objectDir.length()) : null;
            garbageCollect(kind, namespace, name, filename, inUse);
            return new Published(stored, linkUrl);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** True when the artifact file exists and its content still has the recorded digest. */
    public boolean verify(String relativePath, String digest) {
        Path file = fileFor(relativePath);
        if (digest == null || !Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha256 = sha256();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha256.update(buf, 0, n);
            }
            return digest.equals("sha256:" + HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes an object's older artifacts as Flux does: never the current one; others once they are
     * older than the retention TTL, and the oldest beyond the retention record count.
     *
     * @return the storage-relative paths deleted
     */
    public List<String> garbageCollect(String kind, String namespace, String name, String currentFilename) throws IOException {
        return garbageCollect(kind, namespace, name, currentFilename, null);
    }

    /**
     * As {@link #garbageCollect(String, String, String, String)}, and never {@code inUseFilename} either (it still counts
     * as a record).
     */
    public List<String> garbageCollect(String kind, String namespace, String name, String currentFilename, String inUseFilename)
            throws IOException {
        Path dir = fileFor(relativePath(kind, namespace, name, ""));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String fn = f.getFileName().toString();
                // symlinks (index.yaml, latest.tar.gz) point at the current artifact and are replaced, never collected
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !fn.equals(currentFilename) && !fn.startsWith(TEMP_PREFIX)) {
                    others.add(f);
                }
            }
        }
        others.sort(Comparator.comparing(ArtifactStorage::modified).reversed());
        Instant cutoff = clock.instant().minus(retentionTtl);
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            Path f = others.get(i);
            boolean beyondCount = i + 1 >= retentionRecords; // the current artifact is one record
            if (f.getFileName().toString().equals(inUseFilename)) {
                continue;
            }
            if (beyondCount || modified(f).isBefore(cutoff)) {
                Files.deleteIfExists(f);
                deleted.add(root.relativize(f).toString());
            }
        }
        return deleted;
    }

    /**
     * Points {@code linkName} in the object's directory at {@code targetFilename} (replacing any
     * previous link atomically), as Flux's status URL symlinks do, and returns the link's URL.
     */
    public String symlink(String kind, String namespace, String name, String targetFilename, String linkName) throws IOException {
        Path dir = fileFor(relativePath(kind, namespace, name, ""));
        Path link = fileFor(relativePath(kind, namespace, name, linkName));
        Path temp = dir.resolve(TEMP_PREFIX + linkName + "-" + System.nanoTime());
        Files.createSymbolicLink(temp, Path.of(targetFilename));
        try {
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, link, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return urlFor(relativePath(kind, namespace, name, linkName));
    }

    /** Deletes every artifact of an object (on deletion of the object). */
    public void removeAll(String kind, String namespace, String name) throws IOException {
        Path dir = fileFor(relativePath(kind, namespace, name, ""));
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        LOG.debugf("removed artifacts of %s %s/%s", kind, namespace, name);
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (NoSuchFileException e) {
            return Instant.EPOCH;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
