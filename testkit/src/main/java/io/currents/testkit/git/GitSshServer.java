package io.currents.testkit.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Serves Git over SSH on 127.0.0.1 with Debian's OpenSSH server ({@code /usr/sbin/sshd -D} with a
 * generated configuration): public-key authentication only, a fresh ed25519 host key per server,
 * and the real {@code git-upload-pack} behind it. Logins are for the current OS user.
 */
public final class GitSshServer implements AutoCloseable {

    private static final String SSHD = "/usr/sbin/sshd";

    private final Path root;
    private final Path workDir;
    private final int port;
    private final String hostPublicKey;
    private final Process process;

    private GitSshServer(Path root, Path workDir, int port, String hostPublicKey, Process process) {
        this.root = root;
        this.workDir = workDir;
        this.port = port;
        this.hostPublicKey = hostPublicKey;
        this.process = process;
    }

    /** Starts a server for the repositories under {@code root} accepting the given public keys (OpenSSH one-line form). */
    public static GitSshServer start(Path root, List<String> authorizedKeys) {
        try {
            Path workDir = Files.createTempDirectory("git-sshd");
            Path hostKey = workDir.resolve("host_ed25519");
            SshKeyPair.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
            Path authorized = workDir.resolve("authorized_keys");
            Files.writeString(authorized, String.join("\n", authorizedKeys) + "\n", StandardCharsets.US_ASCII);
            int port = freePort();
            Path config = workDir.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "Port " + port,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + hostKey,
                    "AuthorizedKeysFile " + authorized,
                    "PidFile " + workDir.resolve("sshd.pid"),
                    // the generated files live in a temp dir whose ownership sshd would otherwise question
                    "StrictModes no",
                    "UsePAM no",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PermitRootLogin prohibit-password",
                    "AllowTcpForwarding no",
                    "X11Forwarding no",
                    "PrintMotd no",
                    "LogLevel VERBOSE",
                    ""));
            if (isRoot()) {
                // sshd started by root insists on its privilege separation directory, which only the
                // service start script normally creates.
                Files.createDirectories(Path.of("/run/sshd"), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwxr-xr-x")));
            }
            Process process = new ProcessBuilder(SSHD, "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("sshd.log").toFile())
                    .start();
            awaitListening(port, process, workDir);
            String hostPublicKey = Files.readString(workDir.resolve("host_ed25519.pub"), StandardCharsets.US_ASCII).trim();
            return new GitSshServer(root.toAbsolutePath(), workDir, port, hostPublicKey, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code ssh://<user>@127.0.0.1:<port>/<absolute path of the repository>}. */
    public String url(TestRepo repo) {
        return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + root.resolve(repo.servedPath());
    }

    /** The known_hosts line for this server's host key: {@code [127.0.0.1]:<port> ssh-ed25519 AAAA…}. */
    public String knownHostsLine() {
        String[] parts = hostPublicKey.split(" ");
        return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1];
    }

    /**
     * Accepts one more public key from now on (sshd reads the authorized keys file at each login), as a hosting
     * service does once a deploy key is registered through its API.
     */
    public void authorize(String publicKey) {
        try {
            Files.writeString(workDir.resolve("authorized_keys"), publicKey.trim() + "\n", StandardCharsets.US_ASCII,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's log, for diagnosing a failed login. */
    public String log() {
        try {
            return Files.readString(workDir.resolve("sshd.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(workDir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        return io.currents.testkit.ControlPlane.freePort();
    }

    private static void awaitListening(int port, Process process, Path workDir) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited: " + Files.readString(workDir.resolve("sshd.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
        process.destroyForcibly();
        throw new IOException("sshd did not listen on port " + port);
    }
}
