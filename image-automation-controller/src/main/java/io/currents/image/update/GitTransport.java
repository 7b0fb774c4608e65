package io.currents.image.update;

import io.currents.runtime.git.KnownHosts;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How JGit reaches the automation's remote: basic or bearer credentials over HTTP(S), or an SSH
 * session that knows only the Secret's key and {@code known_hosts} (never the process's
 * {@code ~/.ssh}), with strict host key checking. Closed after the clone and push.
 */
public final class GitTransport implements TransportConfigCallback, AutoCloseable {

    private final GitAuth auth;
    private final CredentialsProvider credentials;
    private final SshdSessionFactory ssh;
    private final Path sshHome;
    private final KnownHosts hostKeys;

    public GitTransport(String url, GitAuth auth) throws GitAutomationException {
        this.auth = auth;
        boolean isSsh = url.startsWith("ssh://") || (!url.contains("://") && url.contains("@") && url.contains(":"));
        this.credentials = auth.hasBasic() && !isSsh
                ? new UsernamePasswordCredentialsProvider(nz(auth.username()), nz(auth.password())) : null;
        if (!isSsh) {
            this.ssh = null;
            this.sshHome = null;
            this.hostKeys = null;
            return;
        }
        if (auth.identity() == null || auth.identity().length == 0) {
            throw new GitAutomationException("AuthenticationFailed", "an SSH URL needs a private key ('identity' in the GitRepository's Secret)");
        }
        if (!GitAuth.present(auth.knownHosts())) {
            throw new GitAutomationException("AuthenticationFailed", "an SSH URL needs the server's host keys ('known_hosts' in the GitRepository's Secret)");
        }
        try {
            this.hostKeys = new KnownHosts(auth.knownHosts());
        } catch (KnownHosts.InvalidKnownHosts e) {
            throw new GitAutomationException("AuthenticationFailed", e.getMessage());
        }
        List<KeyPair> keys = keys(auth);
        try {
            this.sshHome = Files.createTempDirectory("image-automation-ssh");
        } catch (IOException e) {
            throw new GitAutomationException("GitOperationFailed", "cannot create a temporary SSH home: " + e.getMessage());
        }
        this.ssh = new SshdSessionFactoryBuilder()
                .setHomeDirectory(sshHome.toFile())
                .setSshDirectory(sshHome.resolve(".ssh").toFile())
                .setConfigStoreFactory((home, config, user) -> null)
                .setDefaultKeysProvider(dir -> keys)
                .setServerKeyDatabase((home, dir) -> hostKeys)
                .setPreferredAuthentications("publickey")
                .build(new JGitKeyCache());
    }

    /** Applies credentials, timeout and this transport to a JGit command. */
    public <C extends TransportCommand<C, ?>> C configure(C command, int timeoutSeconds) {
        command.setTransportConfigCallback(this);
        command.setTimeout(timeoutSeconds);
        if (credentials != null) {
            command.setCredentialsProvider(credentials);
        }
        return command;
    }

    @Override
    public void configure(Transport transport) {
        if (transport instanceof TransportHttp http && GitAuth.present(auth.bearerToken())) {
            http.setAdditionalHeaders(Map.of("Authorization", "Bearer " + auth.bearerToken()));
        } else if (transport instanceof SshTransport sshTransport && ssh != null) {
            sshTransport.setSshSessionFactory(ssh);
        }
    }

    /** Why the server's host key was refused, or null. */
    public String hostKeyRefusal() {
        return hostKeys == null ? null : hostKeys.refusal();
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
        if (sshHome != null) {
            try (Stream<Path> files = Files.walk(sshHome)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // an empty temp dir left behind is harmless
            }
        }
    }

    private static List<KeyPair> keys(GitAuth auth) throws GitAutomationException {
        ensureBouncyCastle();
        FilePasswordProvider passphrase = GitAuth.present(auth.passphrase()) ? FilePasswordProvider.of(auth.passphrase()) : FilePasswordProvider.EMPTY;
        try {
            List<KeyPair> keys = new ArrayList<>();
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("identity"),
                    new ByteArrayInputStream(auth.identity()), passphrase);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw new GitAutomationException("AuthenticationFailed", "the SSH private key could not be read: no key found in 'identity'");
            }
            return keys;
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new GitAutomationException("AuthenticationFailed",
                    "the SSH private key could not be read (wrong passphrase or unsupported format): " + e.getClass().getSimpleName());
        }
    }

    /** sshd reads ed25519 keys through the registered "BC" provider; make sure it is the one this code links. */
    private static synchronized void ensureBouncyCastle() {
        Provider registered = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (registered != null && registered.getClass() == BouncyCastleProvider.class) {
            return;
        }
        if (registered != null) {
            Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
        }
        Security.addProvider(new BouncyCastleProvider());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
