package io.currents.git;

import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LsRemoteCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
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
import org.eclipse.jgit.transport.URIish;

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
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fetches one revision of a Git repository with JGit, the way Flux's source-controller does for a
 * GitRepository: resolve the reference, fetch as little history as it needs, verify OpenPGP
 * signatures, write the files (sparse, size-limited, symlinks kept inside) and name the result
 * with Flux's revision format. Stateless and safe to share between operations.
 */
public class GitFetcher {

    private static final Pattern FULL_SHA1 = Pattern.compile("[0-9a-fA-F]{40}");
    private static final String SHA1 = "@sha1:";

    private final boolean fluxUrlsOnly;
    private final Path sshDirectory;
    private final Function<String, String> destinationCheck;

    /** A fetcher with Flux's GitRepository rules: http(s) and ssh URLs only, SSH keys and host keys from the request. */
    public GitFetcher() {
        this(true, null, null);
    }

    private GitFetcher(boolean fluxUrlsOnly, Path sshDirectory, Function<String, String> destinationCheck) {
        this.fluxUrlsOnly = fluxUrlsOnly;
        this.sshDirectory = sshDirectory;
        this.destinationCheck = destinationCheck;
    }

    /**
     * This fetcher with a check of every host it connects to, the repository's and each submodule's: the check
     * answers why a host is refused, or null. With a check, HTTP redirects are not followed (JGit's
     * {@code http.followRedirects=false}): a redirect could lead where the request itself may not go.
     */
    public GitFetcher withDestinationCheck(Function<String, String> check) {
        return new GitFetcher(fluxUrlsOnly, sshDirectory, check);
    }

    /**
     * A fetcher for the URL forms a tool like kustomize accepts (any JGit URL: {@code file://}, scp-like
     * {@code git@host:path}, ...); over SSH it uses the OpenSSH directory given (null: the request's
     * credentials, as for a GitRepository).
     */
    public static GitFetcher anyUrl(Path sshDirectory) {
        return new GitFetcher(false, sshDirectory, null);
    }

    /**
     * The references the remote advertises (full names such as {@code refs/heads/main}, {@code HEAD})
     * and the commit or tag each points at, learnt with one ls-remote.
     */
    public Map<String, String> remoteRefs(GitCheckoutRequest request) throws GitException {
        Remote remote = remote(request.url());
        Instant deadline = Instant.now().plus(request.timeout());
        try (GitTransport transport = transport(request, remote)) {
            transport.stopAt(deadline);
            Map<String, String> names = new java.util.LinkedHashMap<>();
            lsRemote(remote, request, transport, null, deadline).forEach((name, ref) -> {
                if (ref.getObjectId() != null) {
                    names.put(name, ref.getObjectId().name());
                }
            });
            return names;
        }
    }

    /**
     * The revision a checkout of {@code request} would produce, learnt with a single ls-remote
     * (no clone), or empty when only a checkout can tell (an abbreviated commit id). Lets a
     * reconciler skip the fetch when the stored artifact already has this revision.
     */
    public Optional<String> remoteRevision(GitCheckoutRequest request) throws GitException {
        Remote remote = remote(request.url());
        GitReference ref = request.ref();
        if (ref.kind() == GitReference.Kind.COMMIT) {
            if (!FULL_SHA1.matcher(ref.commit()).matches()) {
                return Optional.empty();
            }
            String sha = ref.commit().toLowerCase(Locale.ROOT);
            return Optional.of(GitReference.present(ref.branch()) ? ref.branch() + SHA1 + sha : "sha1:" + sha);
        }
        Instant deadline = Instant.now().plus(request.timeout());
        try (GitTransport access = transport(request, remote)) {
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
    public GitCheckout checkout(GitCheckoutRequest request, Path dir) throws GitException {
        return checkout(request, dir, GitMirrors.none(), null);
    }

    /**
     * Fetches and writes the requested revision into {@code dir} (created if missing, must be empty).
     * With mirrors enabled, the Git database is {@code owner}'s mirror, kept between calls, so that
     * the fetch only transfers what the mirror lacks; a pinned commit is always fetched afresh into
     * {@code dir/.git} (it needs full history, which the shallow mirror does not keep).
     */
    public GitCheckout checkout(GitCheckoutRequest request, Path dir, GitMirrors mirrors, String owner) throws GitException {
        Remote remote = remote(request.url());
        OpenPgpKeys keys = request.verificationMode() == null ? null : new OpenPgpKeys(request.publicKeys());
        VerificationMode mode = request.verificationMode() == null ? null : VerificationMode.parse(request.verificationMode());
        prepare(dir);
        if (!mirrors.enabled() || request.ref().kind() == GitReference.Kind.COMMIT) {
            return checkoutInto(request, remote, keys, mode, dir, dir.resolve(Constants.DOT_GIT));
        }
        return mirrors.with(owner, remote.url(), gitDir -> {
            // a retry after a damaged mirror starts again from an empty directory
            WorkTree.clear(dir);
            return checkoutInto(request, remote, keys, mode, dir, gitDir);
        });
    }

    private GitCheckout checkoutInto(GitCheckoutRequest request, Remote remote, OpenPgpKeys keys, VerificationMode mode,
                                     Path dir, Path gitDir) throws GitException {
        Instant deadline = Instant.now().plus(request.timeout());
        try (GitTransport access = transport(request, remote);
             Repository repo = openRepository(gitDir, destinationCheck != null)) {
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
                    throw new GitException(GitException.GIT_OPERATION_FAILED, "checking out "
                            + request.ref().describe() + " from " + GitUrl.redact(request.url()) + " timed out after "
                            + GitErrors.format(request.timeout()));
                }
                throw e;
            }
        } catch (IOException e) {
            // a missing object or an unreadable pack: in a mirror, a fresh database can do better
            throw new GitMirrors.Damaged(new GitException(GitException.GIT_OPERATION_FAILED,
                    "writing the checkout failed: " + GitUrl.redact(String.valueOf(e.getMessage()))));
        }
    }

