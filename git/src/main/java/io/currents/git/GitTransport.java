package io.currents.git;

import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How JGit reaches one remote: basic or bearer credentials, TLS settings and a proxy over HTTP(S);
 * over SSH a session that knows only the given key and host keys (see {@link SshSessions}). Also
 * puts a hard stop on the calling thread at a deadline. Applies to the repository and its
 * submodules alike; close it after the operation.
 */
public final class GitTransport implements TransportConfigCallback, AutoCloseable {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "git-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final GitAuth auth;
    private final GitProxy proxy;
    private final CredentialsProvider credentials;
    private final HttpConnections http;
    private final SshSessions ssh;
    private ScheduledFuture<?> stopper;
    private volatile boolean expired;
    private boolean armed;

    private GitTransport(Builder builder) throws GitException {
        boolean isSsh = GitUrl.isSsh(builder.url);
        this.auth = builder.auth;
        this.proxy = builder.proxy;
        this.credentials = auth.hasBasic() && !isSsh
                ? new UsernamePasswordCredentialsProvider(nullToEmpty(auth.username()), nullToEmpty(auth.password()))
                : null;
        Proxy javaProxy = proxy == null ? null : javaProxy(proxy);
        if (isSsh) {
            SshKeys.hostKeySignatures(builder.hostKeyAlgorithms);
            this.http = null;
            this.ssh = builder.sshDirectory != null ? SshSessions.openSshDirectory(builder.sshDirectory, javaProxy, proxy)
                    : builder.recordHostKeys ? SshSessions.recordingHostKeys(auth, javaProxy, proxy, builder.hostKeyAlgorithms)
                    : SshSessions.strict(auth, javaProxy, proxy, builder.hostKeyAlgorithms);
        } else {
            SSLContext tls = auth.tls().sslContext();
            this.http = javaProxy == null && tls == null ? null : new HttpConnections(javaProxy,
                    proxy == null ? null : proxy.username(),
                    proxy == null || proxy.password() == null ? null : proxy.password().toCharArray(), tls);
            this.ssh = null;
        }
    }

    /** A transport for {@code url} with {@code auth} (null: anonymous), strict host key checking over SSH. */
    public static GitTransport of(String url, GitAuth auth, GitProxy proxy) throws GitException {
        return builder(url).auth(auth).proxy(proxy).build();
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Applies credentials, timeout and this transport configuration to a JGit command. */
    public <C extends TransportCommand<C, ?>> C configure(C command, int timeoutSeconds) {
        command.setTransportConfigCallback(this);
        command.setTimeout(timeoutSeconds);
        if (credentials != null) {
            command.setCredentialsProvider(credentials);
        }
        return command;
    }

    /** {@link #configure(TransportCommand, int)} with the seconds left until {@code deadline} (at least one). */
    public <C extends TransportCommand<C, ?>> C configure(C command, Instant deadline) {
        long seconds = Math.max(1, deadline.getEpochSecond() - Instant.now().getEpochSecond());
        return configure(command, (int) Math.min(Integer.MAX_VALUE, seconds));
    }

    @Override
    public void configure(Transport transport) {
        // no ObjectChecker on the transport: JGit ties it to a connectivity check that rejects every shallow
        // fetch; WorkTree runs it over the checked-out commit's trees instead, and validates each path it writes
        if (transport instanceof TransportHttp httpTransport) {
            if (auth.hasBearer()) {
                httpTransport.setAdditionalHeaders(Map.of("Authorization", "Bearer " + auth.bearerToken()));
            }
            if (http != null) {
                httpTransport.setHttpConnectionFactory(http);
            }
        } else if (transport instanceof SshTransport sshTransport && ssh != null) {
            sshTransport.setSshSessionFactory(ssh.factory());
        }
    }

    /**
     * Arms a hard stop at {@code deadline} for the calling thread: JGit's timeouts bound single
     * reads, and MINA waits up to two minutes for an SSH handshake, so a server or proxy that
     * stalls is cut off by interrupting the thread, which MINA's futures honour.
     */
    public void stopAt(Instant deadline) {
        Thread caller = Thread.currentThread();
        long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
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
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Whether {@link #stopAt} had to cut the exchange off. */
    public boolean expired() {
        return expired;
    }

    /** Why SSH refused the server's host key, or null. */
    public String hostKeyRefusal() {
        return ssh == null ? null : ssh.hostKeyRefusal();
    }

    /** The host keys accepted on first contact, as known_hosts lines (see {@link Builder#recordHostKeys()}). */
    public List<String> recordedHostKeys() {
        return ssh == null ? List.of() : ssh.recordedHostKeys();
    }

    GitAuth auth() {
        return auth;
    }

    GitProxy proxy() {
        return proxy;
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
        if (ssh != null) {
            ssh.close();
        }
    }

    private static Proxy javaProxy(GitProxy proxy) throws GitException {
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
            throw new GitException(GitException.GIT_OPERATION_FAILED,
                    "proxy address is not a valid URL: " + GitUrl.redact(address));
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Options of a transport beyond credentials and proxy. */
    public static final class Builder {
        private final String url;
        private GitAuth auth = GitAuth.none();
        private GitProxy proxy;
        private boolean recordHostKeys;
        private Path sshDirectory;
        private List<String> hostKeyAlgorithms = List.of();

        private Builder(String url) {
            this.url = url;
        }

        public Builder auth(GitAuth auth) {
            this.auth = auth == null ? GitAuth.none() : auth;
            return this;
        }

        public Builder proxy(GitProxy proxy) {
            this.proxy = proxy;
            return this;
        }

        /**
         * Over SSH, accepts the server's host key on first contact and records it (see
         * {@link #recordedHostKeys()}), as {@code flux bootstrap} scans it; for a person at a terminal, never for a controller.
         */
        public Builder recordHostKeys() {
            this.recordHostKeys = true;
            return this;
        }

        /**
         * Over SSH, uses an OpenSSH directory (its keys, {@code known_hosts} and {@code config}) instead
         * of the credentials: for command-line tools acting as the user, never for a controller.
         */
        public Builder sshDirectory(Path directory) {
            this.sshDirectory = directory;
            return this;
        }

        /**
         * Over SSH with the given credentials, offers the server only these host key algorithms, most preferred first (as
         * OpenSSH's {@code HostKeyAlgorithms}; flux's {@code --ssh-hostkey-algos}); empty: the defaults.
         */
        public Builder hostKeyAlgorithms(List<String> algorithms) {
            this.hostKeyAlgorithms = algorithms == null ? List.of() : List.copyOf(algorithms);
            return this;
        }

        public GitTransport build() throws GitException {
            return new GitTransport(this);
        }
    }
}
