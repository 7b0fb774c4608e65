package io.currents.cli.bootstrap;

import io.currents.cli.install.InstallCommand;
import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.git.CommitSigning;
import io.currents.git.GitException;
import io.currents.git.GitSecret;
import org.eclipse.jgit.lib.Signer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The flags every {@code bootstrap} subcommand shares, named as flux's persistent {@code bootstrap} flags. */
public final class BootstrapOptions {

    @Mixin
    InstallCommand.ComponentOptions components;

    @Option(names = "--branch", defaultValue = "main", paramLabel = "<branch>", description = "Git branch (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(names = "--path", defaultValue = ".", paramLabel = "<path>",
            description = "Path in the repository the cluster syncs from (default: the root).")
    String path;

    @Option(names = "--interval", defaultValue = "1m", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "How often the GitRepository checks for new commits (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--timeout", defaultValue = "5m", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "How long to wait for each step to become ready (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--recurse-submodules",
            description = "Make the GitRepository include the repository's Git submodules in its artifact.")
    boolean recurseSubmodules;

    @Option(names = "--sparse-checkout", split = ",", paramLabel = "<dirs>",
            description = "Directories the GitRepository checks out (sparse checkout); --path must be one of them.")
    List<String> sparseCheckout = List.of();

    @Option(names = "--secret-name", paramLabel = "<name>",
            description = "Name of the Secret holding the sync credentials (default: the namespace).")
    String secretName;

    @Option(names = "--token-auth", description = "Sync over HTTPS with the token (basic authentication) instead of an SSH deploy key.")
    boolean tokenAuth;

    @Option(names = "--ca-file", paramLabel = "<file>", description = "PEM CA certificates to trust for HTTPS (self-signed servers); stored as ca.crt in the Secret.")
    Path caFile;

    @Option(names = "--ssh-key-algorithm", defaultValue = "ecdsa", paramLabel = "<rsa|ecdsa|ed25519>",
            description = "Algorithm of a generated SSH deploy key (default: ${DEFAULT-VALUE}).")
    String sshKeyAlgorithm;

    @Option(names = "--ssh-rsa-bits", defaultValue = "2048", paramLabel = "<bits>",
            description = "Size of a generated RSA key, 1024 to 8192 in steps of 8 (default: ${DEFAULT-VALUE}).")
    int sshRsaBits;

    @Option(names = "--ssh-ecdsa-curve", defaultValue = "p384", paramLabel = "<p256|p384|p521>",
            description = "Curve of a generated ECDSA key (default: ${DEFAULT-VALUE}).")
    String sshEcdsaCurve;

    @Option(names = "--ssh-hostkey-algos", split = ",", paramLabel = "<algorithms>",
            description = "Host key algorithms the CLI offers over SSH, most preferred first (e.g. ssh-ed25519,rsa-sha2-512); "
                    + "the server's key of that kind is the one recorded in known_hosts. Default: the SSH client's.")
    List<String> sshHostKeyAlgorithms = List.of();

    @Option(names = "--ssh-hostname", paramLabel = "<host[:port]>",
            description = "SSH host of the sync URL, when it differs from the HTTPS one.")
    String sshHostname;

    @Option(names = "--author-name", defaultValue = "Currents", paramLabel = "<name>", description = "Author of the commits (default: ${DEFAULT-VALUE}).")
    String authorName;

    @Option(names = "--author-email", defaultValue = "noreply@currents.invalid", paramLabel = "<email>",
            description = "E-mail of the commit author (default: ${DEFAULT-VALUE}).")
    String authorEmail;

    @Option(names = "--commit-message-appendix", paramLabel = "<text>", description = "Text appended to the commit messages.")
    String commitMessageAppendix;

    @Option(names = "--gpg-key-ring", paramLabel = "<file>", description = "OpenPGP key ring (armored or binary) to sign the commits with.")
    Path gpgKeyRing;

    @Option(names = "--gpg-passphrase", paramLabel = "<passphrase>", description = "Passphrase of the OpenPGP key.")
    String gpgPassphrase;

    @Option(names = "--gpg-key-id", paramLabel = "<id>", description = "Id of the key in --gpg-key-ring to sign with (default: the first).")
    String gpgKeyId;

    @Option(names = "--ssh-signing-key-file", paramLabel = "<file>", description = "SSH private key to sign the commits with.")
    Path sshSigningKeyFile;

    @Option(names = "--ssh-signing-password", paramLabel = "<passphrase>", description = "Passphrase of the SSH signing key.")
    String sshSigningPassword;

    @Option(names = "--ssh-signing-passphrase", hidden = true, paramLabel = "<passphrase>", description = "Alias for --ssh-signing-password.")
    String sshSigningPassphrase;

    @Option(names = "--ssh-signing-reuse-private-key", description = "Sign the commits with the SSH transport key (--private-key-file).")
    boolean sshSigningReusePrivateKey;

    /** The Secret's name: {@code --secret-name}, else the namespace (flux: flux-system). */
    String secretName(String namespace) {
        return secretName == null || secretName.isBlank() ? namespace : secretName;
    }

