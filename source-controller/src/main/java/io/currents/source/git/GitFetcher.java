package io.currents.source.git;

import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LsRemoteCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fetches one revision of a Git repository with JGit, the way Flux's source-controller does for a
 * GitRepository: resolve the reference, fetch as little history as it needs, verify OpenPGP
 * signatures, write the files (sparse, size-limited, symlinks kept inside) and name the result
 * with Flux's revision format. Stateless and safe to share between reconciles.
 */
public class GitFetcher {

    private static final Pattern FULL_SHA1 = Pattern.compile("[0-9a-fA-F]{40}");
    private static final String SHA1 = "@sha1:";

    /**
     * The revision a checkout of {@code request} would produce, learnt with a single ls-remote
     * (no clone), or empty when only a checkout can tell (an abbreviated commit id). Lets a
     * reconciler skip the fetch when the stored artifact already has this revision.
     */
    public Optional<String> remoteRevision(GitCheckoutRequest request) throws GitFetchException {
        Remote remote = Remote.parse(request.url());
        GitReference ref = request.ref();
        if (ref.kind() == GitReference.Kind.COMMIT) {
            if (!FULL_SHA1.matcher(ref.commit()).matches()) {
                return Optional.empty();
            }
            String sha = ref.commit().toLowerCase(Locale.ROOT);
            return Optional.of(GitReference.present(ref.branch()) ? ref.branch() + SHA1 + sha : "sha1:" + sha);
        }
        Instant deadline = Instant.now().plus(request.timeout());
        try (RemoteAccess access = new RemoteAccess(request, remote.ssh())) {
            access.stopAt(deadline);
            Map<String, Ref> refs = lsRemote(remote, request, access, ref.kind(), deadline);
            return Optional.of(switch (ref.kind()) {
                case BRANCH -> ref.effectiveBranch() + SHA1 + target(refs, Constants.R_HEADS + ref.effectiveBranch(), ref).name();
                case TAG -> ref.tag() + SHA1 + target(refs, Constants.R_TAGS + ref.tag(), ref).name();
                case SEMVER -> {
                    String tag = highestTag(ref, refs);
                    yield tag + SHA1 + target(refs, Constants.R_TAGS + tag, ref).name();
                }
                case NAME -> ref.name() + SHA1 + target(refs, ref.name(), ref).name();
                case COMMIT -> throw new IllegalStateException("handled above");
            });
        }
    }

