package io.currents.git;

import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a commit's files into the checkout directory straight from the object database, which
 * lets one pass enforce what a plain {@code git checkout} would not: only the sparse directories,
 * a size limit checked before each file is written (so a huge repository cannot fill the disk),
 * no path that escapes the directory, and no symlink that points outside it. Every tree passes JGit's
 * object checker first (no duplicate entries, no {@code .git}, {@code ..} or slashes in names), and
 * nothing is written through a symlink the checkout itself created (git refuses paths "beyond a
 * symbolic link" the same way). Submodules are fetched and written in place when asked for, empty
 * directories otherwise (as git leaves them).
 */
final class WorkTree {

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> EXECUTABLE_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final int MAX_SUBMODULE_DEPTH = 10;

    /** Fetches a submodule's commit into its own repository. */
    interface Submodules {
        Repository fetch(String path, String url, ObjectId commit) throws GitException;
    }

    private final Path root;
    private final long maxBytes;
    private final List<Path> symlinks = new ArrayList<>();
    /** Directories made (or found) as real directories, never links: safe to write into. */
    private final Set<Path> directories = new HashSet<>();
    private long writtenBytes;

    WorkTree(Path root, long maxBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    long writtenBytes() {
        return writtenBytes;
    }

    /**
     * Writes {@code commit}'s tree under {@code prefix} (empty for the repository itself).
     *
     * @param sparse directories to restrict the top-level checkout to (empty: everything)
     * @param submodules null to leave submodules as empty directories
     * @param remoteUrl the URL the repository came from, against which relative submodule URLs resolve
     */
    void write(Repository repo, RevCommit commit, String prefix, List<String> sparse, Submodules submodules,
               String remoteUrl, int depth) throws GitException, IOException {
        RevTree tree = commit.getTree();
        checkTrees(repo, tree, prefix);
        List<String> directories = sparseDirectories(repo, tree, sparse);
        Config gitmodules = null;
        List<PendingFile> files = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            if (!directories.isEmpty()) {
                walk.setFilter(PathFilterGroup.createFromStrings(directories));
            }
            while (walk.next()) {
                String path = walk.getPathString();
                Path target = resolve(prefix + path);
                FileMode mode = walk.getFileMode(0);
                ObjectId id = walk.getObjectId(0);
                directory(target.getParent(), prefix + path);
                if (mode == FileMode.SYMLINK) {
                    writeSymlink(repo, id, target, prefix + path);
                } else if (mode == FileMode.GITLINK) {
                    if (submodules == null) {
                        directory(target, prefix + path);
                        continue;
                    }
                    if (depth >= MAX_SUBMODULE_DEPTH) {
                        throw failure("submodules are nested deeper than " + MAX_SUBMODULE_DEPTH + " levels at '" + prefix + path + "'");
                    }
                    if (gitmodules == null) {
                        gitmodules = gitmodules(repo, tree);
                    }
                    String url = submoduleUrl(gitmodules, path, remoteUrl);
                    try (Repository sub = submodules.fetch(prefix + path, url, id)) {
                        RevCommit subCommit = sub.parseCommit(id);
                        directory(target, prefix + path);
                        write(sub, subCommit, prefix + path + "/", List.of(), submodules, url, depth + 1);
                    }
                } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    files.add(new PendingFile(id.copy(), target, mode == FileMode.EXECUTABLE_FILE, prefix + path));
                }
                // any other mode (trees are recursed into) has no representation on disk
            }
        }
        // the directories and links are in place; the contents go in the order the pack stores them, which lets
        // JGit's delta base cache serve each delta chain once instead of inflating it again for every file on it
        try (ObjectReader reader = repo.newObjectReader()) {
            for (PendingFile file : PackOrder.sort(repo, files, PendingFile::id)) {
                writeFile(reader, file.id(), file.target(), file.executable(), file.path());
            }
        }
    }

    /** A regular file whose directory exists, to be written once the walk is over. */
    private record PendingFile(ObjectId id, Path target, boolean executable, String path) {
    }

    /** After everything is written: every symlink must resolve, through other links, to a place inside the checkout. */
    void checkSymlinks() throws GitException, IOException {
        for (Path link : symlinks) {
            if (!Symlinks.staysInside(root, link)) {
                throw failure("symlink '" + root.relativize(link) + "' points to '" + Files.readSymbolicLink(link)
                        + "', outside the repository");
            }
        }
    }

    /**
     * Every tree of the commit through JGit's object checker before anything is written: a tree with two entries of one
     * name (a symlink {@code x} and a directory {@code x}) would otherwise let later entries write through the link.
     */
    private static void checkTrees(Repository repo, RevTree root, String prefix) throws IOException, GitException {
        ObjectChecker checker = new ObjectChecker().setAllowLeadingZeroFileMode(true);
        Set<ObjectId> checked = new HashSet<>();
        Deque<ObjectId> pending = new ArrayDeque<>(List.of(root.getId()));
        try (ObjectReader reader = repo.newObjectReader()) {
            while (!pending.isEmpty()) {
                ObjectId id = pending.pop();
                if (!checked.add(id)) {
                    continue;
                }
                byte[] raw = reader.open(id, Constants.OBJ_TREE).getCachedBytes();
                try {
                    checker.checkTree(id, raw);
                } catch (CorruptObjectException e) {
                    throw failure("the repository contains an invalid tree" + (prefix.isEmpty() ? "" : " under '" + prefix + "'")
                            + ": " + e.getMessage());
                }
                CanonicalTreeParser entries = new CanonicalTreeParser();
                for (entries.reset(raw); !entries.eof(); entries.next()) {
                    if (FileMode.TREE.equals(entries.getEntryRawMode())) {
                        pending.push(entries.getEntryObjectId());
                    }
                }
            }
        }
    }

    /** Makes {@code dir} (and its parents) a real directory inside the checkout, refusing to go through any link. */
    private void directory(Path dir, String path) throws IOException, GitException {
        if (dir.equals(root) || directories.contains(dir)) {
            return;
        }
        directory(dir.getParent(), path);
        if (Files.isSymbolicLink(dir)) {
            throw failure("the repository writes '" + path + "' beyond the symbolic link '" + root.relativize(dir) + "'");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
        } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw failure("the repository writes '" + path + "' below the file '" + root.relativize(dir) + "'");
        }
        directories.add(dir);
    }

    /** The bytes of the regular files under {@code dir}, ignoring files that vanish while it is being written. */
    /** Deletes everything inside {@code dir}, keeping the directory itself. */
    static void clear(Path dir) throws GitException {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "cannot empty checkout directory " + dir + ": " + e.getMessage());
        }
    }

    static long sizeOf(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // the directory is being written; the next measurement sees it
        }
        return total[0];
    }

    private void writeFile(ObjectReader reader, ObjectId id, Path target, boolean executable, String path)
            throws IOException, GitException {
        ObjectLoader loader = reader.open(id);
        long size = loader.getSize();
        if (maxBytes > 0 && writtenBytes + size > maxBytes) {
            throw failure("the checked-out files exceed the size limit of " + maxBytes + " bytes (at '" + path + "')");
        }
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            loader.copyTo(out);
        }
        writtenBytes += size;
        // fixed modes: the artifact must not depend on the controller's umask
        Files.setPosixFilePermissions(target, executable ? EXECUTABLE_MODE : FILE_MODE);
    }

    private void writeSymlink(Repository repo, ObjectId id, Path link, String path) throws IOException, GitException {
        String target = new String(repo.open(id).getBytes(), StandardCharsets.UTF_8);
        Path targetPath;
        try {
            targetPath = Path.of(target);
        } catch (InvalidPathException e) {
            throw failure("symlink '" + path + "' has an invalid target");
        }
        if (targetPath.isAbsolute() || !link.getParent().resolve(targetPath).normalize().startsWith(root)) {
            throw failure("symlink '" + path + "' points to '" + target + "', outside the repository");
        }
        Files.createSymbolicLink(link, targetPath);
        symlinks.add(link);
    }

    private Path resolve(String path) throws GitException {
        for (String segment : path.split("/", -1)) {
            String lower = segment.toLowerCase(Locale.ROOT);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || lower.equals(".git")
                    || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
                throw failure("the repository contains an unsafe path '" + path + "'");
            }
        }
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw failure("the repository contains an unsafe path '" + path + "'");
        }
        return target;
    }

    private static List<String> sparseDirectories(Repository repo, RevTree tree, List<String> sparse)
            throws IOException, GitException {
        List<String> directories = new ArrayList<>();
        for (String dir : sparse) {
            String normalized = dir.trim().replaceAll("^(\\./)+", "").replaceAll("^/+", "").replaceAll("/+$", "");
            if (normalized.isEmpty() || normalized.equals(".")) {
                return List.of();
            }
            try (TreeWalk found = TreeWalk.forPath(repo, normalized, tree)) {
                if (found == null || !found.isSubtree()) {
                    throw failure("sparse checkout directory '" + dir + "' does not exist in the commit");
                }
            }
            directories.add(normalized);
        }
        return directories;
    }

    private static Config gitmodules(Repository repo, RevTree tree) throws IOException, GitException {
        Config config = new Config();
        try (TreeWalk walk = TreeWalk.forPath(repo, ".gitmodules", tree)) {
            if (walk != null) {
                config.fromText(new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        } catch (ConfigInvalidException e) {
            throw failure(".gitmodules cannot be parsed: " + e.getMessage());
        }
        return config;
    }

    private static String submoduleUrl(Config gitmodules, String path, String remoteUrl) throws GitException {
        for (String name : gitmodules.getSubsections("submodule")) {
            if (path.equals(gitmodules.getString("submodule", name, "path"))) {
                String url = gitmodules.getString("submodule", name, "url");
                if (url == null || url.isBlank()) {
                    break;
                }
                return resolveRelative(remoteUrl, url.trim());
            }
        }
        throw failure("submodule '" + path + "' has no URL in .gitmodules");
    }

    /** Resolves {@code ../sibling.git} style submodule URLs against the superproject's URL, as git does. */
    static String resolveRelative(String base, String url) {
        if (!url.startsWith("./") && !url.startsWith("../")) {
            return url;
        }
        String resolved = base.replaceAll("/+$", "");
        String rest = url;
        while (true) {
            if (rest.startsWith("./")) {
                rest = rest.substring(2);
            } else if (rest.startsWith("../")) {
                rest = rest.substring(3);
                int slash = resolved.lastIndexOf('/');
                if (slash > resolved.indexOf("://") + 2) {
                    resolved = resolved.substring(0, slash);
                }
            } else {
                break;
            }
        }
        return resolved + "/" + rest;
    }

    private static GitException failure(String message) {
        return new GitException(GitException.GIT_OPERATION_FAILED, message);
    }
}