    /** The CA certificates of {@code --ca-file}, or null. */
    String caCertificates() {
        if (caFile == null) {
            return null;
        }
        try {
            return Files.readString(caFile);
        } catch (IOException e) {
            throw new CliException("unable to read TLS CA file " + caFile + "; check the path given to --ca-file", ExitCodes.USAGE, e);
        }
    }

    /**
     * The commit signer of the {@code --gpg-*} or {@code --ssh-signing-*} flags (one kind only, as flux), or null.
     * {@code transportKey} and {@code transportPassphrase} are --private-key-file's, for --ssh-signing-reuse-private-key.
     */
    Signer signer(Path transportKey, String transportPassphrase) {
        String sshPassword = sshSigningPassword != null ? sshSigningPassword : sshSigningPassphrase;
        if (sshSigningPassword != null && sshSigningPassphrase != null && !sshSigningPassword.equals(sshSigningPassphrase)) {
            throw new CliException("--ssh-signing-password and --ssh-signing-passphrase differ; give one", ExitCodes.USAGE);
        }
        boolean ssh = sshSigningKeyFile != null || sshSigningReusePrivateKey;
        if (gpgKeyRing != null && ssh) {
            throw new CliException("--gpg-* and --ssh-signing-* are mutually exclusive; pick one signing format", ExitCodes.USAGE);
        }
        if (sshSigningKeyFile != null && sshSigningReusePrivateKey) {
            throw new CliException("--ssh-signing-key-file and --ssh-signing-reuse-private-key are mutually exclusive", ExitCodes.USAGE);
        }
        if (sshPassword != null && sshSigningKeyFile == null) {
            throw new CliException("--ssh-signing-password requires --ssh-signing-key-file", ExitCodes.USAGE);
        }
        if (sshSigningReusePrivateKey) {
            if (transportKey == null) {
                throw new CliException("--ssh-signing-reuse-private-key requires --private-key-file", ExitCodes.USAGE);
            }
            return sshSigner(transportKey, transportPassphrase);
        }
        if (sshSigningKeyFile != null) {
            return sshSigner(sshSigningKeyFile, sshPassword);
        }
        if (gpgKeyRing == null) {
            if (gpgKeyId != null || gpgPassphrase != null) {
                throw new CliException("--gpg-key-id and --gpg-passphrase need --gpg-key-ring", ExitCodes.USAGE);
            }
            return null;
        }
        try {
            return CommitSigning.fromKeyRing(Files.readAllBytes(gpgKeyRing), gpgPassphrase, gpgKeyId, gpgKeyRing.toString());
        } catch (IOException e) {
            throw new CliException("cannot read the key ring " + gpgKeyRing + "; check the path given to --gpg-key-ring", ExitCodes.USAGE, e);
        } catch (GitException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    private static Signer sshSigner(Path keyFile, String passphrase) {
        try {
            Map<String, String> data = new HashMap<>();
            data.put(GitSecret.IDENTITY, Files.readString(keyFile));
            if (passphrase != null) {
                data.put(GitSecret.PASSWORD, passphrase);
            }
            return CommitSigning.fromSecret("ssh", data, "file " + keyFile);
        } catch (IOException e) {
            throw new CliException("failed to read SSH signing key file " + keyFile, ExitCodes.USAGE, e);
        } catch (GitException e) {
            throw new CliException("invalid SSH signing key: " + e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    /** Checks what flux checks before anything is done: --sparse-checkout must contain --path, the key flags must be valid. */
    void validate(String repoPath) {
        if (!sparseCheckout.isEmpty()) {
            List<String> dirs = sparseCheckout.stream().map(SyncManifests::normalizePath).toList();
            if (!repoPath.isEmpty() && dirs.stream().noneMatch(d -> repoPath.equals(d) || repoPath.startsWith(d + "/"))) {
                throw new CliException("--path " + path + " must be one of the --sparse-checkout directories " + sparseCheckout, ExitCodes.USAGE);
            }
        }
        if (!List.of("rsa", "ecdsa", "ed25519").contains(sshKeyAlgorithm)) {
            throw new CliException("unsupported --ssh-key-algorithm '" + sshKeyAlgorithm + "': use rsa, ecdsa or ed25519", ExitCodes.USAGE);
        }
        if (sshRsaBits < 1024 || sshRsaBits > 8192 || sshRsaBits % 8 != 0) {
            throw new CliException("--ssh-rsa-bits must be between 1024 and 8192 and a multiple of 8, got " + sshRsaBits, ExitCodes.USAGE);
        }
        if (!List.of("p256", "p384", "p521").contains(sshEcdsaCurve)) {
            throw new CliException("unsupported --ssh-ecdsa-curve '" + sshEcdsaCurve + "': use p256, p384 or p521", ExitCodes.USAGE);
        }
        try {
            io.currents.git.SshKeys.hostKeySignatures(sshHostKeyAlgorithms);
        } catch (io.currents.git.GitException e) {
            throw new CliException("--ssh-hostkey-algos: " + e.getMessage(), ExitCodes.USAGE, e);
        }
    }
}
