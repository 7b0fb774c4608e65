package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.GitSshServer;
import io.currents.testkit.git.SshKeyPair;
import io.currents.testkit.git.TestRepo;
import io.currents.testkit.registry.TestCertificates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class GitRepositoryAuthTest {

    static Path root;
    static GitHttpServer basicAuthServer;
    static GitHttpServer tokenServer;
    static GitSshServer sshServer;
    static GitHttpServer httpsServer;
    static TestCertificates.Mutual certificates;
    static SshKeyPair clientKey;
    static TestRepo repo;
    static String commit;

    @BeforeAll
    static void startServers() throws Exception {
        root = Files.createTempDirectory("git-auth");
        repo = TestRepo.create(root, "private");
        commit = repo.commit("main", Map.of("app.yaml", "kind: ConfigMap\n"), "private app");
        basicAuthServer = GitHttpServer.builder(root).basicAuth("git-user", "s3cret-pass").start();
        tokenServer = GitHttpServer.builder(root).bearerToken("tok-123456").start();
        clientKey = SshKeyPair.ed25519();
        sshServer = GitSshServer.start(root, List.of(clientKey.publicKey()));
        certificates = TestCertificates.caServerAndClient("127.0.0.1");
        httpsServer = GitHttpServer.builder(root).tls(certificates.server())
                .requireClientCertificate(certificates.server().caCertificatePem()).start();
    }

    @AfterAll
    static void stop() {
        basicAuthServer.close();
        tokenServer.close();
        sshServer.close();
        httpsServer.close();
        repo.close();
    }

    private static String gitRepository(String name, String url, String secret) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  timeout: 20s
                  url: %s
                  ref:
                    branch: main
                  secretRef:
                    name: %s
                """.formatted(name, url, secret);
    }

    @Test
    void basicAuthWithTheRightPasswordFetchesAndAWrongOneFailsWithoutLosingTheArtifact() throws Exception {
        var scenario = new GitRepositoryScenario("basic");
        scenario.secret("creds", Map.of("username", "git-user", "password", "s3cret-pass"));
        scenario.apply(gitRepository("private", basicAuthServer.url(repo), "creds"));
        var artifact = scenario.awaitReady("private").getStatus().getArtifact();
        assertThat(artifact.getRevision()).isEqualTo("main@sha1:" + commit);

        scenario.secret("creds", Map.of("username", "git-user", "password", "wrong"));
        repo.commit("main", Map.of("app.yaml", "kind: Secret\n"), "second");
        scenario.reconcileNow("private");
        GitRepository failed = scenario.awaitNotReady("private", "AuthenticationFailed");

        assertThat(GitRepositoryScenario.condition(failed, "FetchFailed")).get()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        String message = GitRepositoryScenario.condition(failed, "Ready").orElseThrow().getMessage();
        assertThat(message).doesNotContain("wrong").doesNotContain("s3cret");
        // the last good artifact stays in status and keeps being served
        assertThat(failed.getStatus().getArtifact().getDigest()).isEqualTo(artifact.getDigest());
        assertThat(GitRepositoryScenario.downloadVerified(failed.getStatus().getArtifact())).containsKey("app.yaml");
        assertThat(scenario.events("private")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("AuthenticationFailed");
        });
    }

    @Test
    void aBearerTokenAuthenticates() {
        var scenario = new GitRepositoryScenario("bearer");
        scenario.secret("token", Map.of("bearerToken", "tok-123456"));
        scenario.apply(gitRepository("private", tokenServer.url(repo), "token"));

        assertThat(scenario.awaitReady("private").getStatus().getArtifact().getRevision()).startsWith("main@sha1:");
    }

    @Test
    void anSshKeyWithKnownHostsFetchesOverSsh() {
        var scenario = new GitRepositoryScenario("ssh");
        scenario.secret("ssh", Map.of("identity", new String(clientKey.privateKey(), StandardCharsets.UTF_8),
                "known_hosts", sshServer.knownHostsLine()));
        scenario.apply(gitRepository("private", sshServer.url(repo), "ssh"));

        GitRepository ready = scenario.awaitReady("private");
        assertThat(ready.getStatus().getArtifact().getRevision()).isEqualTo("main@sha1:" + repo.head("main"));
    }

    @Test
    void anUnknownSshHostKeyIsRefused() {
        var scenario = new GitRepositoryScenario("hostkey");
        SshKeyPair other = SshKeyPair.ed25519();
        String wrongHostLine = sshServer.knownHostsLine().replaceFirst("ssh-ed25519 \\S+", other.publicKey().split(" ")[0] + " " + other.publicKey().split(" ")[1]);
        scenario.secret("ssh", Map.of("identity", new String(clientKey.privateKey(), StandardCharsets.UTF_8),
                "known_hosts", wrongHostLine));
        scenario.apply(gitRepository("private", sshServer.url(repo), "ssh"));

        GitRepository failed = scenario.awaitNotReady("private", "AuthenticationFailed");
        assertThat(failed.getStatus().getArtifact()).isNull();
    }

    @Test
    void anSshKeyTheServerDoesNotKnowIsRefused() {
        var scenario = new GitRepositoryScenario("sshkey");
        scenario.secret("ssh", Map.of("identity", new String(SshKeyPair.ed25519().privateKey(), StandardCharsets.UTF_8),
                "known_hosts", sshServer.knownHostsLine()));
        scenario.apply(gitRepository("private", sshServer.url(repo), "ssh"));

        scenario.awaitNotReady("private", "AuthenticationFailed");
    }

    @Test
    void overHttpsTheCaOfCaCrtIsTrustedAndTheClientCertificateOfTlsCrtIsPresented() {
        var scenario = new GitRepositoryScenario("mtls");
        scenario.secret("tls", Map.of("ca.crt", certificates.server().caCertificatePem(),
                "tls.crt", certificates.clientCertificatePem(), "tls.key", certificates.clientKeyPem()));
        scenario.apply(gitRepository("private", httpsServer.url(repo), "tls"));

        assertThat(scenario.awaitReady("private").getStatus().getArtifact().getRevision()).isEqualTo("main@sha1:" + repo.head("main"));
    }

    @Test
    void aMissingSecretIsReportedByName() {
        var scenario = new GitRepositoryScenario("nosecret");
        scenario.apply(gitRepository("private", basicAuthServer.url(repo), "does-not-exist"));

        GitRepository failed = scenario.awaitNotReady("private", "AuthenticationFailed");
        assertThat(GitRepositoryScenario.condition(failed, "Ready").orElseThrow().getMessage())
                .contains("does-not-exist").contains("not found");
    }
}
