package io.currents.kustomize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the files of one kustomization root. Like kustomize's file loader with
 * LoadRestrictionsRootOnly, a file must resolve (symlinks followed) to a place in or below the root;
 * a directory (a base) may be elsewhere but not contain a root already being built.
 */
final class Loader {
    final Path root;
    private final Loader parent;
    private final Kustomizer.Options options;

    private Loader(Path root, Loader parent, Kustomizer.Options options) {
        this.root = root;
        this.parent = parent;
        this.options = options;
    }

    static Loader atRoot(Path dir, Kustomizer.Options options) {
        Path real;
        try {
            real = dir.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            throw new KustomizeException("must build at directory: not a valid directory: '" + dir + "': " + reason(e));
        }
        if (!Files.isDirectory(real)) {
            throw new KustomizeException("must build at directory: '" + real + "' is not a directory");
        }
        checkSecureRoot(options, real, dir.toString());
        return new Loader(real, null, options);
    }

    static boolean isRemote(String path) {
        String p = path.toLowerCase();
        return p.startsWith("http://") || p.startsWith("https://") || p.startsWith("git::") || p.startsWith("git@")
                || p.startsWith("ssh://") || p.startsWith("github.com/") || p.startsWith("gitlab.com/")
                || p.startsWith("bitbucket.org/") || p.contains(".git//") || p.contains("?ref=")
                || p.startsWith("file://");
    }

    private void refuseRemote(String path) {
        if (!options.allowRemoteResources()) {
            throw new KustomizeException("remote resource '" + path + "' refused: remote resources are disabled");
        }
        throw new KustomizeException("remote resource '" + path + "' is not supported: fetch it into the source first");
    }

    Path resolve(String path) {
        return root.resolve(path).normalize();
    }

    /** Reads a file of this root, enforcing the root-only restriction and the size limit. */
    String read(String path) {
        if (isRemote(path)) {
            refuseRemote(path);
        }
        Path abs = resolve(path);
        Path real = confirmFile(path, abs);
        try {
            long size = Files.size(real);
            if (size > options.maxFileBytes()) {
                throw new KustomizeException("file '" + abs + "' is " + size + " bytes, over the limit of "
                        + options.maxFileBytes() + " bytes");
            }
            return new String(readLimited(real), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KustomizeException("reading '" + abs + "': " + reason(e));
        }
    }

    byte[] readBytes(String path) {
        if (isRemote(path)) {
            refuseRemote(path);
        }
        Path abs = resolve(path);
        Path real = confirmFile(path, abs);
        try {
            return readLimited(real);
        } catch (IOException e) {
            throw new KustomizeException("reading '" + abs + "': " + reason(e));
        }
    }

    private byte[] readLimited(Path real) throws IOException {
        try (InputStream in = Files.newInputStream(real)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, options.maxFileBytes() + 1));
            if (data.length > options.maxFileBytes()) {
                throw new KustomizeException("file '" + real + "' is over the limit of " + options.maxFileBytes() + " bytes");
            }
            return data;
        }
    }

    private Path confirmFile(String path, Path abs) {
        Path real;
        try {
            real = abs.toRealPath();
        } catch (NoSuchFileException e) {
            throw new KustomizeException("open " + abs + ": no such file or directory");
        } catch (IOException e) {
            throw new KustomizeException("evalsymlink failure on '" + abs + "': " + reason(e));
        }
        if (Files.isDirectory(real)) {
            throw new KustomizeException("'" + abs + "' must resolve to a file");
        }
        if (options.loadRestrictions() == Kustomizer.LoadRestrictions.ROOT_ONLY && !real.startsWith(root)) {
            throw new KustomizeException("security; file '" + abs + "' is not in or below '" + root + "'");
        }
        checkSecureRoot(options, real, abs.toString());
        return real;
    }

    private static void checkSecureRoot(Kustomizer.Options options, Path real, String shown) {
        if (options.secureRoot() != null && !real.startsWith(options.secureRoot())) {
            throw new KustomizeException("security; '" + shown + "' resolves to '" + real + "', outside of '"
                    + options.secureRoot() + "'");
        }
    }

    boolean isFile(String path) {
        if (isRemote(path)) {
            return false;
        }
        return Files.isRegularFile(resolve(path));
    }

    boolean isDirectory(String path) {
        if (isRemote(path)) {
            return false;
        }
        return Files.isDirectory(resolve(path));
    }

    /** A loader for a base directory; refuses cycles (a root that contains one being built). */
    Loader child(String path) {
        if (isRemote(path)) {
            refuseRemote(path);
        }
        if (Path.of(path).isAbsolute()) {
            throw new KustomizeException("new root '" + path + "' cannot be absolute");
        }
        Path abs = resolve(path);
        Path real;
        try {
            real = abs.toRealPath();
        } catch (IOException e) {
            throw new KustomizeException("must build at directory: not a valid directory: evalsymlink failure on '"
                    + abs + "' : lstat " + abs + ": no such file or directory");
        }
        if (!Files.isDirectory(real)) {
            throw new KustomizeException("must build at directory: not a valid directory: '" + real + "'");
        }
        checkSecureRoot(options, real, abs.toString());
        for (Loader l = this; l != null; l = l.parent) {
            if (l.root.startsWith(real)) {
                throw new KustomizeException("cycle detected: candidate root '" + real + "' contains visited root '"
                        + l.root + "'");
            }
        }
        return new Loader(real, this, options);
    }

    List<Path> listDir() throws IOException {
        try (var s = Files.list(root)) {
            return s.sorted().toList();
        }
    }

    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
