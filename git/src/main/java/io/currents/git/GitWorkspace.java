package io.currents.git;

import org.eclipse.jgit.api.AddCommand;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.CommitCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A working clone for writing to a repository: opened at a reference (or at the branch to push to
 * when that already exists remotely, so automated commits build on each other), committed to
 * (optionally signed) and pushed. Used by image-automation-controller and {@code currents bootstrap}.
 */
public final class GitWorkspace implements AutoCloseable {

    private final Git git;
    private final String url;
    private final GitTransport transport;
    private final Duration timeout;
    private final String localBranch;

    private GitWorkspace(Git git, String url, GitTransport transport, Duration timeout, String localBranch) {
        this.git = git;
        this.url = url;
        this.transport = transport;
        this.timeout = timeout;
        this.localBranch = localBranch;
    }

    /** The commit the remote's {@code branch} points at, or empty when it has no such branch. */
    public static Optional<String> remoteHead(GitTransport transport, String url, String branch, Duration timeout)
            throws GitException {
        try {
            Collection<Ref> refs = transport.configure(Git.lsRemoteRepository().setRemote(url).setHeads(true), seconds(timeout)).call();
            return refs.stream().filter(r -> r.getName().equals(Constants.R_HEADS + branch))
                    .map(r -> r.getObjectId().name()).findFirst();
        } catch (GitAPIException | JGitInternalException e) {
            throw GitErrors.classify(e, url, transport, timeout, null, "listing the branches", null);
        }
    }

    /**
     * Clones {@code url} into {@code dir} and checks out what new commits should build on: the push
     * branch when it exists remotely and differs from the checkout branch, else {@code ref}. The
     * local branch is named after the push branch (detached when there is none).
     */
    public static GitWorkspace open(GitTransport transport, String url, GitReference ref, String pushBranch, Path dir,
                                    Duration timeout) throws GitException {
        String start = ref.onBranch();
        boolean pushElsewhere = pushBranch != null && !pushBranch.equals(start);
        if (pushElsewhere && remoteHead(transport, url, pushBranch, timeout).isPresent()) {
            start = pushBranch;
        }
        boolean byBranch = start != null && (ref.kind() == GitReference.Kind.BRANCH || start.equals(pushBranch) && pushElsewhere);
        CloneCommand clone = transport.configure(Git.cloneRepository().setURI(url).setDirectory(dir.toFile()), seconds(timeout));
        if (byBranch) {
            clone.setBranch(Constants.R_HEADS + start).setBranchesToClone(List.of(Constants.R_HEADS + start));
        } else {
            clone.setNoCheckout(true);
        }
        Git git;
        try {
            git = clone.call();
        } catch (GitAPIException | JGitInternalException e) {
            throw GitErrors.classify(e, url, transport, timeout, null, "cloning " + (byBranch ? "branch '" + start + "'" : ref.describe()),
                    byBranch ? "branch '" + start + "'" : ref.describe());
        }
        String local = pushBranch != null ? pushBranch : start;
        try {
            if (!byBranch) {
                ObjectId target = resolve(git.getRepository(), ref);
                if (local == null) {
                    // a refspec-only push from a tag or commit: work on a detached HEAD
                    git.checkout().setName(target.name()).setForced(true).call();
                } else {
                    git.checkout().setName(local).setCreateBranch(true).setStartPoint(target.name()).setForced(true).call();
                }
            } else if (!start.equals(local)) {
                git.checkout().setName(local).setCreateBranch(true).setStartPoint(Constants.HEAD).call();
            }
        } catch (GitAPIException | IOException | JGitInternalException e) {
            git.close();
            throw new GitException(GitException.GIT_OPERATION_FAILED, "failed to check out " + ref.describe() + ": "
                    + GitUrl.redact(e.getMessage()));
        } catch (GitException e) {
            git.close();
            throw e;
        }
        return new GitWorkspace(git, url, transport, timeout, local);
    }

