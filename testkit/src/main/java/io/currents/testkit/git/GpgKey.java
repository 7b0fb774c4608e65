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
 * An OpenPGP key made by GnuPG's own {@code gpg} in a throwaway home, so tests use exactly the
 * armored keys users export ({@code gpg --export-secret-keys --armor}), and check signatures with
 * the real {@code git verify-commit}. Close it to stop its agent and delete its home.
 */
public final class GpgKey implements AutoCloseable {

    private final Path home;
    private final String userId;
    private final String passphrase;

    private GpgKey(Path home, String userId, String passphrase) {
        this.home = home;
        this.userId = userId;
        this.passphrase = passphrase;
    }

    /**
     * A signing key of {@code algorithm} ({@code ed25519}, {@code rsa2048}, ...) for {@code userId},
     * protected by {@code passphrase} when it is not empty.
     */
    public static GpgKey generate(String userId, String algorithm, String passphrase) {
        try {
            // a short path: gpg-agent's socket must fit in a Unix socket path
            Path home = Files.createTempDirectory(Path.of("/tmp"), "gpg");
            Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            GpgKey key = new GpgKey(home, userId, passphrase);
            key.gpg(List.of("--quick-generate-key", userId, algorithm, "sign", "never"));
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The armored secret key, as a user puts it in a Secret's {@code git.asc}. */
    public String armoredSecretKey() {
        return gpg(List.of("--armor", "--export-secret-keys", userId));
    }

    /** The armored public key. */
    public String armoredPublicKey() {
        return gpg(List.of("--armor", "--export", userId));
    }

    /**
     * Runs {@code git verify-commit --raw} on {@code commit} of the repository at {@code gitDir}
     * with this key's keyring; returns gpg's status output, or throws when the signature is not good.
     */
    public String verifyCommit(Path gitDir, String commit) {
        return run(List.of("git", "--git-dir", gitDir.toString(), "verify-commit", "--raw", commit));
    }

    private String gpg(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase",
                passphrase));
        command.addAll(arguments);
        return run(command);
    }

    private String run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("GNUPGHOME", home.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " " + command.get(command.size() - 1) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent")
                    .redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no agent to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(home)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
