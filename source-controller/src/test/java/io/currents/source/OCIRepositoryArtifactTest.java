package io.currents.source;

import io.currents.api.source.v1.OCIRepository;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** OCIRepository pulls Flux artifacts by tag, semver range or digest and stores them as Flux does. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class OCIRepositoryArtifactTest {

    static OciRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = OciRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void aTagIsStoredAsTagAtDigestWithTheIgnoreRulesApplied() throws Exception {
        var s = new OCIRepositoryScenario("oci-tag", registry);
        String digest = s.push("tag/app", "v1", Map.of("deploy.yaml", "kind: ConfigMap\n", "docs/skip.md", "x", ".sourceignore", ""));
        s.apply("app", "tag/app", """
                insecure: true
                ref:
                  tag: v1
                ignore: "docs/"
                """);

        OCIRepository ready = s.awaitReady("app");
        assertThat(ready.getStatus().getArtifact().getRevision()).isEqualTo("v1@" + digest);
        assertThat(s.readyMessage(ready)).isEqualTo("stored artifact for digest 'v1@" + digest + "'");
        assertThat(OCIRepositoryScenario.files(ready.getStatus().getArtifact())).containsOnlyKeys("deploy.yaml", ".sourceignore");
        assertThat(ready.getStatus().getArtifact().getMetadata()).containsEntry("org.opencontainers.image.revision", "main@sha1:0123456789abcdef");
        assertThat(ready.getStatus().getObservedIgnore()).isEqualTo("docs/");
        assertThat(ready.getStatus().getUrl()).isEqualTo(ready.getStatus().getArtifact().getUrl());
        assertThat(s.cluster.events("app")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("NewArtifact");
            assertThat(e.getMessage()).contains("origin revision 'main@sha1:0123456789abcdef'");
        });
    }

    @Test
    void anUnchangedDigestCostsOneManifestHeadAndANewOneIsStored() throws Exception {
        var s = new OCIRepositoryScenario("oci-quiet", registry);
        s.push("quiet/app", "latest", Map.of("a.yaml", "a: 1\n"));
        s.apply("app", "quiet/app", "insecure: true");
        OCIRepository first = s.awaitReady("app");

        long heads = registry.requests("HEAD", "/v2/quiet/app/manifests/");
        long gets = registry.requests("GET", "/v2/quiet/app/");
        s.reconcileNow("app");
        s.reconcileNow("app");
        assertThat(registry.requests("HEAD", "/v2/quiet/app/manifests/") - heads).isEqualTo(2);
        assertThat(registry.requests("GET", "/v2/quiet/app/")).as("no manifest or blob GET").isEqualTo(gets);
        assertThat(s.cluster.get(OCIRepository.class, "app").getStatus().getArtifact().getRevision())
                .isEqualTo(first.getStatus().getArtifact().getRevision());

        String second = s.push("quiet/app", "latest", Map.of("a.yaml", "a: 2\n"));
        s.reconcileNow("app");
        OCIRepository updated = s.awaitReady("app");
        assertThat(updated.getStatus().getArtifact().getRevision()).isEqualTo("latest@" + second);
        assertThat(OCIRepositoryScenario.files(updated.getStatus().getArtifact())).containsEntry("a.yaml", "a: 2\n");
    }

    @Test
    void aSemverRangePicksTheHighestTagTheFilterAdmits() throws Exception {
        var s = new OCIRepositoryScenario("oci-semver", registry);
        s.push("semver/app", "1.0.0", Map.of("v", "1.0.0"));
        s.push("semver/app", "1.2.0", Map.of("v", "1.2.0"));
        String rc = s.push("semver/app", "1.3.0-rc.1", Map.of("v", "1.3.0-rc.1"));
        s.push("semver/app", "2.0.0", Map.of("v", "2.0.0"));
        s.apply("stable", "semver/app", """
                insecure: true
                ref:
                  semver: ">=1.0.0 <2.0.0"
                """);
        s.apply("rc", "semver/app", """
                insecure: true
                ref:
                  semver: ">=1.0.0-0"
                  semverFilter: ".*-rc.*"
                """);

        assertThat(s.awaitReady("stable").getStatus().getArtifact().getRevision()).startsWith("1.2.0@sha256:");
        assertThat(s.awaitReady("rc").getStatus().getArtifact().getRevision()).isEqualTo("1.3.0-rc.1@" + rc);
    }

    @Test
    void aDigestRefPinsTheArtifactWhateverTheTagsSay() throws Exception {
        var s = new OCIRepositoryScenario("oci-digest", registry);
        String pinned = s.push("digest/app", "v1", Map.of("v", "one"));
        s.push("digest/app", "v1", Map.of("v", "two"));
        s.apply("app", "digest/app", """
                insecure: true
                ref:
                  tag: v1
                  digest: "%s"
                """.formatted(pinned));

        OCIRepository ready = s.awaitReady("app");
        assertThat(ready.getStatus().getArtifact().getRevision()).isEqualTo(pinned);
        assertThat(OCIRepositoryScenario.files(ready.getStatus().getArtifact())).containsEntry("v", "one");
    }

    @Test
    void theLayerSelectorPicksByMediaTypeAndCopyKeepsTheLayerAsPushed() throws Exception {
        var s = new OCIRepositoryScenario("oci-layers", registry);
        byte[] chart = Tarball.of(Map.of("podinfo/Chart.yaml", "name: podinfo\nversion: 1.0.0\n"));
        s.pushLayers("layers/app", "v1", new java.util.LinkedHashMap<>(Map.of(
                "application/vnd.cncf.helm.chart.content.v1.tar+gzip", chart)));
        s.apply("app", "layers/app", """
                insecure: true
                ref:
                  tag: v1
                layerSelector:
                  mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
                  operation: copy
                """);

        OCIRepository ready = s.awaitReady("app");
        assertThat(SourceScenario.downloadVerified(ready.getStatus().getArtifact())).isEqualTo(chart);
        assertThat(ready.getStatus().getObservedLayerSelector().getOperation()).isEqualTo("copy");
    }
}