    /**
     * Clones {@code branch} of {@code url} into {@code dir}, or starts a new repository on that branch
     * with {@code url} as its origin when the remote has no such branch (an empty repository).
     */
    public static GitWorkspace openOrInit(GitTransport transport, String url, String branch, Path dir, Duration timeout)
            throws GitException {
        if (remoteHead(transport, url, branch, timeout).isPresent()) {
            return open(transport, url, GitReference.branch(branch), branch, dir, timeout);
        }
        try {
            Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call();
            git.remoteAdd().setName(Constants.DEFAULT_REMOTE_NAME).setUri(new URIish(url)).call();
            return new GitWorkspace(git, url, transport, timeout, branch);
        } catch (GitAPIException | URISyntaxException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "cannot start a repository for " + GitUrl.redact(url)
                    + ": " + GitUrl.redact(e.getMessage()));
        }
    }

    private static ObjectId resolve(Repository repo, GitReference ref) throws IOException, GitException {
        String wanted = switch (ref.kind()) {
            case COMMIT -> ref.commit();
            case NAME -> ref.name().startsWith(Constants.R_HEADS)
                    ? Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + ref.name().substring(Constants.R_HEADS.length())
                    : ref.name();
            case TAG -> Constants.R_TAGS + ref.tag();
            case SEMVER -> {
                List<String> tags = new ArrayList<>();
                for (Ref tag : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                    tags.add(tag.getName().substring(Constants.R_TAGS.length()));
                }
                yield Constants.R_TAGS + SemverTags.highest(ref.semver(), tags).orElseThrow(() -> new GitException(
                        GitException.GIT_OPERATION_FAILED, "no tag satisfies semver range '" + ref.semver() + "'"));
            }
            case BRANCH -> Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + ref.effectiveBranch();
        };
        ObjectId id = repo.resolve(wanted + "^{commit}");
        if (id == null) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, ref.describe() + " not found in the repository");
        }
        return id;
    }

    /** The working tree's root. */
    public Path root() {
        return git.getRepository().getWorkTree().toPath();
    }

    /** The branch commits go to locally (and, by default, remotely); {@code HEAD} when detached. */
    public String branch() {
        return localBranch == null ? Constants.HEAD : localBranch;
    }

    /** The commit id at HEAD, or null before the first commit. */
    public String head() throws GitException {
        try {
            ObjectId id = git.getRepository().resolve(Constants.HEAD);
            return id == null ? null : id.name();
        } catch (IOException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "cannot read HEAD: " + e.getMessage());
        }
    }

    /** Whether the working tree differs from HEAD (new, changed or deleted files). */
    public boolean hasChanges() throws GitException {
        try {
            return !git.status().call().isClean();
        } catch (GitAPIException | JGitInternalException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "cannot read the status of the clone: " + e.getMessage());
        }
    }

    /**
     * Commits the given paths (files or directories relative to the root, including deletions under
     * them) and returns the new commit's id.
     *
     * @param signer null for an unsigned commit (see {@link CommitSigning})
     */
    public String commit(List<String> paths, PersonIdent author, String message, Signer signer) throws GitException {
        try {
            AddCommand add = git.add();
            AddCommand update = git.add().setUpdate(true);
            paths.forEach(p -> {
                add.addFilepattern(p);
                update.addFilepattern(p);
            });
            add.call();
            update.call();
            CommitCommand commit = git.commit().setMessage(message).setAuthor(author).setCommitter(author);
            if (signer == null) {
                commit.setSign(false);
            } else {
                commit.setSign(true).setSigner(signer).setGpgConfig(new GpgConfig(new Config()));
            }
            RevCommit created = commit.call();
            return created.getId().name();
        } catch (GitAPIException | JGitInternalException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "failed to commit: " + e.getMessage());
        }
    }

    /**
     * Pushes HEAD to {@code branch} (when not null) and with {@code refspec} (when not null), with
     * the given push options; a rejected update fails.
     */
    public void push(String branch, String refspec, Map<String, String> options) throws GitException {
        List<RefSpec> specs = new ArrayList<>();
        if (branch != null) {
            specs.add(new RefSpec(Constants.HEAD + ":" + Constants.R_HEADS + branch));
        }
        if (refspec != null && !refspec.isBlank()) {
            specs.add(new RefSpec(refspec));
        }
        PushCommand push = transport.configure(git.push().setRemote(Constants.DEFAULT_REMOTE_NAME).setRefSpecs(specs), seconds(timeout));
        if (options != null && !options.isEmpty()) {
            List<String> list = new ArrayList<>();
            options.forEach((k, v) -> list.add(v == null || v.isEmpty() ? k : k + "=" + v));
            push.setPushOptions(list);
        }
        Iterable<PushResult> results;
        try {
            results = push.call();
        } catch (GitAPIException | JGitInternalException e) {
            throw GitErrors.classify(e, url, transport, timeout, null, "pushing", null);
        }
        for (PushResult result : results) {
            for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                    throw new GitException(GitException.GIT_OPERATION_FAILED, "push of " + update.getRemoteName() + " to "
                            + GitUrl.redact(url) + " was rejected: " + update.getStatus()
                            + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
                }
            }
        }
    }

    @Override
    public void close() {
        git.close();
    }

    private static int seconds(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    }
}
