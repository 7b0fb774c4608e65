package io.currents.testkit.git;

import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bare Git repository on disk that tests write commits, branches and tags into directly (no
 * working copy), for {@link GitHttpServer} and {@link GitSshServer} to serve.
 */
public final class TestRepo implements AutoCloseable {

    private static final PersonIdent AUTHOR = new PersonIdent("Currents Test", "test@currents.invalid",
            Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final String name;
    private final Path path;
    private final Repository repository;

    private TestRepo(String name, Path path, Repository repository) {
        this.name = name;
        this.path = path;
        this.repository = repository;
    }

    /** Creates the bare repository {@code <root>/<name>.git}, whose default branch is {@code main}. */
    public static TestRepo create(Path root, String name) {
        Path path = root.resolve(name + ".git");
        try {
            Files.createDirectories(path);
            Repository repository = new FileRepositoryBuilder().setGitDir(path.toFile()).setBare().build();
            repository.create(true);
            // allow pushing to and serving from the repository without further setup
            repository.getConfig().setBoolean("http", null, "receivepack", true);
            repository.getConfig().save();
            RefUpdate head = repository.getRefDatabase().newUpdate(Constants.HEAD, false);
            head.link("refs/heads/main");
            return new TestRepo(name, path, repository);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name the servers serve this repository under: {@code <name>.git}. */
    public String servedPath() {
        return name + ".git";
    }

    public Path path() {
        return path;
    }

    /** Starts a commit on {@code branch}, based on its current tip (or an empty tree for a new branch). */
    public Change change(String branch) {
        return new Change(branch);
    }

    /** Convenience: one commit on {@code branch} setting the given files (path → content). */
    public String commit(String branch, Map<String, String> files, String message) {
        Change change = change(branch);
        files.forEach(change::file);
        return change.commit(message);
    }

    /** The commit id at the tip of {@code branch}, or null. */
    public String head(String branch) {
        try {
            Ref ref = repository.exactRef(Constants.R_HEADS + branch);
            return ref == null ? null : ref.getObjectId().name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The content of {@code path} at the tip of {@code branch}, or null when the branch or the file is not there. */
    public String read(String branch, String path) {
        String head = head(branch);
        if (head == null) {
            return null;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(head));
            try (TreeWalk tree = TreeWalk.forPath(repository, path, commit.getTree())) {
                return tree == null ? null : new String(repository.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points {@code refs/heads/<branch>} at {@code commit}. */
    public void branch(String branch, String commit) {
        updateRef(Constants.R_HEADS + branch, ObjectId.fromString(commit));
    }

    /** Points any ref (e.g. {@code refs/pull/1/head}) at {@code objectId}. */
    public void ref(String refName, String objectId) {
        updateRef(refName, ObjectId.fromString(objectId));
    }

    /** Creates a lightweight tag. */
    public void lightweightTag(String tag, String commit) {
        updateRef(Constants.R_TAGS + tag, ObjectId.fromString(commit));
    }

    /** Creates an annotated tag, signed when {@code signer} is not null; returns the tag object id. */
    public String annotatedTag(String tag, String commit, String message, PgpKey signer) {
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            TagBuilder builder = new TagBuilder();
            builder.setTag(tag);
            builder.setObjectId(ObjectId.fromString(commit), Constants.OBJ_COMMIT);
            builder.setTagger(AUTHOR);
            // Git signs the tag text ending in a newline; the signature follows on the next line.
            builder.setMessage(message.endsWith("\n") ? message : message + "\n");
            if (signer != null) {
                builder.setGpgSignature(new GpgSignature(signer.sign(builder.build())));
            }
            ObjectId id = inserter.insert(builder);
            inserter.flush();
            updateRef(Constants.R_TAGS + tag, id);
            return id.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        repository.close();
    }

    private void updateRef(String refName, ObjectId id) {
        try {
            RefUpdate update = repository.updateRef(refName);
            update.setNewObjectId(id);
            update.setForceUpdate(true);
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
                    && result != RefUpdate.Result.FAST_FORWARD && result != RefUpdate.Result.NO_CHANGE) {
                throw new IOException("cannot update " + refName + ": " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A commit being assembled: file, executable, symlink and submodule edits on top of the branch tip. */
    public final class Change {
        private final String branch;
        private final TreeMap<String, Entry> entries = new TreeMap<>();
        private final ObjectId parent;
        private PgpKey signer;

        private record Entry(FileMode mode, byte[] content, ObjectId id) {
        }

        private Change(String branch) {
            this.branch = branch;
            try {
                Ref ref = repository.exactRef(Constants.R_HEADS + branch);
                parent = ref == null ? null : ref.getObjectId();
                if (parent != null) {
                    try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
                        tree.addTree(walk.parseCommit(parent).getTree());
                        tree.setRecursive(true);
                        while (tree.next()) {
                            entries.put(tree.getPathString(), new Entry(tree.getFileMode(0), null, tree.getObjectId(0)));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Change file(String path, String content) {
            return file(path, content.getBytes(StandardCharsets.UTF_8));
        }

        public Change file(String path, byte[] content) {
            entries.put(path, new Entry(FileMode.REGULAR_FILE, content, null));
            return this;
        }

        public Change executable(String path, String content) {
            entries.put(path, new Entry(FileMode.EXECUTABLE_FILE, content.getBytes(StandardCharsets.UTF_8), null));
            return this;
        }

        public Change symlink(String path, String target) {
            entries.put(path, new Entry(FileMode.SYMLINK, target.getBytes(StandardCharsets.UTF_8), null));
            return this;
        }

        public Change delete(String path) {
            entries.remove(path);
            entries.keySet().removeIf(p -> p.startsWith(path + "/"));
            return this;
        }

        /** Adds a submodule at {@code path} pinned to {@code commit}, recorded in {@code .gitmodules} with {@code url}. */
        public Change submodule(String path, String url, String commit) {
            entries.put(path, new Entry(FileMode.GITLINK, null, ObjectId.fromString(commit)));
            Config modules = new Config();
            Entry existing = entries.get(".gitmodules");
            try {
                if (existing != null) {
                    modules.fromText(new String(read(existing), StandardCharsets.UTF_8));
                }
            } catch (ConfigInvalidException e) {
                throw new IllegalStateException(e);
            }
            modules.setString("submodule", path, "path", path);
            modules.setString("submodule", path, "url", url);
            return file(".gitmodules", modules.toText());
        }

        /** Signs the commit with {@code key} (OpenPGP), the way {@code git commit -S} does. */
        public Change signedBy(PgpKey key) {
            this.signer = key;
            return this;
        }

        /** Writes the commit, moves the branch to it and returns its id. */
        public String commit(String message) {
            try (ObjectInserter inserter = repository.newObjectInserter()) {
                DirCache index = DirCache.newInCore();
                DirCacheBuilder builder = index.builder();
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    Entry entry = e.getValue();
                    DirCacheEntry cacheEntry = new DirCacheEntry(e.getKey());
                    cacheEntry.setFileMode(entry.mode());
                    cacheEntry.setObjectId(entry.id() != null ? entry.id()
                            : inserter.insert(Constants.OBJ_BLOB, entry.content()));
                    builder.add(cacheEntry);
                }
                builder.finish();
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(index.writeTree(inserter));
                if (parent != null) {
                    commit.setParentId(parent);
                }
                commit.setAuthor(AUTHOR);
                commit.setCommitter(AUTHOR);
                commit.setMessage(message.endsWith("\n") ? message : message + "\n");
                if (signer != null) {
                    commit.setGpgSignature(new GpgSignature(signer.sign(commit.build())));
                }
                ObjectId id = inserter.insert(commit);
                inserter.flush();
                updateRef(Constants.R_HEADS + branch, id);
                return id.name();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private byte[] read(Entry entry) {
            if (entry.content() != null) {
                return entry.content();
            }
            try {
                return repository.open(entry.id()).getBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The commit's message first line, for assertions. */
    public String subject(String commit) {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            return c.getShortMessage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
