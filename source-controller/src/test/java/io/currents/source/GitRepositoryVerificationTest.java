package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.testkit.git.PgpKey;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class GitRepositoryVerificationTest extends GitServerTest {

    static PgpKey trusted;
    static PgpKey stranger;

    @BeforeAll
    static void createRepositories() {
        trusted = PgpKey.generate("Release Bot <release@currents.invalid>");
        stranger = PgpKey.generate("Someone Else <else@currents.invalid>");
    }

    private static String verified(String name, String url, String ref, String mode) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  url: %s
                  ref:
                    %s
                  verify:
                    mode: %s
                    secretRef:
                      name: pgp-public-keys
                """.formatted(name, url, ref, mode);
    }

    @Test
    void aCommitSignedByATrustedKeyIsVerified() {
        TestRepo repo = TestRepo.create(root, "signed");
        repo.change("main").file("a.yaml", "a: 1\n").signedBy(trusted).commit("signed commit");
        var scenario = new GitRepositoryScenario("signed");
        scenario.secret("pgp-public-keys", Map.of("release.asc", trusted.armoredPublicKey()));
        scenario.apply(verified("app", server.url(repo), "branch: main", "HEAD"));

        GitRepository ready = scenario.awaitReady("app");
        var verifiedCondition = GitRepositoryScenario.condition(ready, "SourceVerified").orElseThrow();
        assertThat(verifiedCondition.getStatus()).isEqualTo("True");
        assertThat(verifiedCondition.getMessage()).contains(trusted.keyId());
        assertThat(ready.getStatus().getSourceVerificationMode()).isEqualTo("HEAD");
    }

    @Test
    void anUnsignedCommitIsRefusedAndNoArtifactIsProduced() {
        TestRepo repo = TestRepo.create(root, "unsigned");
        repo.commit("main", Map.of("a.yaml", "a: 1\n"), "unsigned commit");
        var scenario = new GitRepositoryScenario("unsigned");
        scenario.secret("pgp-public-keys", Map.of("release.asc", trusted.armoredPublicKey()));
        scenario.apply(verified("app", server.url(repo), "branch: main", "HEAD"));

        GitRepository failed = scenario.awaitNotReady("app", "VerificationError");
        assertThat(GitRepositoryScenario.condition(failed, "SourceVerified").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(failed.getStatus().getArtifact()).isNull();
    }

    @Test
    void aCommitSignedByAnUnknownKeyIsRefused() {
        TestRepo repo = TestRepo.create(root, "stranger");
        repo.change("main").file("a.yaml", "a: 1\n").signedBy(stranger).commit("signed by someone else");
        var scenario = new GitRepositoryScenario("stranger");
        scenario.secret("pgp-public-keys", Map.of("release.asc", trusted.armoredPublicKey()));
        scenario.apply(verified("app", server.url(repo), "branch: main", "HEAD"));

        scenario.awaitNotReady("app", "VerificationError");
    }

    @Test
    void aSignedTagIsVerifiedInTagMode() {
        TestRepo repo = TestRepo.create(root, "tagged");
        String commit = repo.commit("main", Map.of("a.yaml", "a: 1\n"), "release");
        repo.annotatedTag("v1.0.0", commit, "v1.0.0", trusted);
        var scenario = new GitRepositoryScenario("tagged");
        scenario.secret("pgp-public-keys", Map.of("release.asc", trusted.armoredPublicKey()));
        scenario.apply(verified("app", server.url(repo), "tag: v1.0.0", "Tag"));

        GitRepository ready = scenario.awaitReady("app");
        assertThat(ready.getStatus().getArtifact().getRevision()).isEqualTo("v1.0.0@sha1:" + commit);
        assertThat(GitRepositoryScenario.condition(ready, "SourceVerified").orElseThrow().getStatus()).isEqualTo("True");
    }
}
