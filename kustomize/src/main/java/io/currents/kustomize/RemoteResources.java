package io.currents.kustomize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Whether and how a build fetches remote resources: Git repositories named in kustomize's URL forms
 * ({@code https://host/org/repo//dir?ref=v1}, {@code git@host:org/repo}, {@code github.com/org/repo}, ...)
 * and plain files over HTTP(S). Immutable; start from {@link #enabled()} or {@link #disabled(String)}.
 *
 * <pre>{@code
 * Kustomizer.builder()
 *         .remoteResources(RemoteResources.enabled().withTimeout(Duration.ofMinutes(1)))
 *         .build();
 * }</pre>
 *
 * Unlike {@code kubectl kustomize}, which always fetches them, remote resources are refused by default.
 */
public final class RemoteResources {
    /** Default for {@link #withMaxDownloadBytes(long)}: 64 MiB. */
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 64L * 1024 * 1024;
    /** Default for {@link #withMaxCloneBytes(long)}: 256 MiB. */
    public static final long DEFAULT_MAX_CLONE_BYTES = 256L * 1024 * 1024;
    /** Default for {@link #withTimeout(Duration)}: 5 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** What a clone may take when its URL has no {@code timeout} parameter (kustomize's default). */
    public static final Duration DEFAULT_CLONE_TIMEOUT = Duration.ofSeconds(27);

    private static final String DEFAULT_HINT =
            "enable them with Kustomizer.builder().remoteResources(RemoteResources.enabled())";

    private final boolean enabled;
    private final String disabledHint;
    private final long maxDownloadBytes;
    private final long maxCloneBytes;
    private final Duration timeout;
    private final Path workDir;
    private final Path sshDirectory;
    private final Function<String, String> destinationCheck;

    private RemoteResources(boolean enabled, String disabledHint, long maxDownloadBytes, long maxCloneBytes,
                            Duration timeout, Path workDir, Path sshDirectory, Function<String, String> destinationCheck) {
        this.sshDirectory = sshDirectory;
        this.destinationCheck = destinationCheck;
        this.enabled = enabled;
        this.disabledHint = disabledHint;
        this.maxDownloadBytes = maxDownloadBytes;
        this.maxCloneBytes = maxCloneBytes;
        this.timeout = timeout;
        this.workDir = workDir;
    }

    /** Remote resources are fetched, within the default limits. */
    public static RemoteResources enabled() {
        return new RemoteResources(true, DEFAULT_HINT, DEFAULT_MAX_DOWNLOAD_BYTES, DEFAULT_MAX_CLONE_BYTES,
                DEFAULT_TIMEOUT, null, null, null);
    }

    /** Remote resources are refused (the default) with a message telling how to enable them in the library. */
    public static RemoteResources disabled() {
        return disabled(DEFAULT_HINT);
    }

    /**
     * Remote resources are refused; {@code hint} ends the refusal message and should say how the user of
     * the calling program enables them (e.g. "pass --enable-remote").
     */
    public static RemoteResources disabled(String hint) {
        return new RemoteResources(false, Objects.requireNonNull(hint), DEFAULT_MAX_DOWNLOAD_BYTES,
                DEFAULT_MAX_CLONE_BYTES, DEFAULT_TIMEOUT, null, null, null);
    }

    /** Largest remote file (HTTP response body) a build downloads; larger ones fail the build. */
    public RemoteResources withMaxDownloadBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxDownloadBytes must be positive");
        }
        return new RemoteResources(enabled, disabledHint, bytes, maxCloneBytes, timeout, workDir, sshDirectory, destinationCheck);
    }

    /**
     * Largest Git clone: the objects received plus the files checked out (submodules included). A clone
     * that grows past it is stopped and fails the build.
     */
    public RemoteResources withMaxCloneBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxCloneBytes must be positive");
        }
        return new RemoteResources(enabled, disabledHint, maxDownloadBytes, bytes, timeout, workDir, sshDirectory, destinationCheck);
    }

    /**
     * Longest one download or one clone may take. A clone URL's {@code ?timeout=} (kustomize's parameter,
     * default 27 seconds) applies within this bound.
     */
    public RemoteResources withTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        return new RemoteResources(enabled, disabledHint, maxDownloadBytes, maxCloneBytes, timeout, workDir, sshDirectory, destinationCheck);
    }

    /**
     * Where clones are made (a temporary directory each, deleted when the build ends); the system's
     * temporary directory by default.
     */
    public RemoteResources withWorkDir(Path dir) {
        return new RemoteResources(enabled, disabledHint, maxDownloadBytes, maxCloneBytes, timeout,
                Objects.requireNonNull(dir), sshDirectory, destinationCheck);
    }

    /**
     * The directory holding the SSH identities ({@code id_ed25519}, {@code id_rsa}, ...), {@code known_hosts}
     * and {@code config} used for {@code ssh://} and scp-like Git URLs. Without one, SSH remotes are refused:
     * a controller building a tenant's kustomization must not lend the process's own keys to hosts the
     * tenant names; a command-line tool acting for its user passes {@link #userSshDirectory()}.
     * Hosts missing from {@code known_hosts} are refused.
     */
    public RemoteResources withSshDirectory(Path dir) {
        return new RemoteResources(enabled, disabledHint, maxDownloadBytes, maxCloneBytes, timeout, workDir,
                Objects.requireNonNull(dir), destinationCheck);
    }

    /**
     * Refuses the hosts {@code check} answers a reason for (null: allowed), before any connection is made: each
     * download's host and each clone's, with redirects of downloads not followed. A controller passes the check of
     * its {@code no-internal-destinations} flag, so a tenant's remote base cannot reach the API server, the loopback
     * interface or a link-local address (instance metadata) from the controller's network position.
     */
    public RemoteResources withDestinationCheck(Function<String, String> check) {
        return new RemoteResources(enabled, disabledHint, maxDownloadBytes, maxCloneBytes, timeout, workDir, sshDirectory,
                Objects.requireNonNull(check));
    }

    /** The destination check, or null when every host may be fetched from. */
    public Function<String, String> destinationCheck() {
        return destinationCheck;
    }

    /** The SSH directory, or null when SSH remotes are refused. */
    public Path sshDirectory() {
        return sshDirectory;
    }

    /** {@code ~/.ssh} of the user running the process, as git and kubectl kustomize use it. */
    public static Path userSshDirectory() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }

    /** The directory clones are made in, or null for the system's temporary directory. */
    public Path workDir() {
        return workDir;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public long maxDownloadBytes() {
        return maxDownloadBytes;
    }

    public long maxCloneBytes() {
        return maxCloneBytes;
    }

    public Duration timeout() {
        return timeout;
    }

    String disabledHint() {
        return disabledHint;
    }

    @Override
    public String toString() {
        return enabled ? "RemoteResources[enabled, maxDownloadBytes=" + maxDownloadBytes + ", maxCloneBytes="
                + maxCloneBytes + ", timeout=" + timeout + "]" : "RemoteResources[disabled]";
    }
}
