package io.currents.cli.ops.create;

import io.currents.api.image.v1.CommitSpec;
import io.currents.api.image.v1.CommitUser;
import io.currents.api.image.v1.CrossNamespaceSourceReference;
import io.currents.api.image.v1.GitCheckoutSpec;
import io.currents.api.image.v1.GitSpec;
import io.currents.api.image.v1.ImageUpdateAutomation;
import io.currents.api.image.v1.ImageUpdateAutomationSpec;
import io.currents.api.image.v1.PushSpec;
import io.currents.api.image.v1.UpdateStrategy;
import io.currents.api.source.v1.GitRepositoryRef;
import io.currents.cli.ops.FluxKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code currents create image update}: an ImageUpdateAutomation committing the policies' images to a GitRepository. */
@Command(mixinStandardHelpOptions = true)
final class ImageUpdateCommand extends CreateCommand {

    @Option(names = "--git-repo-ref", required = true, description = "Name of the GitRepository to update.")
    String gitRepoRef;
    @Option(names = "--git-repo-namespace", description = "Namespace of the GitRepository.")
    String gitRepoNamespace;
    @Option(names = "--git-repo-path", defaultValue = "./", description = "Path in the repository to update (default: ${DEFAULT-VALUE}).")
    String gitRepoPath;
    @Option(names = "--checkout-branch", description = "Branch to check out (default: the GitRepository's).")
    String checkoutBranch;
    @Option(names = "--push-branch", description = "Branch to push to (default: the checkout branch).")
    String pushBranch;
    @Option(names = "--author-name", required = true, description = "Commit author name.")
    String authorName;
    @Option(names = "--author-email", required = true, description = "Commit author email.")
    String authorEmail;
    @Option(names = "--commit-template", description = "Commit message template.")
    String commitTemplate;
    @Mixin
    IntervalOption interval = new IntervalOption();

    ImageUpdateCommand() {
        super(FluxKind.IMAGE_UPDATE_AUTOMATION, FluxKind.IMAGE_UPDATE_AUTOMATION.kind(), true);
    }

    @Override
    ImageUpdateAutomation object() {
        GitSpec git = new GitSpec();
        if (checkoutBranch != null) {
            GitRepositoryRef ref = new GitRepositoryRef();
            ref.setBranch(checkoutBranch);
            GitCheckoutSpec checkout = new GitCheckoutSpec();
            checkout.setRef(ref);
            git.setCheckout(checkout);
        }
        CommitUser author = new CommitUser();
        author.setEmail(authorEmail);
        author.setName(authorName);
        CommitSpec commit = new CommitSpec();
        commit.setAuthor(author);
        commit.setMessageTemplate(Flags.orNull(commitTemplate));
        git.setCommit(commit);
        if (pushBranch != null) {
            PushSpec push = new PushSpec();
            push.setBranch(pushBranch);
            git.setPush(push);
        }
        UpdateStrategy update = new UpdateStrategy();
        update.setPath(gitRepoPath);
        update.setStrategy("Setters");
        ImageUpdateAutomationSpec spec = new ImageUpdateAutomationSpec();
        spec.setGit(git);
        spec.setInterval(interval.formatted());
        spec.setSourceRef(new ObjectRef("GitRepository", gitRepoRef, Flags.orNull(gitRepoNamespace)).as(CrossNamespaceSourceReference.class));
        spec.setUpdate(update);
        return flux(new ImageUpdateAutomation(), spec);
    }
}
