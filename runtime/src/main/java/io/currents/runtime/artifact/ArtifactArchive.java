package io.currents.runtime.artifact;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Unpacks a tar.gz artifact safely: no entry may land outside the target directory (no {@code ..},
 * no absolute names, no links pointing out), device files are refused and the unpacked size is capped.
 */
public final class ArtifactArchive {

    private ArtifactArchive() {
    }

    /** Thrown when an archive is malformed or unsafe; the message names the entry. */
    public static final class UnsafeArchiveException extends IOException {
        public UnsafeArchiveException(String message) {
            super(message);
        }
    }

    /**
     * Extracts {@code tarGz} into {@code target} (created if needed).
     *
     * @param maxBytes the largest total size of the regular files; beyond it extraction stops with an error
     * @return the number of bytes written
     */
    public static long extract(InputStream tarGz, Path target, long maxBytes) throws IOException {
        Path root = Files.createDirectories(target).toRealPath();
        long total = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(tarGz)))) {
            TarArchiveEntry entry;
            byte[] buf = new byte[64 * 1024];
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                Path dest = resolveInside(root, name);
                if (entry.isDirectory()) {
                    Files.createDirectories(dest);
                } else if (entry.isSymbolicLink()) {
                    String link = entry.getLinkName();
                    Path resolved = dest.getParent().resolve(link).normalize();
                    if (Path.of(link).isAbsolute() || !resolved.startsWith(root)) {
                        throw new UnsafeArchiveException("archive entry '" + name + "' is a symlink to '" + link
                                + "' outside the extraction directory");
                    }
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createSymbolicLink(dest, Path.of(link));
                } else if (entry.isFile()) {
                    Files.createDirectories(dest.getParent());
                    ensureNoLinkOnPath(root, dest.getParent(), name);
                    try (OutputStream out = Files.newOutputStream(dest)) {
                        for (int n; (n = tar.read(buf)) > 0; ) {
                            total += n;
                            if (total > maxBytes) {
                                throw new UnsafeArchiveException("archive is larger than the limit of " + maxBytes
                                        + " bytes (at entry '" + name + "')");
                            }
                            out.write(buf, 0, n);
                        }
                    }
                    if ((entry.getMode() & 0100) != 0) {
                        setExecutable(dest);
                    }
                } else {
                    throw new UnsafeArchiveException("archive entry '" + name + "' has an unsupported type (links, devices and fifos are refused)");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UnsafeArchiveException("malformed archive: " + e.getMessage());
        }
        return total;
    }

    private static Path resolveInside(Path root, String name) throws UnsafeArchiveException {
        Path p = Path.of(name);
        Path dest = root.resolve(name).normalize();
        if (p.isAbsolute() || !dest.startsWith(root)) {
            throw new UnsafeArchiveException("archive entry '" + name + "' points outside the extraction directory");
        }
        return dest;
    }

    // A previously extracted symlinked directory must not redirect later entries out of the root.
    private static void ensureNoLinkOnPath(Path root, Path dir, String name) throws IOException {
        Path real = dir.toRealPath();
        if (!real.startsWith(root)) {
            throw new UnsafeArchiveException("archive entry '" + name + "' would be written through a link outside the extraction directory");
        }
    }

    private static void setExecutable(Path p) throws IOException {
        try {
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
            perms.add(PosixFilePermission.OWNER_EXECUTE);
            perms.add(PosixFilePermission.GROUP_EXECUTE);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file systems keep default permissions
        }
    }
}