    /**
     * Fetches and writes the requested revision into {@code dir} (created if missing, must be
     * empty), keeping the Git database in {@code dir/.git}.
     */
    public GitCheckout checkout(GitCheckoutRequest request, Path dir) throws GitFetchException {
        Remote remote = Remote.parse(request.url());
        Instant deadline = Instant.now().plus(request.timeout());
        OpenPgpKeys keys = request.verificationMode() == null ? null : new OpenPgpKeys(request.publicKeys());
        VerificationMode mode = request.verificationMode() == null ? null : VerificationMode.parse(request.verificationMode());
        prepare(dir);
        try (RemoteAccess access = new RemoteAccess(request, remote.ssh());
             Repository repo = openRepository(dir.resolve(Constants.DOT_GIT))) {
            access.stopAt(deadline);
            try {
                Fetched fetched = fetch(repo, remote, request, access, deadline);
                SignatureVerification verification = mode == null ? null : verify(mode, keys, fetched, request.ref());
                WorkTree tree = new WorkTree(dir, request.maxSizeBytes());
                WorkTree.Submodules submodules = request.recurseSubmodules()
                        ? (path, url, commit) -> fetchSubmodule(dir, path, url, commit, request, access, deadline)
                        : null;
                tree.write(repo, fetched.commit(), "", request.sparseCheckout(), submodules, request.url(), 0);
                tree.checkSymlinks();
                return new GitCheckout(fetched.revision(), fetched.commit().name(), fetched.commit().getShortMessage(),
                        verification);
            } catch (IOException e) {
                if (access.expired()) {
                    throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, "checking out "
                            + request.ref().describe() + " from " + redactUrl(request.url()) + " timed out after "
                            + request.timeout().toSeconds() + "s");
                }
                throw e;
            }
        } catch (IOException e) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                    "writing the checkout failed: " + scrub(String.valueOf(e.getMessage()), request));
        }
    }

    private record Fetched(RevCommit commit, RevTag tag, String tagName, String revision) {
    }

    private enum VerificationMode {
        HEAD, TAG, TAG_AND_HEAD;

        static VerificationMode parse(String mode) throws GitFetchException {
            return switch (mode) {
                case "HEAD", "head" -> HEAD;
                case "Tag", "tag" -> TAG;
                case "TagAndHEAD", "tagandhead" -> TAG_AND_HEAD;
                default -> throw new GitFetchException(GitFetchException.VERIFICATION_ERROR,
                        "verification mode '" + mode + "' is not one of HEAD, Tag, TagAndHEAD");
            };
        }
    }

    /** A validated remote URL; only http, https and ssh are accepted, like Flux. */
    private record Remote(String url, boolean ssh) {
        static Remote parse(String url) throws GitFetchException {
            if (url == null || url.isBlank()) {
                throw new GitFetchException(GitFetchException.URL_INVALID, "the repository URL is empty");
            }
            URI uri;
            try {
                uri = new URI(url.trim());
            } catch (URISyntaxException e) {
                throw new GitFetchException(GitFetchException.URL_INVALID,
                        "'" + redactUrl(url) + "' is not a valid URL: " + e.getReason());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ssh")) {
                throw new GitFetchException(GitFetchException.URL_INVALID, "URL '" + redactUrl(url)
                        + "' has an unsupported scheme: use http://, https:// or ssh:// (scp-like 'git@host:path' is not supported)");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new GitFetchException(GitFetchException.URL_INVALID, "URL '" + redactUrl(url) + "' has no host");
            }
            return new Remote(url.trim(), scheme.equals("ssh"));
        }
    }

    private Fetched fetch(Repository repo, Remote remote, GitCheckoutRequest request, RemoteAccess access,
                          Instant deadline) throws GitFetchException, IOException {
        GitReference ref = request.ref();
        switch (ref.kind()) {
            case BRANCH -> {
                String branch = ref.effectiveBranch();
                String local = Constants.R_REMOTES + "origin/" + branch;
                fetchRefs(repo, remote, request, access, deadline, 1, ref, new RefSpec("+" + Constants.R_HEADS + branch + ":" + local));
                return resolved(repo, local, branch, null);
            }
            case TAG -> {
                return fetchTag(repo, remote, request, access, deadline, ref.tag(), ref);
            }
            case SEMVER -> {
                Map<String, Ref> tags = lsRemote(remote, request, access, GitReference.Kind.SEMVER, deadline);
                return fetchTag(repo, remote, request, access, deadline, highestTag(ref, tags), ref);
            }
            case NAME -> {
                String name = ref.name();
                if (!name.startsWith("refs/")) {
                    throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                            "ref name '" + name + "' must be a full reference name starting with 'refs/'");
                }
                fetchRefs(repo, remote, request, access, deadline, 1, ref, new RefSpec("+" + name + ":" + name));
                return resolved(repo, name, name, name.startsWith(Constants.R_TAGS) ? name.substring(Constants.R_TAGS.length()) : null);
            }
            case COMMIT -> {
                if (GitReference.present(ref.branch())) {
                    fetchRefs(repo, remote, request, access, deadline, 0, ref, new RefSpec("+" + Constants.R_HEADS
                            + ref.branch() + ":" + Constants.R_REMOTES + "origin/" + ref.branch()));
                } else {
                    fetchRefs(repo, remote, request, access, deadline, 0, ref,
                            new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"));
                }
                RevCommit commit = commit(repo, ref);
                String revision = GitReference.present(ref.branch()) ? ref.branch() + SHA1 + commit.name() : "sha1:" + commit.name();
                return new Fetched(commit, null, null, revision);
            }
        }
        throw new IllegalStateException("unknown reference kind");
    }

    private Fetched fetchTag(Repository repo, Remote remote, GitCheckoutRequest request, RemoteAccess access,
                             Instant deadline, String tag, GitReference ref) throws GitFetchException, IOException {
        String name = Constants.R_TAGS + tag;
        fetchRefs(repo, remote, request, access, deadline, 1, ref, new RefSpec("+" + name + ":" + name));
        return resolved(repo, name, tag, tag);
    }

    private static Fetched resolved(Repository repo, String localRef, String revisionName, String tagName)
            throws IOException, GitFetchException {
        Ref ref = repo.exactRef(localRef);
        if (ref == null) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, "'" + revisionName + "' was not fetched");
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevObject object = walk.parseAny(ref.getObjectId());
            RevTag tag = null;
            if (object instanceof RevTag annotated) {
                tag = annotated;
                object = walk.peel(annotated);
                walk.parseBody(tag);
            }
            if (!(object instanceof RevCommit commit)) {
                throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                        "'" + revisionName + "' does not point to a commit");
            }
            walk.parseBody(commit);
            return new Fetched(commit, tag, tagName, revisionName + SHA1 + commit.name());
        }
    }

    private static RevCommit commit(Repository repo, GitReference ref) throws GitFetchException, IOException {
        String where = GitReference.present(ref.branch()) ? " on branch '" + ref.branch() + "'" : "";
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId id = repo.resolve(ref.commit() + "^{commit}");
            if (id == null) {
                throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, "commit '" + ref.commit() + "' not found" + where);
            }
            RevCommit commit = walk.parseCommit(id);
            walk.parseBody(commit);
            return commit;
        } catch (AmbiguousObjectException e) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                    "commit id '" + ref.commit() + "' is ambiguous" + where + ": give more digits");
        } catch (MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, "commit '" + ref.commit() + "' not found" + where);
        } catch (org.eclipse.jgit.errors.RevisionSyntaxException e) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, "'" + ref.commit() + "' is not a commit id");
        }
    }

    private void fetchRefs(Repository repo, Remote remote, GitCheckoutRequest request, RemoteAccess access,
                           Instant deadline, int depth, GitReference ref, RefSpec... specs) throws GitFetchException {
        try (Git git = new Git(repo)) {
            FetchCommand fetch = access.configure(git.fetch(), secondsUntil(deadline))
                    .setRemote(remote.url())
                    .setRefSpecs(specs)
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setProgressMonitor(new Deadline(deadline));
            if (depth > 0) {
                fetch.setDepth(depth);
            }
            fetch.call();
        } catch (GitAPIException | JGitInternalException e) {
            throw classify(e, request, access, deadline, "fetching " + ref.describe(), ref);
        }
    }

    private Map<String, Ref> lsRemote(Remote remote, GitCheckoutRequest request, RemoteAccess access,
                                      GitReference.Kind kind, Instant deadline) throws GitFetchException {
        try {
            LsRemoteCommand ls = access.configure(Git.lsRemoteRepository(), secondsUntil(deadline)).setRemote(remote.url());
            if (kind == GitReference.Kind.BRANCH) {
                ls.setHeads(true);
            } else if (kind == GitReference.Kind.TAG || kind == GitReference.Kind.SEMVER) {
                ls.setTags(true);
            }
            return ls.callAsMap();
        } catch (GitAPIException | JGitInternalException e) {
            throw classify(e, request, access, deadline, "listing the remote's references", request.ref());
        }
    }

    private Repository fetchSubmodule(Path dir, String path, String url, ObjectId commit, GitCheckoutRequest request,
                                      RemoteAccess access, Instant deadline) throws GitFetchException {
        Remote remote = Remote.parse(url);
        if (remote.ssh() != Remote.parse(request.url()).ssh()) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, "submodule '" + path + "' uses "
                    + (remote.ssh() ? "SSH" : "HTTP(S)") + " but the repository's credentials are for the other transport");
        }
        GitReference ref = GitReference.commit(commit.name(), null);
        try {
            Repository repo = openRepository(dir.resolve(Constants.DOT_GIT).resolve("modules").resolve(path));
            // the recorded commit may be anywhere in the submodule's history: fetch it all
            fetchRefs(repo, remote, request, access, deadline, 0, ref,
                    new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"));
            if (!repo.getObjectDatabase().has(commit)) {
                repo.close();
                throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, "submodule '" + path
                        + "' commit " + commit.name() + " is not on any branch or tag of " + redactUrl(url));
            }
            return repo;
        } catch (IOException e) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                    "cannot prepare submodule '" + path + "': " + e.getMessage());
        }
    }

    private SignatureVerification verify(VerificationMode mode, OpenPgpKeys keys, Fetched fetched, GitReference ref)
            throws GitFetchException {
        String commitKey = null;
        String tagKey = null;
        if (mode != VerificationMode.HEAD) {
            if (fetched.tagName() == null) {
                throw new GitFetchException(GitFetchException.VERIFICATION_ERROR, "cannot verify a tag signature: "
                        + ref.describe() + " is not a tag (use ref.tag, ref.semver or a refs/tags/ name)");
            }
            if (fetched.tag() == null) {
                throw new GitFetchException(GitFetchException.VERIFICATION_ERROR,
                        "cannot verify the signature of lightweight tag '" + fetched.tagName() + "': only annotated tags carry one");
            }
            tagKey = keys.verify("tag '" + fetched.tagName() + "'", SignedPayload.of(fetched.tag()),
                    fetched.tag().getRawGpgSignature());
        }
        if (mode != VerificationMode.TAG) {
            commitKey = keys.verify("commit '" + fetched.commit().name() + "'", SignedPayload.of(fetched.commit()),
                    fetched.commit().getRawGpgSignature());
        }
        return new SignatureVerification(fetched.commit().name(), commitKey, fetched.tagName(), tagKey);
    }

    private static ObjectId target(Map<String, Ref> refs, String name, GitReference ref) throws GitFetchException {
        Ref found = refs.get(name);
        if (found == null || found.getObjectId() == null) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, ref.describe() + " not found in the remote repository");
        }
        // annotated tags: the revision names the commit, not the tag object
        return found.getPeeledObjectId() != null ? found.getPeeledObjectId() : found.getObjectId();
    }

    private static String highestTag(GitReference ref, Map<String, Ref> refs) throws GitFetchException {
        List<String> tags = new ArrayList<>();
        for (String name : refs.keySet()) {
            if (name.startsWith(Constants.R_TAGS) && !name.endsWith("^{}")) {
                tags.add(name.substring(Constants.R_TAGS.length()));
            }
        }
        return SemverTags.highest(ref.semver(), tags).orElseThrow(() -> new GitFetchException(
                GitFetchException.GIT_OPERATION_FAILED, "no tag matches semver range '" + ref.semver() + "' ("
                        + tags.size() + " tags in the repository)"));
    }

    private static void prepare(Path dir) throws GitFetchException {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                            "checkout directory " + dir + " is not empty");
                }
            }
        } catch (IOException e) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                    "cannot create checkout directory " + dir + ": " + e.getMessage());
        }
    }

    private static Repository openRepository(Path gitDir) throws IOException {
        Files.createDirectories(gitDir);
        Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
        if (!repo.getObjectDatabase().exists()) {
            repo.create(true);
            // the repository lives for one reconcile: a background auto-gc would only race its deletion
            repo.getConfig().setInt("gc", null, "auto", 0);
            repo.getConfig().setInt("gc", null, "autoPackLimit", 0);
            // and JGit still starts its (no-op) check on a background thread unless told not to
            repo.getConfig().setBoolean("gc", null, "autoDetach", false);
            repo.getConfig().save();
        }
        return repo;
    }

    private static int secondsUntil(Instant deadline) {
        long seconds = Math.max(1, deadline.getEpochSecond() - Instant.now().getEpochSecond());
        return (int) Math.min(Integer.MAX_VALUE, seconds);
    }

    /** Cancels a running fetch once the request's timeout has passed. */
    private static final class Deadline extends EmptyProgressMonitor {
        private final Instant deadline;

        Deadline(Instant deadline) {
            this.deadline = deadline;
        }

        @Override
        public boolean isCancelled() {
            return Instant.now().isAfter(deadline);
        }
    }

    /** Turns a JGit failure into a Flux reason and a message without secrets. */
    private static GitFetchException classify(Exception e, GitCheckoutRequest request, RemoteAccess access,
                                              Instant deadline, String action, GitReference ref) {
        String url = redactUrl(request.url());
        String refusal = access.hostKeyRefusal();
        if (refusal != null) {
            return new GitFetchException(GitFetchException.AUTHENTICATION_FAILED, "SSH host key verification failed: " + refusal);
        }
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        String messages = String.join(" | ", chain.stream().map(t -> String.valueOf(t.getMessage())).toList());
        String lower = messages.toLowerCase(Locale.ROOT);
        // JGit prefixes messages with the URL, which the message already names
        String detail = scrub(rootMessage(chain), request).replaceFirst("^[a-zA-Z+]+://\\S*?: ", "");
        if (access.expired() || Instant.now().isAfter(deadline) || chain.stream().anyMatch(t -> t instanceof InterruptedIOException)
                || lower.contains("timed out") || lower.contains("timeout")) {
            return new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, action + " from " + url
                    + " timed out after " + request.timeout().toSeconds() + "s");
        }
        if (lower.contains("cannot log in") || lower.contains("no more authentication methods")) {
            return new GitFetchException(GitFetchException.AUTHENTICATION_FAILED, "the SSH server at " + url
                    + " refused the private key (is its public key registered for this repository?): " + detail);
        }
        if (lower.contains("not authorized") || lower.contains("authentication is required")
                || lower.contains("authentication not supported") || lower.contains("auth fail")
                || lower.contains("403 forbidden") || lower.contains("permission denied")) {
            return new GitFetchException(GitFetchException.AUTHENTICATION_FAILED, "authentication to " + url
                    + " failed" + (request.auth().equals(GitAuth.none()) ? " (no credentials were given)" : "")
                    + ": " + detail);
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                return new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                        "cannot reach " + url + ": unknown host '" + scrub(String.valueOf(t.getMessage()), request) + "'");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                        "cannot reach " + url + ": " + scrub(String.valueOf(t.getMessage()), request));
            }
        }
        if (lower.contains("connection refused")) {
            return new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, "cannot reach " + url + ": connection refused");
        }
        if (lower.contains("does not have") && lower.contains("available for fetch")) {
            return new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, ref.describe() + " not found in " + url);
        }
        if (chain.stream().anyMatch(t -> t instanceof NoRemoteRepositoryException) || lower.contains("invalid remote")
                || lower.contains("does not appear to be a git repository") || lower.contains("repository not found")) {
            // a URL that parses but names no repository: may be fixed on the server side, so not URLInvalid
            return new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, "no Git repository found at " + url
                    + " (or it is not visible with the given credentials): " + detail);
        }
        if (lower.contains("uri not supported") || lower.contains("not supported") && lower.contains("uri")) {
            return new GitFetchException(GitFetchException.URL_INVALID, "'" + url + "' is not a usable Git URL: " + detail);
        }
        return new GitFetchException(GitFetchException.GIT_OPERATION_FAILED, action + " from " + url + " failed: " + detail);
    }

    private static String rootMessage(Collection<Throwable> chain) {
        // JGit's outermost message is usually the most specific one ("<url>: not authorized")
        for (Throwable t : chain) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return "unknown error";
    }

    /** Removes credentials from a message: URL user-info and any literal secret of the request. */
    static String scrub(String message, GitCheckoutRequest request) {
        String result = redactUrl(message);
        GitAuth auth = request.auth();
        List<String> secrets = new ArrayList<>(List.of(nonNull(auth.password()), nonNull(auth.bearerToken()),
                nonNull(auth.passphrase())));
        if (request.proxy() != null) {
            secrets.add(nonNull(request.proxy().password()));
        }
        for (String secret : secrets) {
            if (secret.length() >= 3) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }

    /** A URL (or any text containing URLs) without user-info. */
    public static String redactUrl(String text) {
        return text == null ? "" : text.replaceAll("(?<=://)[^/@\\s]*@", "");
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