    private record Fetched(RevCommit commit, RevTag tag, String tagName, String revision) {
    }

    private enum VerificationMode {
        HEAD, TAG, TAG_AND_HEAD;

        static VerificationMode parse(String mode) throws GitException {
            return switch (mode) {
                case "HEAD", "head" -> HEAD;
                case "Tag", "tag" -> TAG;
                case "TagAndHEAD", "tagandhead" -> TAG_AND_HEAD;
                default -> throw new GitException(GitException.VERIFICATION_ERROR,
                        "verification mode '" + mode + "' is not one of HEAD, Tag, TagAndHEAD");
            };
        }
    }

    /** A validated remote URL. */
    private record Remote(String url, boolean ssh) {
    }

    private Remote remote(String url) throws GitException {
        Remote remote;
        if (fluxUrlsOnly) {
            String valid = GitUrl.validate(url);
            remote = new Remote(valid, GitUrl.isSsh(valid));
        } else if (url == null || url.isBlank()) {
            throw new GitException(GitException.URL_INVALID, "the repository URL is empty");
        } else {
            remote = new Remote(url.trim(), GitUrl.isSsh(url));
        }
        if (destinationCheck != null) {
            String host;
            try {
                host = new URIish(remote.url()).getHost();
            } catch (URISyntaxException e) {
                throw new GitException(GitException.URL_INVALID, "invalid repository URL '" + GitUrl.redact(remote.url()) + "'");
            }
            // a URL without a host (a local path, file://) reaches no network destination
            String why = host == null || host.isBlank() ? null : destinationCheck.apply(host);
            if (why != null) {
                throw new GitException(GitException.GIT_OPERATION_FAILED,
                        "refusing to connect to " + GitUrl.redact(remote.url()) + ": " + why);
            }
        }
        return remote;
    }

    private GitTransport transport(GitCheckoutRequest request, Remote remote) throws GitException {
        GitTransport.Builder builder = GitTransport.builder(remote.url()).auth(request.auth()).proxy(request.proxy());
        if (remote.ssh() && sshDirectory != null) {
            builder.sshDirectory(sshDirectory);
        }
        return builder.build();
    }

