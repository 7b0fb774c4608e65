package io.currents.cli.bootstrap;

import io.currents.cli.output.CliException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/** A local clone of the bootstrap repository's branch (or a new repository when the branch does not exist yet). */
final class GitWorkspace implements AutoCloseable {

    private final Git git;
    private final Path dir;
    private final String url;
    private final String branch;
    private final GitCredentials credentials;

    private GitWorkspace(Git git, Path dir, String url, String branch, GitCredentials credentials) {
        this.git = git;
        this.dir = dir;
        this.url = url;
        this.branch = branch;
        this.credentials = credentials;
    }

    /** Clones {@code branch} of {@code url} into {@code dir}; initialises an empty repository when the branch is missing. */
    static GitWorkspace open(String url, String branch, GitCredentials credentials, Path dir) {
        try {
            Collection<Ref> heads = Git.lsRemoteRepository().setRemote(url).setHeads(true)
                    .setTransportConfigCallback(credentials).call();
            boolean exists = heads.stream().anyMatch(r -> r.getName().equals(Constants.R_HEADS + branch));
            Git git;
            if (exists) {
                git = Git.cloneRepository().setURI(url).setDirectory(dir.toFile()).setBranch(branch)
                        .setBranchesToClone(java.util.List.of(Constants.R_HEADS + branch))
                        .setTransportConfigCallback(credentials).call();
            } else {
                git = Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call();
                git.remoteAdd().setName("origin").setUri(new URIish(url)).call();
            }
            return new GitWorkspace(git, dir, url, branch, credentials);
        } catch (TransportException e) {
            throw new CliException("cannot read the Git repository " + redact(url) + ": " + firstLine(e.getMessage())
                    + "; check --url and the credentials (--username/--password or --private-key-file)", 1, e);
        } catch (GitAPIException | java.net.URISyntaxException e) {
            throw new CliException("cannot clone " + redact(url) + ": " + firstLine(e.getMessage()), 1, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** The commit id at the tip of the local branch, or null before the first commit. */
    String head() {
        try {
            var id = git.getRepository().resolve(Constants.HEAD);
            return id == null ? null : id.getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the files (path relative to the repository root → content); true when the working tree now differs from HEAD. */
    boolean write(Map<String, String> files) {
        try {
            for (var e : files.entrySet()) {
                Path file = dir.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
            }
            return !git.status().call().isClean();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new CliException("cannot read the status of the clone: " + firstLine(e.getMessage()), 1, e);
        }
    }

    /** Commits everything under {@code subdirectory} and returns the new commit's id. */
    String commit(String subdirectory, String message, PersonIdent author) {
        try {
            git.add().addFilepattern(subdirectory).call();
            git.add().addFilepattern(subdirectory).setUpdate(true).call();
            RevCommit commit = git.commit().setMessage(message).setAuthor(author).setCommitter(author).setSign(false).call();
            return commit.getName();
        } catch (GitAPIException e) {
            throw new CliException("cannot commit the manifests: " + firstLine(e.getMessage()), 1, e);
        }
    }

    /** Pushes the branch; fails when the remote rejects it (e.g. someone pushed in between). */
    void push() {
        try {
            Iterable<PushResult> results = git.push().setRemote("origin")
                    .setRefSpecs(new RefSpec(Constants.R_HEADS + branch + ":" + Constants.R_HEADS + branch))
                    .setTransportConfigCallback(credentials).call();
            for (PushResult result : results) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new CliException("the push to " + redact(url) + " was rejected (" + update.getStatus()
                                + (update.getMessage() == null ? "" : ": " + update.getMessage())
                                + "); if the branch moved meanwhile, run bootstrap again", 1);
                    }
                }
            }
        } catch (TransportException e) {
            throw new CliException("cannot push to " + redact(url) + ": " + firstLine(e.getMessage())
                    + "; the credentials need write access to the repository", 1, e);
        } catch (GitAPIException e) {
            throw new CliException("cannot push to " + redact(url) + ": " + firstLine(e.getMessage()), 1, e);
        }
    }

    @Override
    public void close() {
        git.close();
    }

    static String redact(String url) {
        return url.replaceAll("(?<=://)[^/@]*@", "");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
