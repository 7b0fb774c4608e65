package io.currents.runtime.artifact;

import io.currents.git.Symlinks;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * Writes a directory as a reproducible tar.gz artifact: entries in sorted order, owner 0:0 with
 * empty names, modification time 0, modes normalized (directories 0755, files 0644, or 0755 when
 * executable), no {@code .git}, nothing a {@link SourceIgnore} excludes, and symlinks kept as
 * symlinks only when they resolve inside the directory. The same files give the same bytes,
 * whatever their timestamps, the order the file system lists them in, or the umask.
 */
public final class TarballWriter {

    private static final FileTime EPOCH = FileTime.fromMillis(0);
    private static final int DIR_MODE = 040755;
    private static final int FILE_MODE = 0100644;
    private static final int EXECUTABLE_MODE = 0100755;
    private static final int SYMLINK_MODE = 0120777;

    /** The written artifact: sha256 of the tar.gz bytes (hex) and their length. */
    public record Tarball(String sha256, long size) {

        /** Flux's digest notation, {@code sha256:<hex>}. */
        public String digest() {
            return "sha256:" + sha256;
        }
    }

    private TarballWriter() {
    }

    /** Writes the tarball of {@code dir} to {@code out}, which is flushed but left open. */
    public static Tarball write(Path dir, SourceIgnore ignore, OutputStream out) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        MessageDigest sha256 = sha256();
        CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(new KeepOpen(out), sha256));
        // gzip's default level, as Flux's storage writes artifacts (Go's gzip.NewWriter); the best level took twice
        // the time for a few percent smaller artifacts. Deflated in fixed blocks on every processor (pigz's way):
        // one gzip stream, the same bytes for the same tree, while this thread reads the next files
        try (ParallelGzipOutputStream compressed = new ParallelGzipOutputStream(counted, Deflater.DEFAULT_COMPRESSION,
                Runtime.getRuntime().availableProcessors());
             TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            writeChildren(root, root, "", ignore == null ? SourceIgnore.none() : ignore, tar);
            tar.finish();
        }
        out.flush();
        return new Tarball(HexFormat.of().formatHex(sha256.digest()), counted.count);
    }

    /** Writes the tarball of {@code dir} to the file {@code target} (replaced if present). */
    public static Tarball write(Path dir, SourceIgnore ignore, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            return write(dir, ignore, out);
        }
    }


    private static void writeChildren(Path root, Path dir, String prefix, SourceIgnore ignore, TarArchiveOutputStream tar)
            throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        for (Path child : children) {
            String name = prefix + child.getFileName();
            if (Files.isSymbolicLink(child)) {
                if (!ignore.isIgnored(name, false) && Symlinks.staysInside(root, child)) {
                    TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK, SYMLINK_MODE);
                    entry.setLinkName(Files.readSymbolicLink(child).toString());
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                }
            } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                if (child.getFileName().toString().equals(".git")) {
                    continue;
                }
                if (!ignore.isIgnored(name, true)) {
                    tar.putArchiveEntry(entry(name + "/", TarConstants.LF_DIR, DIR_MODE));
                    tar.closeArchiveEntry();
                }
                // descend even into an ignored directory: a later "!pattern" may bring a file back
                writeChildren(root, child, name + "/", ignore, tar);
            } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                if (ignore.isIgnored(name, false)) {
                    continue;
                }
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(child, LinkOption.NOFOLLOW_LINKS);
                boolean executable = permissions.contains(PosixFilePermission.OWNER_EXECUTE)
                        || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                        || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
                TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL, executable ? EXECUTABLE_MODE : FILE_MODE);
                entry.setSize(Files.size(child));
                tar.putArchiveEntry(entry);
                try (InputStream in = Files.newInputStream(child, LinkOption.NOFOLLOW_LINKS)) {
                    in.transferTo(tar);
                }
                tar.closeArchiveEntry();
            }
            // sockets, fifos and devices have no place in an artifact
        }
    }

    private static TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(mode);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setLastModifiedTime(EPOCH);
        return entry;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the bytes written through it. */
    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Shields the caller's stream from the gzip stream's close. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
