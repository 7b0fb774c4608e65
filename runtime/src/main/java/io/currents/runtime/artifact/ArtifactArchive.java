package io.currents.runtime.artifact;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Unpacks a tar.gz artifact safely: no entry may land outside the target directory (no {@code ..},
 * no absolute names, no links pointing out), device files are refused and the unpacked size is capped.
 * Nothing is written through a link to the outside: every parent directory's real path is checked
 * when an entry is written, files are created without following a link in their own name, and every
 * symlink must still resolve inside the directory once all entries are out (a later entry can change
 * what an earlier link's target means).
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
        return new Extraction(Files.createDirectories(target).toRealPath(), maxBytes).run(tarGz);
    }

    private static final class Extraction {
        private final Path root;
        private final long maxBytes;
        private final List<Path> links = new ArrayList<>();
        private long total;

        Extraction(Path root, long maxBytes) {
            this.root = root;
            this.maxBytes = maxBytes;
        }

        long run(InputStream tarGz) throws IOException {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(tarGz)))) {
                TarArchiveEntry entry;
                byte[] buf = new byte[64 * 1024];
                while ((entry = tar.getNextEntry()) != null) {
                    String name = entry.getName();
                    Path dest = resolveInside(name);
                    if (entry.isDirectory()) {
                        directory(dest, name);
                    } else if (entry.isSymbolicLink()) {
                        symlink(dest, entry.getLinkName(), name);
                    } else if (entry.isFile()) {
                        file(dest, entry, tar, buf, name);
                    } else {
                        throw new UnsafeArchiveException("archive entry '" + name + "' has an unsupported type (links, devices and fifos are refused)");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new UnsafeArchiveException("malformed archive: " + e.getMessage());
            }
            for (Path link : links) {
                if (Files.isSymbolicLink(link) && !staysInside(link)) {
                    throw new UnsafeArchiveException("archive entry '" + root.relativize(link) + "' is a symlink to '"
                            + Files.readSymbolicLink(link) + "' outside the extraction directory");
                }
            }
            return total;
        }

        private Path resolveInside(String name) throws UnsafeArchiveException {
            Path dest = root.resolve(name).normalize();
            if (Path.of(name).isAbsolute() || !dest.startsWith(root)) {
                throw new UnsafeArchiveException("archive entry '" + name + "' points outside the extraction directory");
            }
            return dest;
        }

        /**
         * Makes {@code dir} a directory whose real path is inside the root: an existing one (possibly reached through
         * a link the archive made) must resolve inside, a missing one is created under a parent that does.
         */
        private void directory(Path dir, String name) throws IOException {
            if (dir.equals(root)) {
                return;
            }
            if (Files.exists(dir)) {
                if (!dir.toRealPath().startsWith(root)) {
                    throw new UnsafeArchiveException("archive entry '" + name + "' would be written through a link outside the extraction directory");
                }
                if (!Files.isDirectory(dir)) {
                    throw new UnsafeArchiveException("archive entry '" + name + "' needs '" + root.relativize(dir) + "' to be a directory");
                }
                return;
            }
            directory(dir.getParent(), name);
            try {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // a dangling link sits where a directory is wanted
                throw new UnsafeArchiveException("archive entry '" + name + "' would be written through the symlink '"
                        + root.relativize(dir) + "'");
            }
        }

        private void symlink(Path dest, String link, String name) throws IOException {
            if (link.isEmpty()) {
                // no file system makes a link to nothing: say so rather than fail on the system call
                throw new UnsafeArchiveException("archive entry '" + name + "' is a symlink with an empty target");
            }
            Path target = Path.of(link);
            if (target.isAbsolute() || !dest.getParent().resolve(target).normalize().startsWith(root)) {
                throw new UnsafeArchiveException("archive entry '" + name + "' is a symlink to '" + link
                        + "' outside the extraction directory");
            }
            directory(dest.getParent(), name);
            replaceable(dest, name);
            Files.createSymbolicLink(dest, target);
            links.add(dest);
        }

        private void file(Path dest, TarArchiveEntry entry, TarArchiveInputStream tar, byte[] buf, String name) throws IOException {
            directory(dest.getParent(), name);
            replaceable(dest, name);
            try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
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
        }

        /** A later entry of the same name replaces a file or a link (as tar does), never a directory. */
        private void replaceable(Path dest, String name) throws IOException {
            if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnsafeArchiveException("archive entry '" + name + "' would replace a directory");
            }
            Files.deleteIfExists(dest);
        }

        /** Whether the link resolves inside the root, following the links along the way. */
        private boolean staysInside(Path link) throws IOException {
            Path path = link.getParent().resolve(Files.readSymbolicLink(link));
            Path resolved = path.getRoot();
            try {
                for (int i = 0; i < path.getNameCount(); i++) {
                    Path candidate = resolved.resolve(path.getName(i));
                    if (!Files.exists(candidate)) {
                        // a dangling tail cannot contain links; read it as text
                        resolved = candidate.resolve(i + 1 < path.getNameCount() ? path.subpath(i + 1, path.getNameCount()) : Path.of("")).normalize();
                        break;
                    }
                    resolved = candidate.toRealPath();
                }
            } catch (IOException e) {
                return false;
            }
            return resolved.startsWith(root);
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
