package io.currents.git;

import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.PgpKey;
import io.currents.testkit.git.TestRepo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenPGP verification of commits and tags (modes HEAD, Tag, TagAndHEAD) against the trusted public keys. */
class GitSignatureVerificationTest {

    @TempDir
    static Path repos;

    static GitHttpServer server;
    static TestRepo repo;
    static String url;
    static PgpKey releaseKey;
    static PgpKey strangerKey;
    static String signedCommit;
    static String unsignedCommit;
    static String strangerCommit;

    final GitFetcher fetcher = new GitFetcher();

    @TempDir
    Path work;

    int checkouts;

    @BeforeAll
    static void createRepository() {
        releaseKey = PgpKey.generate("Release Bot <release@currents.invalid>");
        strangerKey = PgpKey.generate("Someone Else <else@currents.invalid>");
        repo = TestRepo.create(repos, "signed");
        signedCommit = repo.change("signed").file("app.yaml", "signed: true\n").signedBy(releaseKey).commit("signed commit");
        repo.annotatedTag("v1.0.0", signedCommit, "signed release", releaseKey);
        repo.annotatedTag("v1.0.1-unsigned-tag", signedCommit, "unsigned release", null);
        repo.lightweightTag("v1.0.2-light", signedCommit);
        repo.annotatedTag("v1.0.3-stranger", signedCommit, "stranger's release", strangerKey);
        unsignedCommit = repo.commit("unsigned", Map.of("app.yaml", "signed: false\n"), "unsigned commit");
        repo.annotatedTag("v2.0.0", unsignedCommit, "signed tag on unsigned commit", releaseKey);
        strangerCommit = repo.change("stranger").file("app.yaml", "who: else\n").signedBy(strangerKey).commit("stranger commit");
        server = GitHttpServer.start(repos);
        url = server.url(repo);
    }

    @AfterAll
    static void stop() {
        server.close();
        repo.close();
    }

    private GitCheckout checkout(GitReference ref, String mode, PgpKey... trusted) throws GitException {
        List<String> keys = java.util.Arrays.stream(trusted).map(PgpKey::armoredPublicKey).toList();
        return fetcher.checkout(GitCheckoutRequest.of(url, ref).withVerification(mode, keys), work.resolve("c" + checkouts++));
    }

