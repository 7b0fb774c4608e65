package io.currents.source.git;

import io.currents.runtime.git.KnownHosts;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ProxyData;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How one request reaches its remote: credentials, bearer header, proxy and an SSH session factory
 * that knows only this request's key and known_hosts (never the process's {@code ~/.ssh}). Used
 * for the main repository and its submodules alike; closed after the request.
 */
final class RemoteAccess implements TransportConfigCallback, AutoCloseable {

    private final GitCheckoutRequest request;
    private final CredentialsProvider credentials;
    private final ProxiedConnectionFactory httpProxy;
    private final Proxy sshProxy;
    private final KnownHosts knownHosts;
    private final SshdSessionFactory sshSessions;
    private final Path sshHome;
    private java.util.concurrent.ScheduledFuture<?> stopper;
    private volatile boolean expired;
    private boolean armed;

    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "git-fetch-deadline");
                thread.setDaemon(true);
                return thread;
            });

    RemoteAccess(GitCheckoutRequest request, boolean ssh) throws GitFetchException {
        this.request = request;
        GitAuth auth = request.auth();
        this.credentials = auth.hasBasic() && !ssh
                ? new UsernamePasswordCredentialsProvider(nullToEmpty(auth.username()), nullToEmpty(auth.password()))
                : null;
        Proxy proxy = request.proxy() == null ? null : proxy(request.proxy());
        this.httpProxy = proxy == null || ssh ? null : new ProxiedConnectionFactory(proxy,
                request.proxy().username(), request.proxy().password() == null ? null : request.proxy().password().toCharArray());
        this.sshProxy = ssh ? proxy : null;
        if (ssh) {
            try {
                this.knownHosts = new KnownHosts(auth.knownHosts());
            } catch (KnownHosts.InvalidKnownHosts e) {
                throw new GitFetchException(GitFetchException.AUTHENTICATION_FAILED, e.getMessage());
            }
            List<KeyPair> keys = sshKeys(auth);
            try {
                this.sshHome = Files.createTempDirectory("currents-ssh");
            } catch (IOException e) {
                throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                        "cannot create a temporary SSH home directory: " + e.getMessage());
            }
            SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(sshHome.toFile())
                    .setSshDirectory(sshHome.resolve(".ssh").toFile())
                    // no ssh_config: host aliases or IdentityFile lines of the controller's image must not apply
                    .setConfigStoreFactory((home, config, user) -> null)
                    .setDefaultKeysProvider(dir -> keys)
                    .setServerKeyDatabase((home, dir) -> knownHosts)
                    .setPreferredAuthentications("publickey");
            if (sshProxy != null) {
                GitProxy p = request.proxy();
                // JGit's SSH proxy connector needs a resolved address, unlike HttpURLConnection
                builder.setProxyDataFactory(remote -> {
                    InetSocketAddress unresolved = (InetSocketAddress) sshProxy.address();
                    Proxy resolved = new Proxy(sshProxy.type(),
                            new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()));
                    return new ProxyData(resolved, p.username(), p.password() == null ? null : p.password().toCharArray());
                });
            }
            this.sshSessions = builder.build(new JGitKeyCache());
        } else {
            this.knownHosts = null;
            this.sshSessions = null;
            this.sshHome = null;
        }
    }

    /** Applies credentials, timeout and this transport configuration to a JGit command. */
    <C extends TransportCommand<C, ?>> C configure(C command, int timeoutSeconds) {
        command.setTransportConfigCallback(this);
        command.setTimeout(timeoutSeconds);
        if (credentials != null) {
            command.setCredentialsProvider(credentials);
        }
        return command;
    }

    @Override
    public void configure(Transport transport) {
        // no ObjectChecker on the transport: JGit ties it to a connectivity check that rejects every shallow
        // fetch; WorkTree runs it over the checked-out commit's trees instead, and validates each path it writes
        if (transport instanceof TransportHttp http) {
            if (request.auth().hasBearer()) {
                http.setAdditionalHeaders(Map.of("Authorization", "Bearer " + request.auth().bearerToken()));
            }
            if (httpProxy != null) {
                http.setHttpConnectionFactory(httpProxy);
            }
        } else if (transport instanceof SshTransport ssh) {
            ssh.setSshSessionFactory(sshSessions);
        }
    }

    /**
     * Arms a hard stop at {@code deadline} for the calling thread: JGit's timeouts bound single
     * reads, and MINA waits up to two minutes for an SSH handshake, so a server or proxy that
     * stalls is cut off by interrupting the thread, which MINA's futures honour.
     */
    void stopAt(java.time.Instant deadline) {
        Thread caller = Thread.currentThread();
        long delay = Math.max(0, java.time.Duration.between(java.time.Instant.now(), deadline).toMillis());
        synchronized (this) {
            armed = true;
        }
        stopper = WATCHDOG.schedule(() -> {
            synchronized (this) {
                if (armed) {
                    expired = true;
                    caller.interrupt();
                }
            }
        }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Whether {@link #stopAt} had to cut the exchange off. */
    boolean expired() {
        return expired;
    }

    /** Why SSH refused the server's host key, or null. */
    String hostKeyRefusal() {
        return knownHosts == null ? null : knownHosts.refusal();
    }

    @Override
    public void close() {
        if (stopper != null) {
            stopper.cancel(false);
            synchronized (this) {
                armed = false;
            }
            // an interrupt that fired is ours, not the caller's: don't leak it
            Thread.interrupted();
        }
        if (sshSessions != null) {
            sshSessions.close();
        }
        if (sshHome != null) {
            try (Stream<Path> files = Files.walk(sshHome)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // an empty temp dir left behind is harmless
            }
        }
    }

    private static List<KeyPair> sshKeys(GitAuth auth) throws GitFetchException {
        CryptoProviders.ensureOwnBouncyCastle();
        if (auth.privateKey() == null || auth.privateKey().length == 0) {
            throw new GitFetchException(GitFetchException.AUTHENTICATION_FAILED,
                    "an SSH URL needs a private key ('identity' in the Secret)");
        }
        if (!GitReference.present(auth.knownHosts())) {
            throw new GitFetchException(GitFetchException.AUTHENTICATION_FAILED,
                    "an SSH URL needs the server's host keys ('known_hosts' in the Secret)");
        }
        FilePasswordProvider passphrase = GitReference.present(auth.passphrase())
                ? FilePasswordProvider.of(auth.passphrase()) : FilePasswordProvider.EMPTY;
        try {
            List<KeyPair> keys = new ArrayList<>();
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("identity"),
                    new ByteArrayInputStream(auth.privateKey()), passphrase);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw new GitFetchException(GitFetchException.AUTHENTICATION_FAILED,
                        "the SSH private key could not be read: no key found in 'identity'");
            }
            return keys;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // the key parser's message never contains key material, but a passphrase-free summary is enough
            throw new GitFetchException(GitFetchException.AUTHENTICATION_FAILED,
                    "the SSH private key could not be read (wrong passphrase or unsupported format): "
                            + e.getClass().getSimpleName());
        }
    }

    private static Proxy proxy(GitProxy proxy) throws GitFetchException {
        String address = proxy.address() == null ? "" : proxy.address().trim();
        try {
            URI uri = new URI(address.contains("://") ? address : "http://" + address);
            if (uri.getHost() == null) {
                throw new URISyntaxException(address, "no host");
            }
            Proxy.Type type = uri.getScheme().startsWith("socks") ? Proxy.Type.SOCKS : Proxy.Type.HTTP;
            int port = uri.getPort() > 0 ? uri.getPort() : (uri.getScheme().equals("https") ? 443 : 80);
            return new Proxy(type, InetSocketAddress.createUnresolved(uri.getHost(), port));
        } catch (URISyntaxException e) {
            throw new GitFetchException(GitFetchException.GIT_OPERATION_FAILED,
                    "proxy address is not a valid URL: " + GitFetcher.redactUrl(address));
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
