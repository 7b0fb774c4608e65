package io.currents.git;

import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ProxyData;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Stream;

/**
 * The SSH side of a {@link GitTransport}: a JGit session factory that knows only what it is given.
 * Three ways to trust a server: strict (the key and {@code known_hosts} of a Secret; a host not
 * listed is refused, never added), recording (accept and remember the key on first contact, for
 * bootstrap at a terminal), or an OpenSSH directory (keys, known_hosts and config of the user
 * running a command-line tool). The process's own {@code ~/.ssh} is never read implicitly.
 */
final class SshSessions implements AutoCloseable {

    private final SshdSessionFactory factory;
    private final Path home;
    private final KnownHosts knownHosts;
    private final Set<String> recorded;

    private SshSessions(SshdSessionFactory factory, Path home, KnownHosts knownHosts, Set<String> recorded) {
        this.factory = factory;
        this.home = home;
        this.knownHosts = knownHosts;
        this.recorded = recorded;
    }

    static SshSessions strict(GitAuth auth, Proxy proxy, GitProxy settings, List<String> hostKeyAlgorithms) throws GitException {
        if (auth.privateKey() == null || auth.privateKey().length == 0) {
            throw new GitException(GitException.AUTHENTICATION_FAILED, "an SSH URL needs a private key ('identity' in the Secret)");
        }
        if (!GitAuth.present(auth.knownHosts())) {
            throw new GitException(GitException.AUTHENTICATION_FAILED,
                    "an SSH URL needs the server's host keys ('known_hosts' in the Secret)");
        }
        KnownHosts knownHosts;
        try {
            knownHosts = new KnownHosts(auth.knownHosts());
        } catch (KnownHosts.InvalidKnownHosts e) {
            throw new GitException(GitException.AUTHENTICATION_FAILED, e.getMessage());
        }
        List<KeyPair> keys = SshKeys.load(auth.privateKey(), auth.passphrase());
        Path home = temporaryHome();
        return new SshSessions(withKeys(home, keys, knownHosts, proxy, settings, hostKeyAlgorithms), home, knownHosts, null);
    }

    static SshSessions recordingHostKeys(GitAuth auth, Proxy proxy, GitProxy settings, List<String> hostKeyAlgorithms)
            throws GitException {
        if (auth.privateKey() == null || auth.privateKey().length == 0) {
            throw new GitException(GitException.AUTHENTICATION_FAILED, "an SSH URL needs a private key");
        }
        List<KeyPair> keys = SshKeys.load(auth.privateKey(), auth.passphrase());
        Set<String> recorded = new CopyOnWriteArraySet<>();
        ServerKeyDatabase recording = new ServerKeyDatabase() {
            @Override
            public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
                return List.of();
            }

            @Override
            public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                                  Configuration config, CredentialsProvider provider) {
                recorded.add(SshKeys.knownHostsLine(connectAddress, serverKey));
                return true;
            }
        };
        Path home = temporaryHome();
        return new SshSessions(withKeys(home, keys, recording, proxy, settings, hostKeyAlgorithms), home, null, recorded);
    }

    static SshSessions openSshDirectory(Path directory, Proxy proxy, GitProxy settings) {
        SshKeys.ensureOwnBouncyCastle();
        Path dir = directory.toAbsolutePath();
        SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
                .setHomeDirectory(dir.getParent() == null ? dir.toFile() : dir.getParent().toFile())
                .setSshDirectory(dir.toFile());
        withProxy(builder, proxy, settings);
        return new SshSessions(builder.build(new JGitKeyCache()), null, null, null);
    }

    /**
     * A factory using only {@code keys} and {@code hostKeys}; {@code hostKeyAlgorithms} (most preferred first, empty: JGit's
     * defaults) become the only host key algorithms offered, through a {@code HostKeyAlgorithms} line in an ssh_config of
     * the temporary {@code home}, which JGit honours.
     */
    private static SshdSessionFactory withKeys(Path home, List<KeyPair> keys, ServerKeyDatabase hostKeys, Proxy proxy,
                                               GitProxy settings, List<String> hostKeyAlgorithms) throws GitException {
        boolean algorithms = hostKeyAlgorithms != null && !hostKeyAlgorithms.isEmpty();
        if (algorithms) {
            try {
                Files.createDirectories(home.resolve(".ssh"));
                Files.writeString(home.resolve(".ssh/config"), "Host *\n  HostKeyAlgorithms "
                        + String.join(",", hostKeyAlgorithms.stream().map(String::trim).toList()) + "\n");
            } catch (IOException e) {
                throw new GitException(GitException.GIT_OPERATION_FAILED, "cannot write the SSH configuration: " + e.getMessage());
            }
        }
        SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
                .setHomeDirectory(home.toFile())
                .setSshDirectory(home.resolve(".ssh").toFile())
                // no ssh_config of the process's image (host aliases, IdentityFile lines must not apply): only the one
                // written above in the temporary home, if any
                .setConfigStoreFactory((h, config, user) -> algorithms
                        ? new org.eclipse.jgit.internal.transport.ssh.OpenSshConfigFile(h, config, user) : null)
                .setDefaultKeysProvider(dir -> keys)
                .setServerKeyDatabase((h, dir) -> hostKeys)
                .setPreferredAuthentications("publickey");
        withProxy(builder, proxy, settings);
        return builder.build(new JGitKeyCache());
    }

    private static void withProxy(SshdSessionFactoryBuilder builder, Proxy proxy, GitProxy settings) {
        if (proxy == null) {
            return;
        }
        // JGit's SSH proxy connector needs a resolved address, unlike HttpURLConnection
        builder.setProxyDataFactory(remote -> {
            InetSocketAddress unresolved = (InetSocketAddress) proxy.address();
            Proxy resolved = new Proxy(proxy.type(), new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()));
            return new ProxyData(resolved, settings.username(), settings.password() == null ? null : settings.password().toCharArray());
        });
    }

    private static Path temporaryHome() throws GitException {
        try {
            return Files.createTempDirectory("currents-ssh");
        } catch (IOException e) {
            throw new GitException(GitException.GIT_OPERATION_FAILED, "cannot create a temporary SSH home directory: " + e.getMessage());
        }
    }

    SshdSessionFactory factory() {
        return factory;
    }

    String hostKeyRefusal() {
        return knownHosts == null ? null : knownHosts.refusal();
    }

    List<String> recordedHostKeys() {
        return recorded == null ? List.of() : List.copyOf(recorded);
    }

    @Override
    public void close() {
        factory.close();
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // an empty temp dir left behind is harmless
            }
        }
    }
}
