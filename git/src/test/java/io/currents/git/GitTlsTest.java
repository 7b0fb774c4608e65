package io.currents.git;

import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import io.currents.testkit.registry.TestCertificates;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS remotes: the CA of {@code ca.crt} is trusted, and {@code tls.crt}/{@code tls.key} are presented when the server asks. */
class GitTlsTest {

    @TempDir
    static Path repos;

    static TestRepo repo;
    static String head;
    static TestCertificates.Mutual certificates;
    static GitHttpServer https;
    static GitHttpServer mutual;

    final GitFetcher fetcher = new GitFetcher();

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        repo = TestRepo.create(repos, "secure");
        head = repo.commit("main", Map.of("app.yaml", "over: tls\n"), "tls commit");
        certificates = TestCertificates.caServerAndClient("127.0.0.1");
        https = GitHttpServer.builder(repos).tls(certificates.server()).basicAuth("flux", "tls-pass").start();
        mutual = GitHttpServer.builder(repos).tls(certificates.server())
                .requireClientCertificate(certificates.server().caCertificatePem()).start();
    }

    @AfterAll
    static void stop() {
        https.close();
        mutual.close();
        repo.close();
    }

    private GitCheckoutRequest request(GitHttpServer server, GitAuth auth) {
        return GitCheckoutRequest.of(server.url(repo), GitReference.branch("main")).withAuth(auth).withTimeout(Duration.ofSeconds(20));
    }

    private static GitTls ca() {
        return new GitTls(certificates.server().caCertificatePem(), null, null);
    }

    private static GitTls clientCertificate() {
        return new GitTls(certificates.server().caCertificatePem(), certificates.clientCertificatePem(), certificates.clientKeyPem());
    }

    @Test
    void theCaOfCaCrtIsTrustedAlongsideBasicAuthentication() throws Exception {
        GitCheckout checkout = fetcher.checkout(request(https, GitAuth.basic("flux", "tls-pass").withTls(ca())), work.resolve("c"));

        assertThat(checkout.revision()).isEqualTo("main@sha1:" + head);
        assertThat(Files.readString(work.resolve("c/app.yaml"))).isEqualTo("over: tls\n");
    }

    @Test
    void aServerWhoseCaIsNotGivenIsRefusedAsATlsFailure() {
        assertThatThrownBy(() -> fetcher.checkout(request(https, GitAuth.basic("flux", "tls-pass")), work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo(GitException.GIT_OPERATION_FAILED);
                    assertThat(e.getMessage()).contains("TLS connection to " + https.url(repo)).contains("ca.crt")
                            .doesNotContain("tls-pass");
                });
    }

    @Test
    void aClientCertificateIsPresentedWhenTheServerRequiresOne() throws Exception {
        GitCheckout checkout = fetcher.checkout(request(mutual, GitAuth.none().withTls(clientCertificate())), work.resolve("c"));

        assertThat(checkout.commit()).isEqualTo(head);
    }

    @Test
    void withoutAClientCertificateTheMutualTlsServerRefuses() {
        assertThatThrownBy(() -> fetcher.checkout(request(mutual, GitAuth.none().withTls(ca())), work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.getMessage()).contains(mutual.url(repo)));
    }

    @Test
    void aKeyWithoutItsCertificateOrAnUnreadableKeyIsRefusedBeforeConnecting() {
        int served = mutual.requests().size();
        GitTls keyOnly = new GitTls(null, null, certificates.clientKeyPem());
        assertThatThrownBy(() -> fetcher.checkout(request(mutual, GitAuth.none().withTls(keyOnly)), work.resolve("a")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo(GitException.AUTHENTICATION_FAILED);
                    assertThat(e.getMessage()).contains("'tls.crt' and 'tls.key'");
                });
        GitTls garbled = new GitTls(null, certificates.clientCertificatePem(), "-----BEGIN PRIVATE KEY-----\nsecret-bits\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> fetcher.checkout(request(mutual, GitAuth.none().withTls(garbled)), work.resolve("b")))
                .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.getMessage()).contains("'tls.key'").doesNotContain("secret-bits"));
        assertThat(mutual.requests()).hasSize(served);
    }

    @Test
    void aPushGoesOverTheSameTlsSettings() throws Exception {
        try (GitTransport transport = GitTransport.of(mutual.url(repo), GitAuth.none().withTls(clientCertificate()), null);
             GitWorkspace workspace = GitWorkspace.open(transport, mutual.url(repo), GitReference.branch("main"), "tls-push",
                     work.resolve("w"), Duration.ofSeconds(20))) {
            Files.writeString(workspace.root().resolve("pushed.yaml"), "by: mtls\n");
            String commit = workspace.commit(List.of("pushed.yaml"), new PersonIdent("Bot", "bot@example.com"), "over mTLS", null);
            workspace.push("tls-push", null, null);

            assertThat(repo.head("tls-push")).isEqualTo(commit);
        }
    }
}
