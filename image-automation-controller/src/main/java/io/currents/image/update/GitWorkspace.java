package io.currents.image.update;

import io.currents.image.policy.PolicyException;
import io.currents.image.policy.SemverPolicy;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A clone of the automation's Git repository: checked out at the checkout ref (or at the push
 * branch when that already exists remotely, so automated commits build on each other), committed
 * to with the automation's author, and pushed to the push branch and/or refspec.
 */
public final class GitWorkspace implements AutoCloseable {

    /** The checkout reference: one of branch, tag, semver, name, commit (Flux's GitRepositoryRef). */
    public record CheckoutRef(String branch, String tag, String semver, String name, String commit) {
        public String describe() {
            if (commit != null) {
                return "commit '" + commit + "'";
            }
            if (name != null) {
                return "ref '" + name + "'";
            }
            if (semver != null) {
                return "semver '" + semver + "'";
            }
            if (tag != null) {
                return "tag '" + tag + "'";
            }
            return "branch '" + branch + "'";
        }
    }

    private final Git git;
    private final String url;
    private final GitTransport transport;
    private final int timeoutSeconds;
    private final String localBranch;

    private GitWorkspace(Git git, String url, GitTransport transport, int timeoutSeconds, String localBranch) {
        this.git = git;
        this.url = url;
        this.transport = transport;
        this.timeoutSeconds = timeoutSeconds;
        this.localBranch = localBranch;
    }

    /** The commit the remote's {@code branch} points at, or empty when it has no such branch. */
    public static Optional<String> remoteHead(String url, GitTransport transport, String branch, int timeoutSeconds) throws GitAutomationException {
        try {
            Collection<Ref> refs = transport.configure(Git.lsRemoteRepository().setRemote(url).setHeads(true), timeoutSeconds).call();
            return refs.stream().filter(r -> r.getName().equals(Constants.R_HEADS + branch))
                    .map(r -> r.getObjectId().name()).findFirst();
        } catch (GitAPIException e) {
            throw failure("failed to list the remote's branches", e, transport);
        }
    }

    /**
     * Clones {@code url} into {@code dir} and checks out what the update should build on: the push
     * branch when it exists remotely and differs from the checkout branch, else the checkout ref.
     * The local branch is named after the push branch.
     */
    public static GitWorkspace open(String url, GitTransport transport, CheckoutRef ref, String pushBranch, Path dir, int timeoutSeconds)
            throws GitAutomationException {
        boolean pushElsewhere = pushBranch != null && !pushBranch.equals(ref.branch());
        String start = ref.branch();
        if (pushElsewhere && remoteHead(url, transport, pushBranch, timeoutSeconds).isPresent()) {
            start = pushBranch;
        }
        CloneCommand clone = transport.configure(Git.cloneRepository().setURI(url).setDirectory(dir.toFile()), timeoutSeconds);
        boolean byBranch = start != null && ref.tag() == null && ref.semver() == null && ref.name() == null && ref.commit() == null
                || (start != null && start.equals(pushBranch) && pushElsewhere);
        if (byBranch) {
            clone.setBranch(Constants.R_HEADS + start).setBranchesToClone(List.of(Constants.R_HEADS + start));
        } else {
            clone.setNoCheckout(true);
        }
        Git git;
        try {
            git = clone.call();
        } catch (GitAPIException e) {
            throw failure("failed to clone " + redact(url), e, transport);
        }
        String local = pushBranch != null ? pushBranch : start;
        try {
            if (!byBranch) {
                ObjectId target = resolve(git, ref);
                if (local == null) {
                    // a refspec-only push from a tag or commit: work on a detached HEAD
                    git.checkout().setName(target.name()).setForced(true).call();
                } else {
                    git.checkout().setName(local).setCreateBranch(true).setStartPoint(target.name()).setForced(true).call();
                }
            } else if (!start.equals(local)) {
                git.checkout().setName(local).setCreateBranch(true).setStartPoint(Constants.HEAD).call();
            }
        } catch (GitAPIException | IOException e) {
            git.close();
            throw new GitAutomationException("GitOperationFailed", "failed to check out " + ref.describe() + ": " + e.getMessage());
        } catch (GitAutomationException e) {
            git.close();
            throw e;
        }
        return new GitWorkspace(git, url, transport, timeoutSeconds, local);
    }

