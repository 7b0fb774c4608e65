package io.currents.cli.bootstrap;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.git.GitAuth;
import io.currents.git.GitSecret;
import io.currents.git.GitTls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code currents bootstrap gitlab}: bootstrap from a GitLab project; token in $GITLAB_TOKEN. */
@Command(name = "gitlab", sortOptions = false,
        description = "Bootstrap from a GitLab project, created if missing; the token is read from $GITLAB_TOKEN.")
final class BootstrapGitLabCommand extends BootstrapProviderCommand {

    BootstrapGitLabCommand() {
        super("GitLab", "GITLAB_TOKEN", "maintain", (hostname, user, token, ca, progress) -> new GitLabApi(hostname, token, ca, progress));
    }

    @Option(names = "--hostname", defaultValue = GitLabApi.DEFAULT_HOST, paramLabel = "<host>", description = "GitLab host name (default: ${DEFAULT-VALUE}).")
    String hostname;

    @Option(names = "--team", split = ",", paramLabel = "<group[:permission]>",
            description = "Group to share the project with (pull, triage, push, maintain or admin; default maintain).")
    List<String> teams = List.of();

    @Option(names = "--visibility", paramLabel = "<private|internal|public>",
            description = "Visibility of the project (default: private; overrides the deprecated --private).")
    String visibility;

    @Option(names = "--deploy-token-auth",
            description = "Sync over HTTPS with a project deploy token (read_repository) made through the API, instead of an SSH deploy key.")
    boolean deployTokenAuth;

    @Override
    void checkFlags() {
        if (options.tokenAuth && deployTokenAuth) {
            throw new CliException("--token-auth and --deploy-token-auth cannot be set both", ExitCodes.USAGE);
        }
        visibility();
    }

    @Override
    BootstrapPipeline.Target deployTokenTarget(ProviderApi api, ProviderApi.Repository repo, String name, GitAuth push, GitTls tls,
                                               Progress progress) {
        if (!deployTokenAuth) {
            return null;
        }
        return new BootstrapPipeline.Target(repo.httpUrl(), push, repo.httpUrl(), (transport, existing) -> {
            progress.action("checking to reconcile deploy token for source secret");
            GitLabApi.DeployToken token = ((GitLabApi) api).reconcileDeployToken(repo, name, !existing);
            if (token == null) {
                progress.success("reconciled deploy token for source secret");
                return null;
            }
            progress.success("configured deploy token \"" + name + "\" for \"" + repo.displayName() + "\"");
            return GitSecret.data(GitAuth.basic(token.username(), token.token()).withTls(tls), null);
        });
    }

    @Override
    String hostname() {
        return hostname;
    }

    @Override
    List<String> teams() {
        return teams;
    }

    @Override
    String visibility() {
        if (visibility == null) {
            return super.visibility();
        }
        if (!List.of("private", "internal", "public").contains(visibility)) {
            throw new CliException("invalid --visibility '" + visibility + "': use private, internal or public", ExitCodes.USAGE);
        }
        return visibility;
    }
}
