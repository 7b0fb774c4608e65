package io.currents.cli.bootstrap;

import io.currents.cli.kube.KubeOptions;
import io.currents.cli.output.CliException;
import io.currents.cli.output.Confirmation;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.cli.ssh.SshFiles;
import io.currents.git.GitAuth;
import io.currents.git.GitException;
import io.currents.git.GitSecret;
import io.currents.git.GitTls;
import io.currents.git.GitTransport;
import io.currents.git.GitUrl;
import io.fabric8.kubernetes.api.model.Secret;
import org.eclipse.jgit.lib.Signer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;

/**
 * {@code currents bootstrap git}: commits the components and sync manifests to {@code <path>/<namespace>/} of a Git
 * repository, installs them, creates the Git Secret and waits until the cluster syncs itself from the repository.
 * Running it again with the same flags changes nothing; with other flags it upgrades in place.
 */
@Command(name = "git", sortOptions = false,
        description = "Bootstrap Currents from a Git repository: commit and push the manifests, install them, and let the "
                + "cluster reconcile itself from <path> in the repository.")
public final class BootstrapGitCommand implements Callable<Integer> {

    /** flux reads the password from this variable when --password is not given. */
    static final String PASSWORD_ENV = "GIT_PASSWORD";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Option(names = "--url", required = true, paramLabel = "<url>",
            description = "Git repository URL (http://, https:// or ssh://).")
    String url;