    private static ObjectId resolve(Git git, CheckoutRef ref) throws IOException, GitAutomationException {
        var repo = git.getRepository();
        String wanted;
        if (ref.commit() != null) {
            wanted = ref.commit();
        } else if (ref.name() != null) {
            wanted = ref.name().startsWith("refs/heads/") ? "refs/remotes/origin/" + ref.name().substring(11) : ref.name();
        } else if (ref.tag() != null) {
            wanted = Constants.R_TAGS + ref.tag();
        } else if (ref.semver() != null) {
            List<String> tags = new ArrayList<>();
            for (Ref t : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                tags.add(t.getName().substring(Constants.R_TAGS.length()));
            }
            try {
                wanted = Constants.R_TAGS + new SemverPolicy(ref.semver()).latest(tags).orElseThrow(() ->
                        new GitAutomationException("GitOperationFailed", "no tag satisfies semver '" + ref.semver() + "'"));
            } catch (PolicyException e) {
                throw new GitAutomationException("InvalidSourceConfiguration", e.getMessage());
            }
        } else {
            wanted = "refs/remotes/origin/" + ref.branch();
        }
        ObjectId id = repo.resolve(wanted + "^{commit}");
        if (id == null) {
            throw new GitAutomationException("GitOperationFailed", ref.describe() + " not found in the repository");
        }
        return id;
    }

    public Path root() {
        return git.getRepository().getWorkTree().toPath();
    }

    /** The branch commits go to locally (and, by default, remotely); {@code HEAD} when detached. */
    public String branch() {
        return localBranch == null ? Constants.HEAD : localBranch;
    }

    public String head() throws GitAutomationException {
        try {
            ObjectId id = git.getRepository().resolve(Constants.HEAD);
            return id == null ? null : id.name();
        } catch (IOException e) {
            throw new GitAutomationException("GitOperationFailed", "cannot read HEAD: " + e.getMessage());
        }
    }

    /** Commits the given files (relative to the root) and returns the commit id. */
    public String commit(List<String> files, String authorName, String authorEmail, String message) throws GitAutomationException {
        try {
            var add = git.add();
            files.forEach(add::addFilepattern);
            add.call();
            PersonIdent author = new PersonIdent(authorName == null || authorName.isBlank() ? authorEmail : authorName, authorEmail);
            RevCommit commit = git.commit().setMessage(message).setAuthor(author).setCommitter(author).setSign(false).call();
            return commit.getId().name();
        } catch (GitAPIException e) {
            throw new GitAutomationException("GitOperationFailed", "failed to commit: " + e.getMessage());
        }
    }

    /** Pushes HEAD to {@code branch} (when not null) and with {@code refspec} (when not null). */
    public void push(String branch, String refspec, Map<String, String> options) throws GitAutomationException {
        List<RefSpec> specs = new ArrayList<>();
        if (branch != null) {
            specs.add(new RefSpec(Constants.HEAD + ":" + Constants.R_HEADS + branch));
        }
        if (refspec != null && !refspec.isBlank()) {
            specs.add(new RefSpec(refspec));
        }
        PushCommand push = transport.configure(git.push().setRemote("origin").setRefSpecs(specs), timeoutSeconds);
        if (options != null && !options.isEmpty()) {
            List<String> list = new ArrayList<>();
            options.forEach((k, v) -> list.add(v == null || v.isEmpty() ? k : k + "=" + v));
            push.setPushOptions(list);
        }
        Iterable<PushResult> results;
        try {
            results = push.call();
        } catch (GitAPIException e) {
            throw failure("failed to push to " + redact(url), e, transport);
        }
        for (PushResult result : results) {
            for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                    throw new GitAutomationException("GitOperationFailed", "push of " + update.getRemoteName() + " was rejected: "
                            + update.getStatus() + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
                }
            }
        }
    }

    @Override
    public void close() {
        git.close();
    }

    private static GitAutomationException failure(String what, GitAPIException e, GitTransport transport) {
        String refusal = transport.hostKeyRefusal();
        String reason = e instanceof TransportException && (String.valueOf(e.getMessage()).contains("not authorized")
                || String.valueOf(e.getMessage()).contains("Authentication") || refusal != null) ? "AuthenticationFailed" : "GitOperationFailed";
        String message = refusal != null ? refusal : redact(String.valueOf(e.getMessage()));
        return new GitAutomationException(reason, what + ": " + message);
    }

    public static String redactUrl(String s) {
        return redact(s);
    }

    static String redact(String s) {
        return s == null ? "" : s.replaceAll("(?<=://)[^/@\\s]*@", "");
    }
}
