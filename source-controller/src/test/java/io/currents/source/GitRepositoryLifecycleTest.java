package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.testkit.git.TestRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class GitRepositoryLifecycleTest extends GitServerTest {

    @Test
    void deletingTheObjectRemovesItsArtifactsAndTheFinalizer() throws Exception {
        TestRepo repo = TestRepo.create(root, "deleted");
        repo.commit("main", Map.of("a.yaml", "a: 1\n"), "only");
        var scenario = new GitRepositoryScenario("delete");
        scenario.apply(gitRepository("app", server.url(repo), "branch: main"));
        GitRepository ready = scenario.awaitReady("app");
        assertThat(ready.getMetadata().getFinalizers()).contains("finalizers.fluxcd.io");
        String url = ready.getStatus().getArtifact().getUrl();
        assertThat(GitRepositoryScenario.status(url)).isEqualTo(200);

        scenario.client.resources(GitRepository.class).inNamespace(scenario.namespace).withName("app").delete();
        // the object goes away only once the controller has removed its finalizer
        scenario.client.resources(GitRepository.class).inNamespace(scenario.namespace).withName("app")
                .waitUntilCondition(r -> r == null, 60, TimeUnit.SECONDS);

        assertThat(GitRepositoryScenario.status(url)).isEqualTo(404);
    }

    @Test
    void theControllerWritesOnlyStatusAndNeverOwnsSpecFields() {
        TestRepo repo = TestRepo.create(root, "owned");
        repo.commit("main", Map.of("a.yaml", "a: 1\n"), "only");
        var scenario = new GitRepositoryScenario("owner");
        scenario.apply(gitRepository("app", server.url(repo), "branch: main"));

        GitRepository ready = scenario.awaitReady("app");

        var entries = ready.getMetadata().getManagedFields().stream()
                .filter(f -> "gitrepository".equals(f.getManager())).toList();
        assertThat(entries).isNotEmpty();
        assertThat(entries).allSatisfy(f -> assertThat(f.getFieldsV1().getAdditionalProperties()).doesNotContainKey("f:spec"));
    }

    @Test
    void aSuspendedRepositoryIsNotFetchedUntilResumed() {
        TestRepo repo = TestRepo.create(root, "suspended");
        String first = repo.commit("main", Map.of("a.yaml", "a: 1\n"), "first");
        var scenario = new GitRepositoryScenario("suspend");
        scenario.apply(gitRepository("app", server.url(repo), "branch: main"));
        scenario.awaitReady("app");

        scenario.client.resources(GitRepository.class).inNamespace(scenario.namespace).withName("app")
                .edit(r -> {
                    r.getSpec().setSuspend(true);
                    return r;
                });
        String second = repo.commit("main", Map.of("a.yaml", "a: 2\n"), "second");
        GitRepository suspended = scenario.reconcileNow("app");
        assertThat(suspended.getStatus().getArtifact().getRevision()).isEqualTo("main@sha1:" + first);

        scenario.client.resources(GitRepository.class).inNamespace(scenario.namespace).withName("app")
                .edit(r -> {
                    r.getSpec().setSuspend(false);
                    return r;
                });
        GitRepository resumed = scenario.await("app", r -> ("main@sha1:" + second).equals(r.getStatus().getArtifact().getRevision()));
        assertThat(GitRepositoryScenario.readyStatus(resumed)).isEqualTo("True");
    }

    @Test
    void tagSemverNameAndCommitReferencesUseFluxRevisionFormats() {
        TestRepo repo = TestRepo.create(root, "refs");
        String c1 = repo.commit("main", Map.of("a.yaml", "a: 1\n"), "one");
        repo.lightweightTag("v1.2.0", c1);
        String c2 = repo.commit("main", Map.of("a.yaml", "a: 2\n"), "two");
        repo.annotatedTag("v1.3.0", c2, "release 1.3.0", null);
        String c3 = repo.commit("main", Map.of("a.yaml", "a: 3\n"), "three");
        repo.lightweightTag("v2.0.0", c3);
        repo.ref("refs/pull/7/head", c2);
        var scenario = new GitRepositoryScenario("refs");
        scenario.apply(gitRepository("tag", server.url(repo), "tag: v1.2.0"));
        scenario.apply(gitRepository("semver", server.url(repo), "semver: \">=1.0.0 <2.0.0\""));
        scenario.apply(gitRepository("name", server.url(repo), "name: refs/pull/7/head"));
        scenario.apply(gitRepository("commit", server.url(repo), "commit: " + c1));

        assertThat(scenario.awaitReady("tag").getStatus().getArtifact().getRevision()).isEqualTo("v1.2.0@sha1:" + c1);
        assertThat(scenario.awaitReady("semver").getStatus().getArtifact().getRevision()).isEqualTo("v1.3.0@sha1:" + c2);
        assertThat(scenario.awaitReady("name").getStatus().getArtifact().getRevision()).isEqualTo("refs/pull/7/head@sha1:" + c2);
        assertThat(scenario.awaitReady("commit").getStatus().getArtifact().getRevision()).isEqualTo("sha1:" + c1);
    }
}
