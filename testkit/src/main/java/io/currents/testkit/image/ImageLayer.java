package io.currents.testkit.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One gzip-compressed tar layer of an OCI image on disk: its digest and size (as the manifest names it) and its
 * {@code diff_id} (the digest of the uncompressed tar, as the image config names it).
 */
public record ImageLayer(Path file, String digest, long size, String diffId) {

    public static final String MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

    /**
     * Writes the tree under {@code root} as a layer: entries sorted by path, owned by root, with their permission bits
     * and a zero modification time, so that the same tree always gives the same digest.
     */
    public static ImageLayer of(Path root, Path target) {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = walk.filter(p -> !p.equals(root)).sorted().toList();
            MessageDigest compressed = sha256();
            MessageDigest uncompressed = sha256();
            GzipParameters gzip = new GzipParameters();
            gzip.setModificationTime(0);
            try (OutputStream file = Files.newOutputStream(target);
                 DigestOutputStream compressedDigest = new DigestOutputStream(file, compressed);
                 GzipCompressorOutputStream gz = new GzipCompressorOutputStream(compressedDigest, gzip);
                 DigestOutputStream uncompressedDigest = new DigestOutputStream(gz, uncompressed);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(uncompressedDigest)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Path path : paths) {
                    write(tar, root, path);
                }
            }
            return new ImageLayer(target, "sha256:" + HexFormat.of().formatHex(compressed.digest()), Files.size(target),
                    "sha256:" + HexFormat.of().formatHex(uncompressed.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a layer of " + root, e);
        }
    }

    private static void write(TarArchiveOutputStream tar, Path root, Path path) throws IOException {
        String name = root.relativize(path).toString();
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
            entry.setMode(0120777);
        } else if (Files.isDirectory(path)) {
            entry = new TarArchiveEntry(name + "/");
            // /tmp is writable by everyone with the sticky bit, which Java's permission set cannot express
            entry.setMode(040000 | mode(path) | (name.equals("tmp") ? 01000 : 0));
        } else {
            entry = new TarArchiveEntry(name);
            entry.setMode(0100000 | mode(path));
            entry.setSize(Files.size(path));
        }
        entry.setModTime(0);
        entry.setIds(0, 0);
        entry.setNames("root", "root");
        tar.putArchiveEntry(entry);
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            try (InputStream in = Files.newInputStream(path)) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
    }

    private static int mode(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