    @Option(names = {"-u", "--username"}, paramLabel = "<user>", description = "Basic authentication user name (default: git).")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "<password>",
            description = "Basic authentication password or token (or $GIT_PASSWORD); with an SSH key, the key's passphrase.")
    String password;

    @Option(names = "--private-key-file", paramLabel = "<file>",
            description = "SSH private key for an ssh:// URL; without it a deploy key is generated and printed.")
    Path privateKeyFile;

    @Option(names = {"-s", "--silent"}, description = "Assume the generated deploy key has been given access; do not ask.")
    boolean silent;

    @Option(names = "--allow-insecure-http", description = "Allow sending credentials over plain http://.")
    boolean allowInsecureHttp;

    @Option(names = "--with-bearer-token", description = "Send the password as a bearer token (Authorization header); implies --token-auth.")
    boolean withBearerToken;

    @Mixin
    BootstrapOptions options;

    @Override
    public Integer call() {
        BootstrapPipeline.repoPath(options);
        Progress progress = Progress.to(spec.commandLine().getErr());
        if (password == null && System.getenv(PASSWORD_ENV) != null && !System.getenv(PASSWORD_ENV).isEmpty()) {
            password = System.getenv(PASSWORD_ENV);
        }
        Signer signer = options.signer(privateKeyFile, password);
        boolean tokenAuth = options.tokenAuth || withBearerToken;
        BootstrapPipeline pipeline = new BootstrapPipeline(options, kube, progress, spec.commandLine().getOut(),
                "check --url and the credentials (--username/--password or --private-key-file)");
        BootstrapPipeline.Target target = GitUrl.isSsh(url) ? sshTarget(tokenAuth, progress) : httpTarget(tokenAuth);
        return pipeline.run(target, signer);
    }

    /** http(s)://: pushes and syncs with the same credentials (basic, or bearer with --with-bearer-token) and CA. */
    private BootstrapPipeline.Target httpTarget(boolean tokenAuth) {
        String scheme = URI.create(url).getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new CliException("scheme \"" + scheme + "\" is not supported; use an http://, https:// or ssh:// URL", ExitCodes.USAGE);
        }
        if (privateKeyFile != null) {
            throw new CliException("--private-key-file needs an ssh:// URL; for " + url + " use --username and --password",
                    ExitCodes.USAGE);
        }
        if (tokenAuth && password == null) {
            password = readPassword("Please enter your Git repository password: ");
        }
        if (username != null && password == null) {
            throw new CliException("--username needs --password (a password or an access token)", ExitCodes.USAGE);
        }
        GitAuth auth = password == null ? GitAuth.none()
                : withBearerToken ? GitAuth.bearer(password) : GitAuth.basic(username == null ? "git" : username, password);
        if ("http".equals(scheme) && !auth.isEmpty() && !allowInsecureHttp) {
            throw new CliException("scheme http is insecure, pass --allow-insecure-http=true to allow it", ExitCodes.USAGE);
        }
        String ca = options.caCertificates();
        auth = auth.withTls(new GitTls(ca, null, null));
        GitAuth secretAuth = auth;
        BootstrapPipeline.SyncCredentials credentials = auth.isEmpty() ? null : (transport, existing) -> GitSecret.data(secretAuth, null);
        return new BootstrapPipeline.Target(url, auth, url, credentials);
    }

    /**
     * ssh://: pushes with the key of {@code --private-key-file}, the deploy key already in the Secret (a rerun), or a new
     * deploy key printed for the person to grant (asked unless {@code --silent}); the cluster syncs with the same key
     * and the host key recorded while cloning. With {@code --token-auth} the cluster syncs over HTTPS with the password.
     */
    private BootstrapPipeline.Target sshTarget(boolean tokenAuth, Progress progress) {
        String secretName = options.secretName(kube.namespace());
        if (tokenAuth) {
            if (privateKeyFile == null) {
                throw new CliException("--token-auth with an ssh:// URL needs --private-key-file to push; the cluster then syncs over HTTPS",
                        ExitCodes.USAGE);
            }
            if (password == null) {
                password = readPassword("Please enter your Git repository password: ");
            }
            SshFiles.PrivateKey key = SshFiles.privateKey(privateKeyFile, null);
            URI ssh = URI.create(url);
            String syncUrl = (allowInsecureHttp ? "http" : "https") + "://" + ssh.getHost() + ssh.getPath();
            GitAuth basic = (withBearerToken ? GitAuth.bearer(password) : GitAuth.basic(username == null ? "git" : username, password))
                    .withTls(new GitTls(options.caCertificates(), null, null));
            return new BootstrapPipeline.Target(url, GitAuth.ssh(key.bytes(), null, null), syncUrl,
                    (transport, existing) -> GitSecret.data(basic, null));
        }
        byte[] privateKey;
        String publicKey;
        String passphrase = null;
        boolean reused = false;
        if (privateKeyFile != null) {
            SshFiles.PrivateKey key = SshFiles.privateKey(privateKeyFile, password);
            privateKey = key.bytes();
            publicKey = key.publicKeyLine();
            passphrase = password;
        } else {
            Secret existing = kube.client().secrets().inNamespace(kube.namespace()).withName(secretName).get();
            String identity = existing == null || existing.getData() == null ? null : existing.getData().get(GitSecret.IDENTITY);
            if (identity != null) {
                // a rerun: the deploy key generated the first time has access already
                privateKey = Base64.getDecoder().decode(identity);
                publicKey = null;
                reused = true;
                progress.success("using the deploy key in Secret " + kube.namespace() + "/" + secretName);
            } else {
                DeployKey key = DeployKey.generate(options, progress);
                privateKey = key.privateKey();
                publicKey = key.publicKey();
                if (!silent && !Confirmation.ask(spec.commandLine().getErr(), "Please give the key access to your repository", "--silent")) {
                    throw new CliException("aborting", ExitCodes.FAILURE);
                }
            }
        }
        String keyPassphrase = passphrase;
        boolean keep = reused;
        String syncUrl = options.sshHostname == null ? url : withHost(url, options.sshHostname);
        return new BootstrapPipeline.Target(url, GitAuth.ssh(privateKey, keyPassphrase, null), syncUrl, (transport, existing) -> {
            if (keep && existing) {
                return null;
            }
            return GitSecret.data(GitAuth.ssh(privateKey, keyPassphrase, knownHosts(transport, syncUrl)), publicKey);
        });
    }

    /** The host keys recorded while cloning; when the cluster syncs from another SSH host (--ssh-hostname), that host's key. */
    private String knownHosts(GitTransport transport, String syncUrl) {
        if (!syncUrl.equals(url)) {
            return SshFiles.knownHosts(syncUrl, null, options.sshHostKeyAlgorithms);
        }
        return String.join("\n", transport.recordedHostKeys()) + "\n";
    }

    /** {@code url} with its host (and port) replaced by {@code hostname}, as flux's --ssh-hostname. */
    static String withHost(String url, String hostname) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + (u.getUserInfo() == null ? "" : u.getUserInfo() + "@") + hostname + u.getRawPath();
    }

    private String readPassword(String prompt) {
        return Tokens.fromStdin(spec.commandLine().getErr(), prompt, "pass --password or set " + PASSWORD_ENV);
    }
}
