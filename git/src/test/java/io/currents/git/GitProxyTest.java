package io.currents.git;

import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.HttpProxyServer;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fetching through the proxy of {@code spec.proxySecretRef}, with and without proxy credentials. */
class GitProxyTest {

    @TempDir
    static Path repos;

    static GitHttpServer server;
    static TestRepo repo;
    static String head;

    final GitFetcher fetcher = new GitFetcher();

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        repo = TestRepo.create(repos, "proxied");
        head = repo.commit("main", Map.of("app.yaml", "via: proxy\n"), "proxied commit");
        server = GitHttpServer.builder(repos).basicAuth("flux", "repo-pass").start();
    }

    @AfterAll
    static void stop() {
        server.close();
        repo.close();
    }

    private GitCheckoutRequest request(GitProxy proxy) {
        return GitCheckoutRequest.of(server.url(repo), GitReference.branch("main"))
                .withAuth(GitAuth.basic("flux", "repo-pass"))
                .withProxy(proxy);
    }

    @Test
    void httpFetchGoesThroughTheProxy() throws Exception {
        try (HttpProxyServer proxy = HttpProxyServer.start()) {
            GitCheckout checkout = fetcher.checkout(request(new GitProxy(proxy.address(), null, null)), work.resolve("c"));

            assertThat(checkout.commit()).isEqualTo(head);
            assertThat(proxy.requests()).anyMatch(r -> r.startsWith("GET " + server.url(repo) + "/info/refs"))
                    .anyMatch(r -> r.startsWith("POST " + server.url(repo) + "/git-upload-pack"));
        }
    }

    @Test
    void proxyCredentialsAreUsed() throws Exception {
        try (HttpProxyServer proxy = HttpProxyServer.start("proxy-user", "proxy-pass")) {
            GitProxy settings = new GitProxy(proxy.address(), "proxy-user", "proxy-pass");

            assertThat(fetcher.remoteRevision(request(settings))).hasValue("main@sha1:" + head);
            assertThat(fetcher.checkout(request(settings), work.resolve("c")).commit()).isEqualTo(head);
        }
    }

    @Test
    void wrongProxyCredentialsFailWithoutThePassword() {
        try (HttpProxyServer proxy = HttpProxyServer.start("proxy-user", "proxy-pass")) {
            GitProxy settings = new GitProxy(proxy.address(), "proxy-user", "bad-proxy-pass");

            assertThatThrownBy(() -> fetcher.checkout(request(settings), work.resolve("c")))
                    .isInstanceOfSatisfying(GitException.class,
                            e -> assertThat(e.getMessage()).doesNotContain("bad-proxy-pass"));
            assertThat(proxy.requests()).isEmpty();
        }
    }

    @Test
    void sshGoesThroughTheProxyWithConnect() throws Exception {
        SshKeyPair key = SshKeyPair.ed25519();
        try (GitSshServer ssh = GitSshServer.start(repos, List.of(key.publicKey()));
             // without the delay JGit's proxy connector intermittently loses the server's SSH banner
             HttpProxyServer proxy = HttpProxyServer.start().delayAfterConnect(Duration.ofMillis(300))) {
            GitCheckoutRequest request = GitCheckoutRequest.of(ssh.url(repo), GitReference.branch("main"))
                    .withAuth(GitAuth.ssh(key.privateKey(), null, ssh.knownHostsLine()))
                    .withProxy(new GitProxy(proxy.address(), null, null));

            assertThat(fetcher.checkout(request, work.resolve("c")).commit()).isEqualTo(head);
            assertThat(proxy.requests()).contains("CONNECT 127.0.0.1:" + ssh.port() + " HTTP/1.1");
        }
    }
}
