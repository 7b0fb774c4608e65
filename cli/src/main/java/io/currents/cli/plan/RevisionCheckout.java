package io.currents.cli.plan;

import io.currents.cli.ops.LocalBuild;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.git.GitCheckout;
import io.currents.git.GitCheckoutRequest;
import io.currents.git.GitException;
import io.currents.git.GitFetcher;
import io.currents.git.GitReference;
import io.currents.kustomize.RemoteResources;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One revision of the planned repository, written to a temporary directory by the git module's fetcher (the same
 * checkout source-controller makes: size-limited, no path escape). A local clone's revision is first resolved with
 * its own refs (so {@code HEAD~1}, tags and short ids work); a URL takes a branch, a full ref name or a full commit id.
 */
final class RevisionCheckout implements AutoCloseable {

    private static final Pattern FULL_SHA1 = Pattern.compile("[0-9a-fA-F]{40}");
    private static final long MAX_CHECKOUT_BYTES = 512L * 1024 * 1024;

    private final Path dir;
    private final String revision;

    private RevisionCheckout(Path dir, String revision) {
        this.dir = dir;
        this.revision = revision;
    }

    /** The checked-out files. */
    Path dir() {
        return dir;
    }

    /** Flux's revision string: {@code <rev>@sha1:<commit>}. */
    String revision() {
        return revision;
    }

    static RevisionCheckout of(String repository, String rev) {
        Path local = Path.of(repository);
        String url;
        GitReference ref;
        if (Files.isDirectory(local)) {
            try (Repository repo = new FileRepositoryBuilder().findGitDir(local.toAbsolutePath().toFile()).setMustExist(true).build()) {
                ObjectId id = repo.resolve(rev + "^{commit}");
                if (id == null) {
                    throw new CliException("revision '" + rev + "' not found in " + local + "; give a branch, tag or commit of that repository",
                            ExitCodes.USAGE);
                }
                url = repo.getDirectory().toPath().toUri().toString();
                ref = GitReference.commit(id.name(), null);
            } catch (org.eclipse.jgit.errors.RevisionSyntaxException e) {
                throw new CliException("'" + rev + "' is not a revision: " + e.getMessage(), ExitCodes.USAGE, e);
            } catch (IOException | IllegalArgumentException e) {
                throw new CliException(local + " is not a Git repository (" + e.getMessage() + "); pass --repo <clone or URL>",
                        ExitCodes.USAGE, e);
            }
        } else {
            url = repository;
            ref = FULL_SHA1.matcher(rev).matches() ? GitReference.commit(rev, null)
                    : rev.startsWith("refs/") ? GitReference.name(rev) : GitReference.branch(rev);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("currents-plan-");
        } catch (IOException e) {
            throw new CliException("cannot create a temporary directory: " + e.getMessage(), ExitCodes.FAILURE, e);
        }
        try {
            GitCheckoutRequest request = GitCheckoutRequest.of(url, ref);
            request = new GitCheckoutRequest(request.url(), request.ref(), null, null, null, false, null, MAX_CHECKOUT_BYTES, 0, null, null);
            GitCheckout checkout = GitFetcher.anyUrl(RemoteResources.userSshDirectory()).checkout(request, dir);
            String name = ref.kind() == GitReference.Kind.COMMIT ? rev : checkout.revision().substring(0, checkout.revision().indexOf('@'));
            return new RevisionCheckout(dir, name + "@sha1:" + checkout.commit());
        } catch (GitException e) {
            LocalBuild.delete(dir);
            throw new CliException("cannot check out '" + rev + "': " + e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    @Override
    public void close() {
        LocalBuild.delete(dir);
    }
}
