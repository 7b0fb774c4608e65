package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.source.v1.HelmRepository;
import io.currents.source.helm.TestCharts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmRepositoryIndexTest {

    static HelmRepoServer charts;

    @BeforeAll
    static void startRepository() {
        charts = HelmRepoServer.start();
    }

    @AfterAll
    static void stopRepository() {
        charts.close();
    }

    @Test
    void theIndexIsStoredAsFetchedWithItsSha256AsRevisionAndDigest() throws Exception {
        String index = TestCharts.index(Map.of("app", List.of("1.0.0", "1.1.0")));
        charts.put("stored/index.yaml", index);
        var scenario = new SourceScenario("helmrepo-index");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("podinfo", charts.url("stored"), null));

        HelmRepository ready = scenario.awaitReady(HelmRepository.class, "podinfo");
        Artifact artifact = ready.getStatus().getArtifact();
        String hex = GitRepositoryScenario.sha256(index.getBytes()).substring("sha256:".length());
        assertThat(artifact.getRevision()).isEqualTo("sha256:" + hex);
        assertThat(artifact.getDigest()).isEqualTo("sha256:" + hex);
        assertThat(artifact.getPath()).isEqualTo("helmrepository/" + scenario.namespace + "/podinfo/index-" + hex + ".yaml");
        assertThat(artifact.getUrl()).endsWith("/" + artifact.getPath());
        assertThat(new String(SourceScenario.downloadVerified(artifact))).isEqualTo(index);
        assertThat(ready.getStatus().getUrl()).endsWith("/helmrepository/" + scenario.namespace + "/podinfo/index.yaml");
        assertThat(GitRepositoryScenario.download(ready.getStatus().getUrl())).isEqualTo(index.getBytes());

        var readyCondition = SourceScenario.condition(ready, "Ready").orElseThrow();
        assertThat(readyCondition.getReason()).isEqualTo("Succeeded");
        assertThat(readyCondition.getMessage()).isEqualTo("stored artifact: revision 'sha256:" + hex + "'");
        assertThat(SourceScenario.status(ready, "ArtifactInStorage")).isEqualTo("True");
        assertThat(SourceScenario.condition(ready, "Reconciling")).isEmpty();
        assertThat(scenario.events("podinfo")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("NewArtifact");
            assertThat(e.getMessage()).startsWith("stored fetched index of size ").endsWith("from '" + charts.url("stored") + "'");
        });
    }

    @Test
    void aChangedIndexBecomesANewArtifactServedAtTheSameStatusUrl() throws Exception {
        charts.put("changing/index.yaml", TestCharts.index(Map.of("app", List.of("1.0.0"))));
        var scenario = new SourceScenario("helmrepo-change");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("changing"), null));
        Artifact first = scenario.awaitReady(HelmRepository.class, "repo").getStatus().getArtifact();

        scenario.reconcileNow(HelmRepository.class, "repo");
        assertThat(scenario.get(HelmRepository.class, "repo").getStatus().getArtifact().getRevision()).isEqualTo(first.getRevision());

        String changed = TestCharts.index(Map.of("app", List.of("1.0.0", "2.0.0")));
        charts.put("changing/index.yaml", changed);
        HelmRepository after = scenario.reconcileNow(HelmRepository.class, "repo");
        Artifact second = after.getStatus().getArtifact();
        assertThat(second.getRevision()).isNotEqualTo(first.getRevision()).isEqualTo(GitRepositoryScenario.sha256(changed.getBytes()));
        assertThat(new String(SourceScenario.downloadVerified(second))).isEqualTo(changed);
        assertThat(GitRepositoryScenario.download(after.getStatus().getUrl())).isEqualTo(changed.getBytes());
    }

    @Test
    void basicAuthFromTheSecretIsSentAndWrongCredentialsFailTheFetch() throws Exception {
        try (HelmRepoServer privateRepo = HelmRepoServer.start()) {
            privateRepo.requireBasicAuth("flux", "s3cret").put("index.yaml", TestCharts.index(Map.of("app", List.of("1.0.0"))));
            var scenario = new SourceScenario("helmrepo-auth");
            scenario.secret("creds", Map.of("username", "flux", "password", "wrong"));
            scenario.apply(HelmRepository.class, SourceScenario.helmRepository("private", privateRepo.url(""), "secretRef:\n  name: creds\n"));

            HelmRepository failed = scenario.awaitNotReady(HelmRepository.class, "private", "Failed");
            assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage())
                    .startsWith("failed to fetch Helm repository index: ").contains("401");
            assertThat(SourceScenario.condition(failed, "FetchFailed").orElseThrow().getStatus()).isEqualTo("True");
            assertThat(SourceScenario.condition(failed, "Reconciling").orElseThrow().getReason()).isEqualTo("ProgressingWithRetry");
            assertThat(scenario.events("private")).anySatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));

            scenario.secret("creds", Map.of("username", "flux", "password", "s3cret"));
            scenario.reconcileNow(HelmRepository.class, "private");
            HelmRepository ready = scenario.awaitReady(HelmRepository.class, "private");
            assertThat(ready.getStatus().getArtifact()).isNotNull();
            assertThat(SourceScenario.condition(ready, "FetchFailed")).isEmpty();
        }
    }

    @Test
    void aMissingSecretIsAnAuthenticationFailure() {
        var scenario = new SourceScenario("helmrepo-nosecret");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("stored"), "secretRef:\n  name: absent\n"));
        HelmRepository failed = scenario.awaitNotReady(HelmRepository.class, "repo", "AuthenticationFailed");
        assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage()).contains("absent").contains("not found");
    }

    @Test
    void aMalformedIndexFailsWithIndexationFailedAndKeepsTheLastGoodArtifact() throws Exception {
        charts.put("breaking/index.yaml", TestCharts.index(Map.of("app", List.of("1.0.0"))));
        var scenario = new SourceScenario("helmrepo-malformed");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("breaking"), null));
        Artifact good = scenario.awaitReady(HelmRepository.class, "repo").getStatus().getArtifact();

        charts.put("breaking/index.yaml", "entries:\n  app: []\n");
        scenario.reconcileNow(HelmRepository.class, "repo");
        HelmRepository failed = scenario.awaitNotReady(HelmRepository.class, "repo", "IndexationFailed");
        assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage())
                .isEqualTo("failed to load Helm repository from index YAML: no API version specified");
        assertThat(failed.getStatus().getArtifact().getRevision()).isEqualTo(good.getRevision());
        SourceScenario.downloadVerified(failed.getStatus().getArtifact());
        assertThat(scenario.events("repo")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("IndexationFailed");
        });
    }

    @Test
    void anUnreachableRepositoryOr404IsRetriedWithoutAnArtifact() {
        var scenario = new SourceScenario("helmrepo-404");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("nothing-here"), null));
        HelmRepository failed = scenario.awaitNotReady(HelmRepository.class, "repo", "Failed");
        assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage()).contains("404");
        assertThat(failed.getStatus().getArtifact()).isNull();
        assertThat(SourceScenario.condition(failed, "Stalled")).isEmpty();
    }

    @Test
    void switchingToTypeOciMakesTheRepositoryAStaticObjectWithoutArtifactOrConditions() throws Exception {
        charts.put("to-oci/index.yaml", TestCharts.index(Map.of("app", List.of("1.0.0"))));
        var scenario = new SourceScenario("helmrepo-oci");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", charts.url("to-oci"), null));
        Artifact artifact = scenario.awaitReady(HelmRepository.class, "repo").getStatus().getArtifact();

        scenario.client.resources(HelmRepository.class).inNamespace(scenario.namespace).withName("repo").edit(r -> {
            r.getSpec().setType("oci");
            r.getSpec().setUrl("oci://ghcr.io/stefanprodan/charts");
            return r;
        });
        HelmRepository oci = scenario.await(HelmRepository.class, "repo", r -> r.getStatus() == null
                || (r.getStatus().getArtifact() == null && (r.getStatus().getConditions() == null || r.getStatus().getConditions().isEmpty())));
        assertThat(oci.getStatus() == null ? null : oci.getStatus().getUrl()).isNull();
        assertThat(GitRepositoryScenario.status(artifact.getUrl())).isEqualTo(404);
    }

    @Test
    void anOciUrlOnADefaultRepositoryStalls() {
        var scenario = new SourceScenario("helmrepo-ociurl");
        scenario.apply(HelmRepository.class, SourceScenario.helmRepository("repo", "oci://ghcr.io/stefanprodan/charts", null));
        HelmRepository stalled = scenario.await(HelmRepository.class, "repo", r -> "True".equals(SourceScenario.status(r, "Stalled")));
        assertThat(SourceScenario.condition(stalled, "Ready").orElseThrow().getReason()).isEqualTo("URLInvalid");
    }
}