    private Fetched fetch(Repository repo, Remote remote, GitCheckoutRequest request, GitTransport access,
                          Instant deadline) throws GitException, IOException {
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
                if (!name.startsWith("refs/") && !name.equals(Constants.HEAD)) {
                    throw new GitException(GitException.GIT_OPERATION_FAILED,
                            "ref name '" + name + "' must be a full reference name starting with 'refs/'");
                }
                // HEAD is fetched into a ref of its own: the local HEAD is this repository's, not the remote's
                String local = name.equals(Constants.HEAD) ? "refs/fetched/HEAD" : name;
                fetchRefs(repo, remote, request, access, deadline, 1, ref, new RefSpec("+" + name + ":" + local));
                return resolved(repo, local, name, name.startsWith(Constants.R_TAGS) ? name.substring(Constants.R_TAGS.length()) : null);
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

    private Fetched fetchTag(Repository repo, Remote remote, GitCheckoutRequest request, GitTransport access,
                             Instant deadline, String tag, GitReference ref) throws GitException, IOException {
        String name = Constants.R_TAGS + tag;
        fetchRefs(repo, remote, request, access, deadline, 1, ref, new RefSpec("+" + name + ":" + name));
        return resolved(repo, name, tag, tag);
    }

    private static Fetched resolved(Repository repo, String localRef, String revisionName, String tagName)
            throws IOException, GitException {
        Ref ref = repo.exactRef(localRef);
        if (ref == null) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "'" + revisionName + "' was not fetched");
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
                throw new GitException(GitException.GIT_OPERATION_FAILED,
                        "'" + revisionName + "' does not point to a commit");
            }
            walk.parseBody(commit);
            return new Fetched(commit, tag, tagName, revisionName + SHA1 + commit.name());
        }
    }

    private static RevCommit commit(Repository repo, GitReference ref) throws GitException, IOException {
        String where = GitReference.present(ref.branch()) ? " on branch '" + ref.branch() + "'" : "";
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId id = repo.resolve(ref.commit() + "^{commit}");
            if (id == null) {
                throw new GitException(GitException.GIT_OPERATION_FAILED, "commit '" + ref.commit() + "' not found" + where);
            }
            RevCommit commit = walk.parseCommit(id);
            walk.parseBody(commit);
            return commit;
        } catch (AmbiguousObjectException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED,
                    "commit id '" + ref.commit() + "' is ambiguous" + where + ": give more digits");
        } catch (MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "commit '" + ref.commit() + "' not found" + where);
        } catch (org.eclipse.jgit.errors.RevisionSyntaxException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "'" + ref.commit() + "' is not a commit id");
        }
    }

    private void fetchRefs(Repository repo, Remote remote, GitCheckoutRequest request, GitTransport access,
                           Instant deadline, int depth, GitReference ref, RefSpec... specs) throws GitException {
        FetchMonitor monitor = new FetchMonitor(deadline, repo.getDirectory().toPath(), request.maxFetchBytes());
        try (Git git = new Git(repo)) {
            FetchCommand fetch = access.configure(git.fetch(), deadline)
                    .setRemote(remote.url())
                    .setRefSpecs(specs)
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setProgressMonitor(monitor);
            if (depth > 0) {
                fetch.setDepth(depth);
            }
            fetch.call();
        } catch (GitAPIException | JGitInternalException e) {
            if (monitor.overLimit()) {
                throw new GitException(GitException.GIT_OPERATION_FAILED, "fetching " + ref.describe() + " from "
                        + GitUrl.redact(request.url()) + ": the repository is over the limit of " + request.maxFetchBytes() + " bytes");
            }
            GitException failure = GitErrors.classify(e, request.url(), access, request.timeout(), deadline,
                    "fetching " + ref.describe(), ref.describe());
            throw local(e, access, deadline) ? new GitMirrors.Damaged(failure) : failure;
        }
        if (monitor.overLimit()) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "fetching " + ref.describe() + " from "
                    + GitUrl.redact(request.url()) + ": the repository is over the limit of " + request.maxFetchBytes() + " bytes");
        }
    }

    /**
     * A fetch failure of the local database (a missing or corrupt object, a stale lock), not of the
     * remote or the network. JGit reports some of them as transport errors, so the cause decides.
     */
    private static boolean local(Exception e, GitTransport access, Instant deadline) {
        if (access.expired() || Instant.now().isAfter(deadline)) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MissingObjectException || t instanceof org.eclipse.jgit.errors.CorruptObjectException
                    || t instanceof org.eclipse.jgit.errors.LockFailedException
                    || t instanceof org.eclipse.jgit.errors.PackInvalidException
                    || t instanceof org.eclipse.jgit.errors.PackMismatchException) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Ref> lsRemote(Remote remote, GitCheckoutRequest request, GitTransport access,
                                      GitReference.Kind kind, Instant deadline) throws GitException {
        try (Repository noRedirects = destinationCheck == null ? null
                : new InMemoryRepository(new DfsRepositoryDescription("ls-remote"))) {
            // without a local repository JGit reads http.followRedirects from the user's config; give it one that says no
            if (noRedirects != null) {
                noRedirects.getConfig().setBoolean("http", null, "followRedirects", false);
            }
            LsRemoteCommand ls = access.configure(noRedirects == null ? Git.lsRemoteRepository() : Git.wrap(noRedirects).lsRemote(),
                    deadline).setRemote(remote.url());
            if (kind == GitReference.Kind.BRANCH) {
                ls.setHeads(true);
            } else if (kind == GitReference.Kind.TAG || kind == GitReference.Kind.SEMVER) {
                ls.setTags(true);
            }
            return ls.callAsMap();
        } catch (GitAPIException | JGitInternalException e) {
            throw GitErrors.classify(e, request.url(), access, request.timeout(), deadline, "listing the remote's references",
                    kind == null ? null : request.ref().describe());
        }
    }

    private Repository fetchSubmodule(Path dir, String path, String url, ObjectId commit, GitCheckoutRequest request,
                                      GitTransport access, Instant deadline) throws GitException {
        Remote remote = remote(url);
        if (remote.ssh() != GitUrl.isSsh(request.url())) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "submodule '" + path + "' uses "
                    + (remote.ssh() ? "SSH" : "HTTP(S)") + " but the repository's credentials are for the other transport");
        }
        GitReference ref = GitReference.commit(commit.name(), null);
        try {
            Repository repo = openRepository(dir.resolve(Constants.DOT_GIT).resolve("modules").resolve(path), destinationCheck != null);
            // the recorded commit may be anywhere in the submodule's history: fetch it all
            fetchRefs(repo, remote, request, access, deadline, 0, ref,
                    new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"));
            if (!repo.getObjectDatabase().has(commit)) {
                repo.close();
                throw new GitException(GitException.GIT_OPERATION_FAILED, "submodule '" + path
                        + "' commit " + commit.name() + " is not on any branch or tag of " + GitUrl.redact(url));
            }
            return repo;
        } catch (IOException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED,
                    "cannot prepare submodule '" + path + "': " + e.getMessage());
        }
    }

    private SignatureVerification verify(VerificationMode mode, OpenPgpKeys keys, Fetched fetched, GitReference ref)
            throws GitException {
        String commitKey = null;
        String tagKey = null;
        if (mode != VerificationMode.HEAD) {
            if (fetched.tagName() == null) {
                throw new GitException(GitException.VERIFICATION_ERROR, "cannot verify a tag signature: "
                        + ref.describe() + " is not a tag (use ref.tag, ref.semver or a refs/tags/ name)");
            }
            if (fetched.tag() == null) {
                throw new GitException(GitException.VERIFICATION_ERROR,
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

    private static ObjectId target(Map<String, Ref> refs, String name, GitReference ref) throws GitException {
        Ref found = refs.get(name);
        if (found == null || found.getObjectId() == null) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, ref.describe() + " not found in the remote repository");
        }
        // annotated tags: the revision names the commit, not the tag object
        return found.getPeeledObjectId() != null ? found.getPeeledObjectId() : found.getObjectId();
    }

    private static String highestTag(GitReference ref, Map<String, Ref> refs) throws GitException {
        List<String> tags = new ArrayList<>();
        for (String name : refs.keySet()) {
            if (name.startsWith(Constants.R_TAGS) && !name.endsWith("^{}")) {
                tags.add(name.substring(Constants.R_TAGS.length()));
            }
        }
        return SemverTags.highest(ref.semver(), tags).orElseThrow(() -> new GitException(
                GitException.GIT_OPERATION_FAILED, "no tag matches semver range '" + ref.semver() + "' ("
                        + tags.size() + " tags in the repository)"));
    }

    private static void prepare(Path dir) throws GitException {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new GitException(GitException.GIT_OPERATION_FAILED,
                            "checkout directory " + dir + " is not empty");
                }
            }
        } catch (IOException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED,
                    "cannot create checkout directory " + dir + ": " + e.getMessage());
        }
    }

    private static Repository openRepository(Path gitDir, boolean noRedirects) throws IOException {
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
        if (noRedirects) {
            // in memory only, read by JGit's HTTP transport when this repository fetches
            repo.getConfig().setBoolean("http", null, "followRedirects", false);
        }
        return repo;
    }

    /**
     * Cancels a running fetch once the deadline has passed or, with a limit, once the Git database
     * on disk grows over it (measured at most every 100ms while objects arrive).
     */
    private static final class FetchMonitor extends EmptyProgressMonitor {
        private final Instant deadline;
        private final Path gitDir;
        private final long maxBytes;
        private long lastMeasured;
        private volatile boolean overLimit;

        FetchMonitor(Instant deadline, Path gitDir, long maxBytes) {
            this.deadline = deadline;
            this.gitDir = gitDir;
            // a mirror already holds earlier fetches: the limit is on what this fetch adds
            this.maxBytes = maxBytes > 0 ? maxBytes + WorkTree.sizeOf(gitDir) : maxBytes;
        }

        @Override
        public boolean isCancelled() {
            if (maxBytes > 0 && System.nanoTime() - lastMeasured > 100_000_000L) {
                lastMeasured = System.nanoTime();
                if (WorkTree.sizeOf(gitDir) > maxBytes) {
                    overLimit = true;
                }
            }
            return overLimit || Instant.now().isAfter(deadline);
        }

        boolean overLimit() {
            if (maxBytes > 0 && !overLimit && WorkTree.sizeOf(gitDir) > maxBytes) {
                overLimit = true;
            }
            return overLimit;
        }
    }
}
