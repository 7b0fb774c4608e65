package io.currents.git;

import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GpgKey;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Commits signed with the key of a signing-key Secret ({@code git.asc} made by gpg, or an SSH
 * {@code identity} made by ssh-keygen) are accepted by the real {@code git verify-commit}.
 */
class CommitSigningTest {

    private static final String SECRET = "secret 'apps/signing-key'";

    @TempDir
    static Path repos;

    static TestRepo repo;
    static GitHttpServer server;
    static GpgKey ed25519;
    static GpgKey rsaWithPassphrase;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        repo = TestRepo.create(repos, "signed");
        repo.commit("main", Map.of("app.yaml", "image: app:1\n"), "first");
        server = GitHttpServer.start(repos);
        ed25519 = GpgKey.generate("Flux Bot <flux@example.com>", "ed25519", "");
        rsaWithPassphrase = GpgKey.generate("RSA Bot <rsa@example.com>", "rsa2048", "signing-pass");
    }

    @AfterAll
    static void stop() {
        server.close();
        repo.close();
        ed25519.close();
        rsaWithPassphrase.close();
    }

    /** Commits a change signed by {@code signer}, pushes it to {@code branch} and returns the commit id. */
    private String pushSigned(Signer signer, String branch) throws Exception {
        try (GitTransport transport = GitTransport.of(server.url(repo), null, null);
             GitWorkspace workspace = GitWorkspace.open(transport, server.url(repo), GitReference.branch("main"), branch,
                     work.resolve(branch), Duration.ofSeconds(20))) {
            Files.writeString(workspace.root().resolve("app.yaml"), "image: app:" + branch + "\n");
            String commit = workspace.commit(List.of("app.yaml"), new PersonIdent("Flux Bot", "flux@example.com"), "update", signer);
            workspace.push(branch, null, null);
            return commit;
        }
    }

    @Test
    void anEd25519OpenPgpKeySignsCommitsGitVerifies() throws Exception {
        Signer signer = CommitSigning.fromSecret(null, Map.of("git.asc", ed25519.armoredSecretKey()), SECRET);

        String commit = pushSigned(signer, "gpg-ed25519");

        assertThat(ed25519.verifyCommit(repo.path(), commit)).contains("GOODSIG");
    }

    @Test
    void aPassphraseProtectedRsaKeyIsUnlockedWithThePassphraseField() throws Exception {
        Signer signer = CommitSigning.fromSecret("gpg", Map.of("git.asc", rsaWithPassphrase.armoredSecretKey(),
                "passphrase", "signing-pass"), SECRET);

        String commit = pushSigned(signer, "gpg-rsa");

        assertThat(rsaWithPassphrase.verifyCommit(repo.path(), commit)).contains("GOODSIG");
        // and the source side of the same library verifies it too
        GitCheckout checkout = new GitFetcher().checkout(GitCheckoutRequest.of(server.url(repo), GitReference.branch("gpg-rsa"))
                .withVerification("HEAD", List.of(rsaWithPassphrase.armoredPublicKey())), work.resolve("verified"));
        assertThat(checkout.verificationMessage()).contains(commit);
    }

    @Test
    void anSshKeySignsCommitsGitVerifiesWithAllowedSigners() throws Exception {
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            SshKeyPair key = SshKeyPair.generate(type, "ssh-pass", false);
            Signer signer = CommitSigning.fromSecret("ssh", Map.of("identity", new String(key.privateKey(), StandardCharsets.UTF_8),
                    "password", "ssh-pass"), SECRET);

            String commit = pushSigned(signer, "ssh-" + type);

            Path allowed = work.resolve("allowed_signers_" + type);
            Files.writeString(allowed, "* " + key.publicKey() + "\n");
            assertThat(git("-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=" + allowed, "verify-commit", commit))
                    .as(type).contains("Good \"git\" signature");
        }
    }

    @Test
    void whatIsMissingOrWrongInTheSecretIsNamed() {
        assertThatThrownBy(() -> CommitSigning.fromSecret("gpg", Map.of("identity", "x"), SECRET))
                .hasMessage("signing key " + SECRET + " does not contain a 'git.asc' key");
        assertThatThrownBy(() -> CommitSigning.fromSecret("ssh", Map.of("git.asc", "x"), SECRET))
                .hasMessage("signing key " + SECRET + " does not contain an 'identity' key");
        assertThatThrownBy(() -> CommitSigning.fromSecret("gpg", Map.of("git.asc", "not a key"), SECRET))
                .hasMessageContaining("could not read signing key from " + SECRET);
        assertThatThrownBy(() -> CommitSigning.fromSecret("gpg", Map.of("git.asc", rsaWithPassphrase.armoredSecretKey()), SECRET))
                .hasMessage("can not use passphrase protected signing key without 'passphrase' field present in " + SECRET);
        assertThatThrownBy(() -> CommitSigning.fromSecret("gpg", Map.of("git.asc", rsaWithPassphrase.armoredSecretKey(),
                "passphrase", "wrong-pass"), SECRET))
                .hasMessage("could not decrypt private key of the signing key present in " + SECRET)
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.getMessage()).doesNotContain("wrong-pass"));
        assertThatThrownBy(() -> CommitSigning.fromSecret("gpg", Map.of("git.asc", ed25519.armoredSecretKey()
                + rsaWithPassphrase.armoredSecretKey()), SECRET))
                .hasMessageContaining("multiple entities read from " + SECRET);
        SshKeyPair protectedKey = SshKeyPair.generate("ed25519", "ssh-pass", false);
        assertThatThrownBy(() -> CommitSigning.fromSecret("ssh", Map.of("identity", new String(protectedKey.privateKey(),
                StandardCharsets.UTF_8)), SECRET))
                .hasMessageContaining("could not parse SSH signing key from " + SECRET).hasMessageContaining("'password'");
        assertThatThrownBy(() -> CommitSigning.fromSecret("x509", Map.of(), SECRET)).hasMessageContaining("unknown signing key type 'x509'");
    }

    private static String git(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "--git-dir", repo.path().toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
