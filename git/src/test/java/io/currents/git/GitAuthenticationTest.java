package io.currents.git;

import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Credentials over HTTP (basic, bearer) and SSH (key + strict known_hosts), and what failures say. */
class GitAuthenticationTest {

    private static final String PASSWORD = "s3cret-pass-word";
    private static final String TOKEN = "tok-0123456789abcdef";

    @TempDir
    static Path repos;

    static TestRepo repo;
    static String head;
    static GitHttpServer basicServer;
    static GitHttpServer tokenServer;
    static GitSshServer sshServer;
    static SshKeyPair clientKey;
    static SshKeyPair encryptedRsaKey;

    final GitFetcher fetcher = new GitFetcher();

    @TempDir
    Path work;

    @BeforeAll
    static void startServers() {
        repo = TestRepo.create(repos, "private");
        head = repo.commit("main", Map.of("app.yaml", "private: true\n"), "private commit");
        basicServer = GitHttpServer.builder(repos).basicAuth("flux", PASSWORD).start();
        tokenServer = GitHttpServer.builder(repos).bearerToken(TOKEN).start();
        clientKey = SshKeyPair.ed25519();
        encryptedRsaKey = SshKeyPair.generate("rsa", "key-passphrase", true);
        sshServer = GitSshServer.start(repos, List.of(clientKey.publicKey(), encryptedRsaKey.publicKey()));
    }

    @AfterAll
    static void stopServers() {
        basicServer.close();
        tokenServer.close();
        sshServer.close();
        repo.close();
    }

    private GitCheckoutRequest request(String url, GitAuth auth) {
        return GitCheckoutRequest.of(url, GitReference.branch("main")).withAuth(auth);
    }

    @Test
    void basicAuthWithRightCredentialsFetches() throws Exception {
        GitCheckout checkout = fetcher.checkout(request(basicServer.url(repo), GitAuth.basic("flux", PASSWORD)), work.resolve("c"));

        assertThat(checkout.revision()).isEqualTo("main@sha1:" + head);
        assertThat(fetcher.remoteRevision(request(basicServer.url(repo), GitAuth.basic("flux", PASSWORD))))
                .hasValue("main@sha1:" + head);
    }

    @Test
    void basicAuthWithWrongPasswordIsAuthenticationFailedWithoutThePassword() {
        assertThatThrownBy(() -> fetcher.checkout(request(basicServer.url(repo), GitAuth.basic("flux", "wrong-password")),
                work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("AuthenticationFailed");
                    assertThat(e.getMessage()).contains(basicServer.url(repo)).doesNotContain("wrong-password");
                });
    }

