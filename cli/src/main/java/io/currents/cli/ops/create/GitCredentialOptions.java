package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.ssh.SshFiles;
import io.currents.git.GitAuth;
import io.currents.git.GitSecret;
import io.currents.git.GitTls;
import io.currents.git.GitUrl;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The Git credential flags of {@code create source git} and {@code create secret git}, and the Secret they make in the
 * layout source-controller reads ({@link GitSecret}). For SSH the server's host key is scanned, as flux does, unless a
 * known_hosts file is given.
 */
final class GitCredentialOptions {

    @Option(names = {"-u", "--username"}, description = "Basic authentication username.")
    String username;
    @Option(names = {"-p", "--password"}, description = "Basic authentication password; with --private-key-file, its passphrase.")
    String password;
    @Option(names = "--private-key-file", description = "SSH private key file (for ssh:// URLs).")
    Path privateKeyFile;
    @Option(names = "--known-hosts-file", description = "known_hosts file with the SSH host keys (default: scanned from the server).")
    Path knownHostsFile;

    /** Whether any credentials were given that need a Secret. */
    boolean given() {
        return username != null || privateKeyFile != null;
    }

    /** Checks the URL's scheme (http, https or ssh) and that the key flag matches it; returns whether it is SSH. */
    boolean checkUrl(String url) {
        String scheme = URI.create(url).getScheme();
        if (scheme == null || !List.of("http", "https", "ssh").contains(scheme.toLowerCase(Locale.ROOT))) {
            throw new CliException("git URL scheme '" + scheme + "' is not supported; use http://, https:// or ssh://", ExitCodes.USAGE);
        }
        boolean ssh = GitUrl.isSsh(url);
        if (privateKeyFile != null && !ssh) {
            throw new CliException("--private-key-file needs an ssh:// URL; for " + url + " use --username and --password", ExitCodes.USAGE);
        }
        return ssh;
    }

    /** The Secret holding these credentials (plus a bearer token and CA when given) for {@code url}. */
    Secret secret(ObjectMeta metadata, String url, String bearerToken, Path caFile) {
        GitTls tls = new GitTls(caFile == null ? null : Flags.read(caFile, "--ca-crt-file"), null, null);
        if (privateKeyFile != null) {
            SshFiles.PrivateKey key = SshFiles.privateKey(privateKeyFile, password);
            GitAuth ssh = new GitAuth(null, null, bearerToken, key.bytes(), password, SshFiles.knownHosts(url, knownHostsFile), tls);
            return SecretCommand.secret(metadata, GitSecret.data(ssh, key.publicKeyLine()));
        }
        return SecretCommand.secret(metadata, GitSecret.data(new GitAuth(username, password, bearerToken, null, null, null, tls), null));
    }
}
