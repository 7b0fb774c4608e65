package io.currents.cli.bootstrap;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.ssh.SshKeys;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.HttpTransport;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How bootstrap talks to the repository and what it stores in the cluster's Git Secret: HTTP basic auth
 * ({@code username}/{@code password}) or an SSH key ({@code identity}, {@code identity.pub}, {@code known_hosts}).
 * For SSH the server's host key is recorded on first contact, as {@code flux bootstrap} scans it, and printed.
 */
final class GitCredentials implements TransportConfigCallback, AutoCloseable {

    private final String username;
    private final String password;
    private final byte[] privateKey;
    private final String publicKey;
    private final List<KeyPair> keys;
    private final Set<String> hostKeys = new LinkedHashSet<>();
    private final SshdSessionFactory ssh;
    private final Path sshHome;

    private GitCredentials(String username, String password, byte[] privateKey, List<KeyPair> keys, Path sshHome) {
        this.username = username;
        this.password = password;
        this.privateKey = privateKey;
        this.keys = keys;
        this.sshHome = sshHome;
        this.publicKey = keys.isEmpty() ? null : SshKeys.publicKey(keys.get(0));
        this.ssh = keys.isEmpty() ? null : new SshdSessionFactoryBuilder()
                .setHomeDirectory(sshHome.toFile())
                .setSshDirectory(sshHome.resolve(".ssh").toFile())
                .setConfigStoreFactory((home, config, user) -> null)
                .setDefaultKeysProvider(dir -> keys)
                .setServerKeyDatabase((home, dir) -> new RecordingHostKeys())
                .setPreferredAuthentications("publickey")
                .build(new JGitKeyCache());
    }

    /** Credentials from the flags; validates the combination against the URL's scheme. */
    static GitCredentials of(String url, String username, String password, Path privateKeyFile) {
        boolean sshUrl = url.startsWith("ssh://") || (!url.contains("://") && url.contains("@") && url.contains(":"));
        if (privateKeyFile != null) {
            if (!sshUrl) {
                throw new CliException("--private-key-file needs an ssh:// URL; for " + url + " use --username and --password",
                        ExitCodes.USAGE);
            }
            if (!Files.isRegularFile(privateKeyFile)) {
                throw new CliException("the private key file " + privateKeyFile + " does not exist; pass an existing file to --private-key-file",
                        ExitCodes.USAGE);
            }
            byte[] key;
            try {
                key = Files.readAllBytes(privateKeyFile);
            } catch (IOException e) {
                throw new CliException("cannot read the private key " + privateKeyFile + " (wrong passphrase in --password, or an unsupported format)",
                        ExitCodes.USAGE, e);
            }
            List<KeyPair> keys = SshKeys.load(privateKeyFile, password);
            try {
                return new GitCredentials(null, password, key, keys, Files.createTempDirectory("currents-ssh"));
            } catch (IOException e) {
                throw new CliException("cannot create a temporary SSH directory: " + e.getMessage(), ExitCodes.FAILURE, e);
            }
        }
        if (sshUrl) {
            throw new CliException("an SSH URL needs --private-key-file; or use an https:// URL with --username and --password", ExitCodes.USAGE);
        }
        if (password != null && username == null) {
            return new GitCredentials("git", password, null, List.of(), null);
        }
        if (username != null && password == null) {
            throw new CliException("--username needs --password (a password or an access token)", ExitCodes.USAGE);
        }
        return new GitCredentials(username, password, null, List.of(), null);
    }

    /** Whether a Secret is needed (any credentials given). */
    boolean any() {
        return username != null || privateKey != null;
    }

    /** The Secret's data, in the keys source-controller reads. */
    Map<String, String> secretData() {
        Map<String, String> data = new LinkedHashMap<>();
        if (privateKey != null) {
            data.put("identity", new String(privateKey, java.nio.charset.StandardCharsets.UTF_8));
            data.put("identity.pub", publicKey + "\n");
            data.put("known_hosts", String.join("\n", hostKeys) + "\n");
            if (password != null) {
                data.put("password", password);
            }
        } else if (username != null) {
            data.put("username", username);
            data.put("password", password);
        }
        return data;
    }

    /** The host keys seen, in known_hosts form, for printing. */
    List<String> hostKeys() {
        return List.copyOf(hostKeys);
    }

    @Override
    public void configure(Transport transport) {
        if (transport instanceof SshTransport sshTransport && ssh != null) {
            sshTransport.setSshSessionFactory(ssh);
        } else if (transport instanceof HttpTransport && username != null) {
            transport.setCredentialsProvider(provider());
        }
    }

    private CredentialsProvider provider() {
        return new UsernamePasswordCredentialsProvider(username, password);
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
        if (sshHome != null) {
            sshHome.toFile().delete();
        }
    }

    /** Accepts the server's key on first contact and remembers it for the Secret's known_hosts. */
    private final class RecordingHostKeys implements ServerKeyDatabase {
        @Override
        public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
            return List.of();
        }

        @Override
        public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                              Configuration config, org.eclipse.jgit.transport.CredentialsProvider provider) {
            hostKeys.add(SshKeys.knownHostsLine(connectAddress, serverKey));
            return true;
        }
    }
}
