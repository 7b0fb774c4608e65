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
    /** The directory nothing may leave: the secure root, or the clone for a remote base (null: none). */
    private final Path confine;
    private final Kustomizer.LoadRestrictions restrictions;
    /** The Git target this root was cloned for (null for a local root). */
    private final RepoSpec repo;
    /** The clone holding this root, for a remote base and the bases inside it (null for local roots). */
    private final Path cloneDir;
    private final RemoteFetcher remote;

    private Loader(Path root, Loader parent, Kustomizer.Options options, Path confine,
                   Kustomizer.LoadRestrictions restrictions, RepoSpec repo, Path cloneDir, RemoteFetcher remote) {
        this.root = root;
        this.parent = parent;
        this.options = options;
        this.confine = confine;
        this.restrictions = restrictions;
        this.repo = repo;
        this.cloneDir = cloneDir;
        this.remote = remote;
    }

    static Loader atRoot(Path dir, Kustomizer.Options options, RemoteFetcher remote) {
        Path real;
        try {
            real = dir.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            throw new KustomizeException("must build at directory: not a valid directory: '" + dir + "': " + reason(e));
        }
        if (!Files.isDirectory(real)) {
            throw new KustomizeException("must build at directory: '" + real + "' is not a directory");
        }
        Loader l = new Loader(real, null, options, options.secureRoot(), options.loadRestrictions(), null, null,
                remote);
        l.checkConfined(real, dir.toString());
        return l;
    }

    /** Looks remote by its prefix or a marker (kustomize's URL forms, http, file://). */
    static boolean isRemote(String path) {
        String p = path.toLowerCase();
        return p.startsWith("http://") || p.startsWith("https://") || p.startsWith("git::") || p.startsWith("git@")
                || p.startsWith("ssh://") || p.startsWith("github.com/") || p.startsWith("gitlab.com/")
                || p.startsWith("bitbucket.org/") || p.contains(".git//") || p.contains("?ref=")
                || p.startsWith("file://");
    }

    /**
     * Whether {@code path} must be refused because remote resources are disabled: it looks remote, or
     * kustomize would read it as a Git URL (e.g. {@code user@host:org/repo}) and nothing local has that name.
     */
    boolean refusedAsRemote(String path) {
        if (remoteEnabled()) {
            return false;
        }
        if (isRemote(path)) {
            return true;
        }
        try {
            return RepoSpec.parse(path) != null && !Files.exists(resolve(path));
        } catch (KustomizeException | java.nio.file.InvalidPathException e) {
            return true;
        }
    }

    boolean remoteEnabled() {
        return remote != null && remote.config().isEnabled();
    }

    void refuseRemote(String path) {
        throw new KustomizeException("remote resource '" + path + "' refused: remote resources are disabled; "
                + (remote == null ? "enable them in the build options" : remote.config().disabledHint()));
    }

    /** Downloads an http(s) file, within the download and file size limits. */
    byte[] download(String url) {
        if (!remoteEnabled()) {
            refuseRemote(url);
        }
        RemoteFetcher.Download d = remote.download(url, downloadLimit());
        if (!d.ok()) {
            throw new KustomizeException(httpStatusMessage(url, d.status()));
        }
        return d.body();
    }

    RemoteFetcher.Download tryDownload(String url) {
        if (!remoteEnabled()) {
            refuseRemote(url);
        }
        return remote.download(url, downloadLimit());
    }

    private long downloadLimit() {
        return Math.min(options.maxFileBytes(), remote.config().maxDownloadBytes());
    }

    static String httpStatusMessage(String url, int status) {
        String text = switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 410 -> " Gone";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
        return "fetching '" + url + "': HTTP error: status code " + status + text;
    }

    Path resolve(String path) {
        return root.resolve(path).normalize();
    }

    /** Reads a file of this root, enforcing the root-only restriction and the size limit. */
    String read(String path) {
        if (RemoteFetcher.isHttpUrl(path)) {
            return new String(download(path), StandardCharsets.UTF_8);
        }
        if (refusedAsRemote(path)) {
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
        if (RemoteFetcher.isHttpUrl(path)) {
            return download(path);
        }
        if (refusedAsRemote(path)) {
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
            throw new KustomizeException(missingFile(abs));
        } catch (IOException e) {
            throw new KustomizeException("evalsymlink failure on '" + abs + "': " + reason(e));
        }
        if (Files.isDirectory(real)) {
            throw new KustomizeException("'" + abs + "' must resolve to a file");
        }
        if (restrictions == Kustomizer.LoadRestrictions.ROOT_ONLY && !real.startsWith(root)) {
            throw new KustomizeException("security; file '" + abs + "' is not in or below '" + root + "'");
        }
        checkConfined(real, abs.toString());
        return real;
    }

    /**
     * kustomize's words for a missing file: the root-only restriction resolves symlinks first, which fails at
     * the first missing directory or file on the path; without restrictions the file is just opened.
     */
    String missingFile(Path abs) {
        if (restrictions != Kustomizer.LoadRestrictions.ROOT_ONLY) {
            return "open " + abs + ": no such file or directory";
        }
        return evalSymlinkFailure(abs);
    }

    /** Go's filepath.EvalSymlinks on a missing path fails at the first missing directory or file of it. */
    static String evalSymlinkFailure(Path abs) {
        Path missing = abs;
        for (Path p = abs.getParent(); p != null && !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing = p;
        }
        return "evalsymlink failure on '" + abs + "' : lstat " + missing + ": no such file or directory";
    }

    private void checkConfined(Path real, String shown) {
        if (confine != null && !real.startsWith(confine)) {
            throw new KustomizeException("security; '" + shown + "' resolves to '" + real + "', outside of '"
                    + confine + "'");
        }
    }

    boolean isFile(String path) {
        if (RemoteFetcher.isHttpUrl(path) || refusedAsRemote(path)) {
            return false;
        }
        return Files.isRegularFile(resolve(path));
    }

    boolean isDirectory(String path) {
        if (RemoteFetcher.isHttpUrl(path) || refusedAsRemote(path)) {
            return false;
        }
        return Files.isDirectory(resolve(path));
    }

    /** A loader for a base directory; refuses cycles (a root that contains one being built). */
    Loader child(String path) {
        if (refusedAsRemote(path)) {
            refuseRemote(path);
        }
        RepoSpec spec = RepoSpec.parse(path);
        if (spec != null) {
            return remoteChild(spec);
        }
        if (Path.of(path).isAbsolute()) {
            throw new KustomizeException("new root '" + path + "' cannot be absolute");
        }
        Path abs = resolve(path);
        Path real;
        try {
            real = abs.toRealPath();
        } catch (IOException e) {
            throw new KustomizeException("must build at directory: not a valid directory: " + evalSymlinkFailure(abs));
        }
        if (!Files.isDirectory(real)) {
            throw new KustomizeException("must build at directory: not a valid directory: '" + real + "'");
        }
        if (cloneDir != null && !real.startsWith(cloneDir)) {
            throw new KustomizeException("security; bases in kustomizations found in cloned git repos must be within "
                    + "the repo, but base '" + real + "' is outside '" + cloneDir + "'");
        }
        checkConfined(real, abs.toString());
        for (Loader l = this; l != null; l = l.parent) {
            if (l.root.startsWith(real)) {
                throw new KustomizeException("cycle detected: candidate root '" + real + "' contains visited root '"
                        + l.root + "'");
            }
        }
        return new Loader(real, this, options, confine, restrictions, null, cloneDir, remote);
    }

    /**
     * A loader at a Git target: clones it (once per build) and roots the loader at its kustomization
     * directory. Inside a clone files load root-only and nothing may leave the clone, as in kustomize.
     */
    Loader remoteChild(RepoSpec spec) {
        for (Loader l = this; l != null; l = l.parent) {
            if (l.repo != null && l.repo.raw().startsWith(spec.raw())) {
                throw new KustomizeException("cycle detected: URI '" + spec.raw() + "' referenced by previous URI '"
                        + l.repo.raw() + "'");
            }
        }
        Path clone = remote.clone(spec);
        Path abs = clone.resolve(spec.kustRootPath()).normalize();
        Path real;
        try {
            real = abs.toRealPath();
        } catch (IOException e) {
            throw new KustomizeException("'" + spec.kustRootPath() + "' in '" + spec.cloneUrl() + "'"
                    + (spec.ref().isEmpty() ? "" : " at ref '" + spec.ref() + "'") + ": no such directory in the repository");
        }
        if (!real.startsWith(clone)) {
            throw new KustomizeException("'" + spec.raw() + "' refers to directory outside of repo '"
                    + spec.cloneUrl() + "'");
        }
        if (!Files.isDirectory(real)) {
            throw new KustomizeException("'" + spec.raw() + "' refers to file '" + spec.kustRootPath()
                    + "'; expecting directory");
        }
        return new Loader(real, this, options, clone, Kustomizer.LoadRestrictions.ROOT_ONLY, spec, clone, remote);
    }

    /** The Git target this root belongs to (its own, or the one of the clone it is in), or null. */
    RepoSpec repo() {
        for (Loader l = this; l != null; l = l.parent) {
            if (l.repo != null) {
                return l.repo;
            }
            if (l.cloneDir == null) {
                return null;
            }
        }
        return null;
    }

    /** Whether this root is the kustomization directory of a Git target (cloned for it). */
    boolean clonedHere() {
        return repo != null;
    }

    /** This root's path inside its clone ("" at the clone's top), or null for a local root. */
    String pathInClone() {
        return cloneDir == null ? null : cloneDir.relativize(root).toString();
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