    @Test
    void missingCredentialsAreAuthenticationFailed() {
        assertThatThrownBy(() -> fetcher.remoteRevision(request(basicServer.url(repo), GitAuth.none())))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("AuthenticationFailed");
                    assertThat(e.getMessage()).contains("no credentials were given");
                });
    }

    @Test
    void credentialsInTheUrlNeverReachTheMessage() {
        String url = basicServer.url(repo).replace("http://", "http://flux:url-secret-9@");
        String wrongHost = url.replace("private.git", "missing.git");

        assertThatThrownBy(() -> fetcher.checkout(request(wrongHost, GitAuth.basic("flux", "wrong-password")), work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class,
                        e -> assertThat(e.getMessage()).doesNotContain("url-secret-9").doesNotContain("wrong-password"));
    }

    @Test
    void bearerTokenIsSentAsAuthorizationHeader() throws Exception {
        GitCheckout checkout = fetcher.checkout(request(tokenServer.url(repo), GitAuth.bearer(TOKEN)), work.resolve("c"));

        assertThat(checkout.commit()).isEqualTo(head);
    }

    @Test
    void wrongBearerTokenIsAuthenticationFailedWithoutTheToken() {
        assertThatThrownBy(() -> fetcher.checkout(request(tokenServer.url(repo), GitAuth.bearer("tok-wrong-token")), work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("AuthenticationFailed");
                    assertThat(e.getMessage()).doesNotContain("tok-wrong-token");
                });
    }

    @Test
    void sshKeyWithKnownHostFetches() throws Exception {
        GitCheckoutRequest request = request(sshServer.url(repo), GitAuth.ssh(clientKey.privateKey(), null, sshServer.knownHostsLine()));

        assertThat(fetcher.checkout(request, work.resolve("c")).revision()).isEqualTo("main@sha1:" + head);
        assertThat(fetcher.remoteRevision(request)).hasValue("main@sha1:" + head);
    }

    @Test
    void passphraseProtectedPemRsaKeyFetches() throws Exception {
        GitCheckoutRequest request = request(sshServer.url(repo),
                GitAuth.ssh(encryptedRsaKey.privateKey(), "key-passphrase", sshServer.knownHostsLine()));

        assertThat(fetcher.checkout(request, work.resolve("c")).commit()).isEqualTo(head);
    }

    @Test
    void wrongPassphraseIsAuthenticationFailedWithoutThePassphrase() {
        GitCheckoutRequest request = request(sshServer.url(repo),
                GitAuth.ssh(encryptedRsaKey.privateKey(), "not-the-passphrase", sshServer.knownHostsLine()));

        assertThatThrownBy(() -> fetcher.checkout(request, work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("AuthenticationFailed");
                    assertThat(e.getMessage()).doesNotContain("not-the-passphrase");
                });
    }

    @Test
    void unknownHostKeyIsAuthenticationFailed() {
        String otherHostsKey = "[127.0.0.1]:" + sshServer.port() + " " + SshKeyPair.ed25519().publicKey().split(" ", 3)[0]
                + " " + SshKeyPair.ed25519().publicKey().split(" ", 3)[1];
        GitCheckoutRequest request = request(sshServer.url(repo), GitAuth.ssh(clientKey.privateKey(), null, otherHostsKey));

        assertThatThrownBy(() -> fetcher.checkout(request, work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("AuthenticationFailed");
                    assertThat(e.getMessage()).contains("host key mismatch for [127.0.0.1]:" + sshServer.port());
                });
    }

    @Test
    void hostMissingFromKnownHostsIsAuthenticationFailed() {
        String otherHost = sshServer.knownHostsLine().replace("[127.0.0.1]", "[example.com]");
        GitCheckoutRequest request = request(sshServer.url(repo), GitAuth.ssh(clientKey.privateKey(), null, otherHost));

        assertThatThrownBy(() -> fetcher.remoteRevision(request))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("AuthenticationFailed");
                    assertThat(e.getMessage()).contains("is not in known_hosts");
                });
    }

    @Test
    void keyTheServerDoesNotAcceptIsAuthenticationFailedWithoutTheKey() {
        SshKeyPair stranger = SshKeyPair.ed25519();
        GitCheckoutRequest request = request(sshServer.url(repo), GitAuth.ssh(stranger.privateKey(), null, sshServer.knownHostsLine()));

        assertThatThrownBy(() -> fetcher.checkout(request, work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("AuthenticationFailed");
                    String keyBody = new String(stranger.privateKey(), StandardCharsets.US_ASCII).split("\n")[1];
                    assertThat(e.getMessage()).doesNotContain(keyBody);
                });
    }

    @Test
    void sshWithoutKnownHostsIsRefusedBeforeConnecting() {
        GitCheckoutRequest request = request(sshServer.url(repo), GitAuth.ssh(clientKey.privateKey(), null, null));

        assertThatThrownBy(() -> fetcher.checkout(request, work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("AuthenticationFailed");
                    assertThat(e.getMessage()).contains("known_hosts");
                });
    }

    @Test
    void unreachableHostIsGitOperationFailed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        GitCheckoutRequest request = request("http://127.0.0.1:" + closedPort + "/app.git", GitAuth.none())
                .withTimeout(Duration.ofSeconds(5));

        assertThatThrownBy(() -> fetcher.checkout(request, work.resolve("c")))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.reason()).isEqualTo("GitOperationFailed");
                    assertThat(e.getMessage()).contains("cannot reach http://127.0.0.1:" + closedPort);
                });
    }

    @Test
    void serverThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            GitCheckoutRequest request = request("http://127.0.0.1:" + silent.getLocalPort() + "/app.git", GitAuth.none())
                    .withTimeout(Duration.ofSeconds(2));
            long started = System.nanoTime();

            assertThatThrownBy(() -> fetcher.remoteRevision(request))
                    .isInstanceOfSatisfying(GitException.class, e -> {
                        assertThat(e.reason()).isEqualTo("GitOperationFailed");
                        assertThat(e.getMessage()).contains("timed out");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void sshServerThatNeverSpeaksIsCutOffAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            GitCheckoutRequest request = request("ssh://git@127.0.0.1:" + silent.getLocalPort() + "/app.git",
                    GitAuth.ssh(clientKey.privateKey(), null, sshServer.knownHostsLine()))
                    .withTimeout(Duration.ofSeconds(3));
            long started = System.nanoTime();

            assertThatThrownBy(() -> fetcher.checkout(request, work.resolve("c")))
                    .isInstanceOfSatisfying(GitException.class, e -> {
                        assertThat(e.reason()).isEqualTo("GitOperationFailed");
                        assertThat(e.getMessage()).contains("timed out after 3s");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void unsupportedOrMalformedUrlsAreUrlInvalid() {
        for (String url : List.of("git@github.com:org/repo.git", "ftp://example.com/repo.git", "file:///tmp/repo.git",
                "http://exa mple.com/repo", "", "https:///no-host")) {
            assertThatThrownBy(() -> fetcher.checkout(request(url, GitAuth.none()), work.resolve("c")))
                    .as(url)
                    .isInstanceOfSatisfying(GitException.class, e -> assertThat(e.reason()).isEqualTo("URLInvalid"));
        }
    }

    @Test
    void authToStringRevealsNoSecret() {
        GitAuth auth = new GitAuth("flux", PASSWORD, TOKEN, "KEY".getBytes(), "phrase-xyz", "hosts",
                new GitTls("CA", "CERT", "tls-key-material"));

        assertThat(auth.toString()).doesNotContain(PASSWORD, TOKEN, "phrase-xyz", "tls-key-material");
        assertThat(new GitProxy("http://proxy:3128", "u", "proxy-pass-1").toString()).doesNotContain("proxy-pass-1");
    }
}
