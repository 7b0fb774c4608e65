package io.currents.testkit.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An SSH key pair made by OpenSSH's {@code ssh-keygen}, so tests use exactly the key files users
 * have: {@code ed25519}, {@code ecdsa} or {@code rsa}, OpenSSH or PEM encoded, optionally with a
 * passphrase.
 */
public record SshKeyPair(byte[] privateKey, String publicKey) {

    /** An unencrypted ed25519 key in OpenSSH format. */
    public static SshKeyPair ed25519() {
        return generate("ed25519", "", false);
    }

    /** Generates a key of {@code type}; {@code pem} selects the legacy PEM encoding for the private key. */
    public static SshKeyPair generate(String type, String passphrase, boolean pem) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ssh-key");
            Path file = dir.resolve("id");
            List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase,
                    "-C", "currents-test", "-f", file.toString()));
            if (pem) {
                command.addAll(List.of("-m", "PEM"));
            }
            run(command);
            return new SshKeyPair(Files.readAllBytes(file),
                    Files.readString(dir.resolve("id.pub"), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command.subList(0, 1)) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
