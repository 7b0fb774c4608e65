package io.currents.cli.ssh;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.git.GitException;
import io.currents.git.SshKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The SSH files given to the commands that write Git Secrets ({@code bootstrap git}, {@code create source git},
 * {@code create secret git}): a private key file and its {@code identity.pub} line, and the server's host key from a
 * known_hosts file or scanned from the server. Problems are usage errors naming the file or flag.
 */
public final class SshFiles {

    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(30);

    private SshFiles() {
    }

    /** An OpenSSH or PEM private key file's bytes and the public key line of its first key. */
    public record PrivateKey(byte[] bytes, String publicKeyLine) {
    }

    /** Reads and decrypts (with {@code passphrase}, may be null) the private key in {@code file}. */
    public static PrivateKey privateKey(Path file, String passphrase) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("the private key file " + file + " does not exist; pass an existing file to --private-key-file",
                    ExitCodes.USAGE);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliException("cannot read the private key " + file, ExitCodes.USAGE, e);
        }
        try {
            return new PrivateKey(bytes, SshKeys.publicKey(SshKeys.load(bytes, passphrase).get(0)));
        } catch (GitException e) {
            throw new CliException("cannot read the private key " + file
                    + " (wrong passphrase in --password, or an unsupported format)", ExitCodes.USAGE, e);
        }
    }

    /**
     * The known_hosts text for {@code url}: the file given, or else the host key scanned from the server (which, like
     * ssh-keyscan, trusts it on first contact).
     */
    public static String knownHosts(String url, Path knownHostsFile) {
        return knownHosts(url, knownHostsFile, java.util.List.of());
    }

    /** As {@link #knownHosts(String, Path)}, scanning with only the given host key algorithms (empty: the defaults). */
    public static String knownHosts(String url, Path knownHostsFile, java.util.List<String> hostKeyAlgorithms) {
        if (knownHostsFile != null) {
            try {
                return Files.readString(knownHostsFile);
            } catch (IOException e) {
                throw new CliException("cannot read " + knownHostsFile + "; check the path given to --known-hosts-file", ExitCodes.USAGE, e);
            }
        }
        try {
            return SshKeys.scan(url, SCAN_TIMEOUT, hostKeyAlgorithms) + "\n";
        } catch (GitException e) {
            throw new CliException(e.getMessage() + "; check the URL, or pass the key with --known-hosts-file",
                    GitException.URL_INVALID.equals(e.reason()) ? ExitCodes.USAGE : ExitCodes.FAILURE, e);
        }
    }
}
