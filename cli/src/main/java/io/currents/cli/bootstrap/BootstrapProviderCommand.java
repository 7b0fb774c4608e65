package io.currents.cli.bootstrap;

import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.cli.ssh.SshFiles;
import io.currents.git.GitAuth;
import io.currents.git.GitSecret;
import io.currents.git.GitTls;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code currents bootstrap github|gitlab|gitea|bitbucket-server}: what flux's provider bootstrap does. Through the
 * provider's API it finds or creates the repository and gives teams access; it pushes over HTTPS with the token; the
 * cluster then syncs over SSH with a generated deploy key registered through the API (private key and known_hosts in
 * the Secret), or with {@code --token-auth} over HTTPS with the token.
 */
abstract class BootstrapProviderCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Option(names = "--owner", required = true, paramLabel = "<owner>", description = "User or organization (group, project) that owns the repository.")
    String owner;

    @Option(names = "--repository", required = true, paramLabel = "<name>", description = "Repository name.")
    String repository;

    @Option(names = "--personal", description = "The owner is a user, not an organization.")
    boolean personal;

    @Option(names = "--private", arity = "0..1", fallbackValue = "true", defaultValue = "true", paramLabel = "<bool>",
            description = "Create (or, with --reconcile, set) the repository as private (default: true).")
    boolean privateRepository;

    @Option(names = "--read-write-key", description = "Give the deploy key write access.")
    boolean readWriteKey;

    @Option(names = "--reconcile", description = "Also apply the visibility and team options to an existing repository.")
    boolean reconcile;

    @Mixin
    BootstrapOptions options;

    /** The client of a provider's API for a host, the user who pushes (see {@link #pushUser()}) and the token. */
    @FunctionalInterface
    interface ApiFactory {
        ProviderApi create(String hostname, String user, String token, String ca, Progress progress);
    }

    private final String providerName;
    private final String tokenEnv;
    private final String defaultPermission;
    private final ApiFactory apiFactory;

    /**
     * @param providerName      the provider's name in the token prompt: GitHub, GitLab, Gitea, Bitbucket
     * @param tokenEnv          the environment variable holding the token
     * @param defaultPermission the permission of a team given without one
     * @param apiFactory        the provider's API client
     */
    BootstrapProviderCommand(String providerName, String tokenEnv, String defaultPermission, ApiFactory apiFactory) {
        this.providerName = providerName;
        this.tokenEnv = tokenEnv;
        this.defaultPermission = defaultPermission;
        this.apiFactory = apiFactory;
    }

    /** --hostname, or the default host. */
    abstract String hostname();

    /** The teams (or groups) and their permission, from --team/--group: {@code name[:permission]}. */
    abstract List<String> teams();

    /** Checks a provider's own flags before anything is done. */
    void checkFlags() {
    }

    /** The target of a provider's own token kind (GitLab's --deploy-token-auth), or null for the usual two. */
    BootstrapPipeline.Target deployTokenTarget(ProviderApi api, ProviderApi.Repository repo, String name, GitAuth push, GitTls tls,
                                               Progress progress) {
        return null;
    }

    /** Who pushes over HTTPS with the token. */
    String pushUser() {
        return owner;
    }

    /** The user name stored with the token for --token-auth. */
    String syncUser() {
        return "git";
    }

    /** The visibility asked for: private or public (GitLab adds internal). */
    String visibility() {
        return privateRepository ? "private" : "public";
    }

    @Override
    public Integer call() {
        String repoPath = BootstrapPipeline.repoPath(options);
        checkFlags();
        if (options.sshSigningReusePrivateKey) {
            throw new CliException("--ssh-signing-reuse-private-key is not supported by 'bootstrap " + spec.name()
                    + "': it generates the SSH transport key itself, so there is no key of yours to reuse", ExitCodes.USAGE);
        }
        var signer = options.signer(null, null);
        if (hostname() == null || hostname().isBlank()) {
            throw new CliException("--hostname is required", ExitCodes.USAGE);
        }
        Map<String, String> teams = teamPermissions();
        Progress progress = Progress.to(spec.commandLine().getErr());
        String token = Tokens.fromEnvOrStdin(tokenEnv, spec.commandLine().getErr(),
                "Please enter your " + providerName + " personal access token (PAT): ");
        String ca = options.caCertificates();
        ProviderApi api = apiFactory.create(hostname(), pushUser(), token, ca, progress);

        progress.action("connecting to " + hostname());
        ProviderApi.Repository repo = api.reconcileRepository(new ProviderApi.RepositorySpec(owner, repository, personal, visibility(), reconcile));
        if (!teams.isEmpty()) {
            if (personal) {
                throw new CliException("--team needs an organization: a personal repository has no teams", ExitCodes.USAGE);
            }
            progress.action("reconciling repository permissions");
            api.reconcileTeams(repo, teams, reconcile);
            progress.success("reconciled repository permissions");
        }

        GitTls tls = new GitTls(ca, null, null);
        GitAuth push = GitAuth.basic(pushUser(), token).withTls(tls);
        String ns = kube.namespace();
        String keyName = DeployKey.name(ns, options.branch, options.secretName(ns), repoPath.isEmpty() ? "" : "./" + repoPath);
        BootstrapPipeline.Target target = deployTokenTarget(api, repo, keyName, push, tls, progress);
        if (target == null && options.tokenAuth) {
            GitAuth sync = GitAuth.basic(syncUser(), token).withTls(tls);
            target = new BootstrapPipeline.Target(repo.httpUrl(), push, repo.httpUrl(), (transport, existing) -> GitSecret.data(sync, null));
        } else if (target == null) {
            String syncUrl = options.sshHostname == null ? repo.sshUrl() : BootstrapGitCommand.withHost(repo.sshUrl(), options.sshHostname);
            target = new BootstrapPipeline.Target(repo.httpUrl(), push, syncUrl, (transport, existing) -> {
                if (existing) {
                    return null;
                }
                DeployKey key = DeployKey.generate(options, progress);
                if (api.reconcileDeployKey(repo, keyName, key.publicKey(), readWriteKey)) {
                    progress.success("configured deploy key \"" + keyName + "\" for \"" + repo.displayName() + "\"");
                }
                String knownHosts = SshFiles.knownHosts(syncUrl, null, options.sshHostKeyAlgorithms);
                progress.success("recorded SSH host key " + knownHosts.trim());
                return GitSecret.data(GitAuth.ssh(key.privateKey(), null, knownHosts), key.publicKey());
            });
        }
        return new BootstrapPipeline(options, kube, progress, spec.commandLine().getOut(),
                "check that the token may push to the repository (and --ca-file for a private CA)").run(target, signer);
    }

    /** flux's {@code team:permission} list, the permission defaulting per provider. */
    private Map<String, String> teamPermissions() {
        Map<String, String> teams = new LinkedHashMap<>();
        for (String team : teams()) {
            int colon = team.indexOf(':');
            String name = colon < 0 ? team : team.substring(0, colon);
            String permission = colon < 0 || colon == team.length() - 1 ? defaultPermission : team.substring(colon + 1);
            if (!List.of("pull", "triage", "push", "maintain", "admin").contains(permission)) {
                throw new CliException("invalid permission \"" + permission + "\" for team \"" + name
                        + "\": use pull, triage, push, maintain or admin", ExitCodes.USAGE);
            }
            teams.put(name.trim(), permission);
        }
        return teams;
    }
}
