package io.currents.cli.ops.create;

import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositoryRef;
import io.currents.api.source.v1.GitRepositorySpec;
import io.currents.cli.ops.FluxKind;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code currents create source git}: a GitRepository, with a credentials Secret of its name when flags give credentials. */
@Command(mixinStandardHelpOptions = true)
final class SourceGitCommand extends SourceCommand {

    @Option(names = "--url", required = true, description = "Git repository address (https:// or ssh://).")
    String url;
    @Option(names = "--branch", description = "Git branch.")
    String branch;
    @Option(names = "--tag", description = "Git tag.")
    String tag;
    @Option(names = "--tag-semver", description = "Git tag semver range.")
    String semver;
    @Option(names = "--commit", description = "Git commit SHA.")
    String commit;
    @Option(names = "--ref-name", description = "Git reference name, e.g. refs/heads/main.")
    String refName;
    @Mixin
    GitCredentialOptions credentials = new GitCredentialOptions();
    @Option(names = "--secret-ref", description = "Name of an existing Secret with the credentials.")
    String secretRef;
    @Option(names = "--ignore-paths", split = ",", description = "Paths to ignore, in .gitignore format.")
    List<String> ignorePaths = new ArrayList<>();
    @Option(names = "--recurse-submodules", description = "Clone submodules too.")
    boolean recurseSubmodules;

    SourceGitCommand() {
        super(FluxKind.GIT_REPOSITORY, true);
    }

    @Override
    GitRepository object() {
        boolean ssh = credentials.checkUrl(url);
        if (ssh && credentials.privateKeyFile == null && secretRef == null) {
            throw new CliException("an SSH URL needs --private-key-file or --secret-ref", ExitCodes.USAGE);
        }
        if (branch == null && tag == null && semver == null && commit == null && refName == null) {
            throw new CliException("a Git ref is required; use one of --branch, --tag, --tag-semver, --commit or --ref-name", ExitCodes.USAGE);
        }
        GitRepositoryRef ref = new GitRepositoryRef();
        ref.setBranch(branch);
        ref.setTag(tag);
        ref.setSemver(semver);
        ref.setCommit(commit);
        ref.setName(refName);
        GitRepositorySpec spec = new GitRepositorySpec();
        spec.setInterval(interval.formatted());
        spec.setRef(ref);
        spec.setUrl(url);
        spec.setIgnore(Flags.orNull(String.join("\n", ignorePaths)));
        spec.setRecurseSubmodules(Flags.trueOrNull(recurseSubmodules));
        spec.setSecretRef(secretRef(secretRef, credentials.given()));
        return flux(new GitRepository(), spec);
    }

    @Override
    List<Secret> prerequisites() {
        if (secretRef != null || !credentials.given()) {
            return List.of();
        }
        return List.of(credentials.secret(metadata(name), url, null, null));
    }
}
