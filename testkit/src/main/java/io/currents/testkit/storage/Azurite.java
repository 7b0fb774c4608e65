package io.currents.testkit.storage;

import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Azurite, Microsoft's Azure Storage emulator (npm package {@code azurite}, installed by hack/install-test-deps.sh under
 * ~/.cache/currents/azurite), serving the Blob API in memory on a free 127.0.0.1 port with its well-known development
 * account. Where it is not installed the test is skipped, except on CI (environment variable {@code CI}), where that fails.
 */
public final class Azurite implements AutoCloseable {

    /** Azurite's built-in account and key (public, documented by Microsoft for the emulator). */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;
    private final Path log;

    private Azurite(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The azurite-blob executable, or null when it is not installed. */
    public static Path executable() {
        String override = System.getenv("AZURITE_BLOB");
        List<Path> candidates = List.of(
                override == null ? Path.of("/nonexistent") : Path.of(override),
                Path.of(System.getenv().getOrDefault("CURRENTS_CACHE", System.getProperty("user.home") + "/.cache/currents"),
                        "azurite", "node_modules", ".bin", "azurite-blob"),
                Path.of("/usr/local/bin/azurite-blob"), Path.of("/usr/bin/azurite-blob"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    public static Azurite start() {
        Path executable = executable();
        if (executable == null) {
            String hint = "azurite is not installed: run hack/install-test-deps.sh";
            if (System.getenv("CI") != null) {
                throw new AssertionError(hint);
            }
            Assumptions.abort(hint);
        }
        try {
            int port = ControlPlane.freePort();
            Path log = Files.createTempFile("azurite-", ".log");
            Process process = new ProcessBuilder(executable.toString(), "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                    "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Azurite azurite = new Azurite(process, port, log);
            azurite.awaitListening();
            return azurite;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start azurite", e);
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("azurite exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
        close();
        throw new IllegalStateException("azurite did not listen on port " + port + " within 60s: " + Files.readString(log));
    }

    /** The account's Blob endpoint in path style, {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** A connection string for the test's own Azure client (to create containers and blobs). */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY + ";BlobEndpoint=" + endpoint() + ";";
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