    private static void assertVerificationError(ThrowingCall call, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(GitException.class, e -> {
            assertThat(e.reason()).isEqualTo("VerificationError");
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void signedCommitIsVerifiedWithTheTrustedKey() throws Exception {
        GitCheckout checkout = checkout(GitReference.branch("signed"), "HEAD", strangerKey, releaseKey);

        assertThat(checkout.verification().commitKeyId()).isEqualTo(releaseKey.keyId());
        assertThat(checkout.verificationMessage())
                .isEqualTo("verified signature of\n\t- commit '" + signedCommit + "' with key '" + releaseKey.keyId() + "'");
    }

    @Test
    void unsignedCommitIsRejected() {
        assertVerificationError(() -> checkout(GitReference.branch("unsigned"), "HEAD", releaseKey),
                "commit '" + unsignedCommit + "' is not signed");
    }

    @Test
    void commitSignedByAnUntrustedKeyIsRejected() {
        assertVerificationError(() -> checkout(GitReference.branch("stranger"), "HEAD", releaseKey),
                "is signed with key " + strangerKey.keyId() + ", which is not one of the trusted public keys");
    }

    @Test
    void verificationFailureLeavesNoFilesBehind() {
        assertThatThrownBy(() -> checkout(GitReference.branch("unsigned"), "HEAD", releaseKey));

        assertThat(work.resolve("c0/app.yaml")).doesNotExist();
    }

    @Test
    void signedAnnotatedTagIsVerifiedInTagMode() throws Exception {
        GitCheckout checkout = checkout(GitReference.tag("v2.0.0"), "Tag", releaseKey);

        assertThat(checkout.verification().tagKeyId()).isEqualTo(releaseKey.keyId());
        assertThat(checkout.verification().commitKeyId()).isNull();
        assertThat(checkout.verificationMessage()).contains("tag 'v2.0.0' with key '" + releaseKey.keyId() + "'");
    }

    @Test
    void tagAndHeadModeChecksBoth() throws Exception {
        GitCheckout checkout = checkout(GitReference.semver("~1.0.0"), "TagAndHEAD", releaseKey);

        assertThat(checkout.revision()).isEqualTo("v1.0.0@sha1:" + signedCommit);
        assertThat(checkout.verification().tagKeyId()).isEqualTo(releaseKey.keyId());
        assertThat(checkout.verification().commitKeyId()).isEqualTo(releaseKey.keyId());
        assertVerificationError(() -> checkout(GitReference.tag("v2.0.0"), "TagAndHEAD", releaseKey), "is not signed");
    }

    @Test
    void unsignedAnnotatedTagIsRejected() {
        assertVerificationError(() -> checkout(GitReference.tag("v1.0.1-unsigned-tag"), "Tag", releaseKey),
                "tag 'v1.0.1-unsigned-tag' is not signed");
    }

    @Test
    void lightweightTagCannotBeVerified() {
        assertVerificationError(() -> checkout(GitReference.tag("v1.0.2-light"), "Tag", releaseKey), "lightweight tag");
    }

    @Test
    void tagSignedByAnUntrustedKeyIsRejected() {
        assertVerificationError(() -> checkout(GitReference.tag("v1.0.3-stranger"), "Tag", releaseKey),
                "not one of the trusted public keys");
    }

    @Test
    void tagModeNeedsATagReference() {
        assertVerificationError(() -> checkout(GitReference.branch("signed"), "Tag", releaseKey), "is not a tag");
    }

    @Test
    void refNameOfATagCanBeVerifiedInTagMode() throws Exception {
        assertThat(checkout(GitReference.name("refs/tags/v1.0.0"), "Tag", releaseKey).verification().tagKeyId())
                .isEqualTo(releaseKey.keyId());
    }

    @Test
    void garbageOrMissingKeysAreVerificationErrors() {
        assertThatThrownBy(() -> fetcher.checkout(GitCheckoutRequest.of(url, GitReference.branch("signed"))
                .withVerification("HEAD", List.of("not a key")), work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo("VerificationError"));
        assertThatThrownBy(() -> fetcher.checkout(GitCheckoutRequest.of(url, GitReference.branch("signed"))
                .withVerification("HEAD", List.of()), work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.getMessage()).contains("no OpenPGP public keys"));
        assertThatThrownBy(() -> fetcher.checkout(GitCheckoutRequest.of(url, GitReference.branch("signed"))
                .withVerification("Sometimes", List.of(releaseKey.armoredPublicKey())), work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.getMessage()).contains("not one of HEAD, Tag, TagAndHEAD"));
    }

    @Test
    void commitAndTagSignedByGitWithGnuPgVerify() throws Exception {
        // signatures made by git + gpg themselves, so the signed-payload reconstruction is checked
        // against the real thing and not only against the test kit's own signer
        Path gnupg = work.resolve("gnupg");
        java.nio.file.Files.createDirectories(gnupg);
        java.nio.file.Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path clone = work.resolve("clone");
        try {
            run(gnupg, work, "gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Git Signer <git@currents.invalid>",
                    "rsa2048", "sign", "never");
            String armored = run(gnupg, work, "gpg", "--armor", "--export", "git@currents.invalid");
            TestRepo gitSigned = TestRepo.create(repos, "git-signed");
            run(gnupg, work, "git", "clone", "-q", gitSigned.path().toString(), clone.toString());
            java.nio.file.Files.writeString(clone.resolve("app.yaml"), "signed: by git\n");
            run(gnupg, clone, "git", "add", "app.yaml");
            run(gnupg, clone, "git", "-c", "user.name=Git Signer", "-c", "user.email=git@currents.invalid",
                    "-c", "user.signingkey=git@currents.invalid", "commit", "-q", "-S", "-m", "signed by git\n\nbody");
            run(gnupg, clone, "git", "-c", "user.name=Git Signer", "-c", "user.email=git@currents.invalid",
                    "-c", "user.signingkey=git@currents.invalid", "tag", "-s", "v9.0.0", "-m", "signed tag by git");
            run(gnupg, clone, "git", "push", "-q", "origin", "HEAD:refs/heads/main", "refs/tags/v9.0.0");

            GitCheckout checkout = fetcher.checkout(GitCheckoutRequest.of(server.url(gitSigned), GitReference.tag("v9.0.0"))
                    .withVerification("TagAndHEAD", List.of(armored)), work.resolve("checked"));

            assertThat(checkout.verification().commitKeyId()).isNotNull().isEqualTo(checkout.verification().tagKeyId());
        } finally {
            // stop the gpg-agent this test's GNUPGHOME started
            ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "gpg-agent").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            kill.environment().put("GNUPGHOME", gnupg.toString());
            kill.start().waitFor();
        }
    }

    private static String run(Path gnupg, Path dir, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GNUPGHOME", gnupg.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
