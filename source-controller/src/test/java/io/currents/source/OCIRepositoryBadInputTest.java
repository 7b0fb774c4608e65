package io.currents.source;

import io.currents.api.source.v1.OCIRepository;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile or broken artifacts fail with Flux's reasons and a Warning event, and the last good artifact stays served. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class OCIRepositoryBadInputTest {

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
    void anUnknownTagFailsWithPullFailedAndRetries() {
        var s = new OCIRepositoryScenario("oci-notag", registry);
        s.apply("app", "notag/app", "insecure: true\nref:\n  tag: v9\n");

        OCIRepository failed = s.awaitNotReady("app", "OCIArtifactPullFailed");
        assertThat(s.readyMessage(failed)).contains("failed to determine artifact digest").contains("not found");
        assertThat(SourceScenario.condition(failed, "FetchFailed").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(SourceScenario.condition(failed, "Stalled")).isEmpty();
        assertThat(s.cluster.events("app")).anySatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void unsafeOrBrokenLayersAreRefusedAndTheLastGoodArtifactStays() throws Exception {
        var s = new OCIRepositoryScenario("oci-unsafe", registry);
        s.push("unsafe/app", "latest", Map.of("good.yaml", "good: true\n"));
        s.apply("app", "unsafe/app", "insecure: true");
        var good = s.awaitReady("app").getStatus().getArtifact();

        Map<String, byte[]> hostile = new java.util.LinkedHashMap<>();
        hostile.put("dot-dot", Tarball.ofBytes(Map.of("../../escaped.yaml", "x".getBytes())));
        hostile.put("absolute", Tarball.ofBytes(Map.of("/tmp/absolute.yaml", "x".getBytes())));
        hostile.put("symlink", Tarball.withSymlink("passwd", "../../../../etc/passwd"));
        hostile.put("not-a-tarball", "just some text, not gzip".getBytes());
        byte[] big = new byte[3 << 20];
        new SecureRandom().nextBytes(big);
        hostile.put("oversized", Tarball.ofBytes(Map.of("big.bin", big)));

        for (Map.Entry<String, byte[]> bad : hostile.entrySet()) {
            s.pushTarGz("unsafe/app", "latest", bad.getValue());
            s.reconcileNow("app");
            OCIRepository failed = s.awaitNotReady("app", "OCIArtifactLayerOperationFailed");
            assertThat(s.readyMessage(failed)).as(bad.getKey()).contains("failed to extract layer contents from artifact");
            assertThat(failed.getStatus().getArtifact().getRevision()).as(bad.getKey()).isEqualTo(good.getRevision());
            assertThat(OCIRepositoryScenario.files(failed.getStatus().getArtifact())).as(bad.getKey()).containsOnlyKeys("good.yaml");
        }
        assertThat(s.cluster.events("app")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("OCIArtifactLayerOperationFailed");
        });
    }

    @Test
    void aMissingMediaTypeFailsTheLayerOperation() throws Exception {
        var s = new OCIRepositoryScenario("oci-mediatype", registry);
        s.push("mediatype/app", "latest", Map.of("a", "b"));
        s.apply("app", "mediatype/app", "insecure: true\nlayerSelector:\n  mediaType: application/x-nothing\n");

        OCIRepository failed = s.awaitNotReady("app", "OCIArtifactLayerOperationFailed");
        assertThat(s.readyMessage(failed)).contains("failed to find layer with media type 'application/x-nothing'");
    }

    @Test
    void aCloudProviderStallsNamingTheProvider() {
        var s = new OCIRepositoryScenario("oci-provider", registry);
        s.apply("app", "provider/app", "insecure: true\nprovider: aws\n");

        OCIRepository stalled = s.cluster.await(OCIRepository.class, "app", r -> "True".equals(SourceScenario.status(r, "Stalled")));
        assertThat(s.readyMessage(stalled)).contains("provider 'aws' is not supported");
        assertThat(SourceScenario.condition(stalled, "Ready").orElseThrow().getReason()).isEqualTo("UnsupportedProvider");
    }

    @Test
    void aMalformedUrlStalls() {
        var s = new OCIRepositoryScenario("oci-badurl", registry);
        s.cluster.apply(OCIRepository.class, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata:
                  name: app
                spec:
                  interval: 10m
                  url: oci://127.0.0.1:5000/UPPER/case
                """);
        OCIRepository stalled = s.cluster.await(OCIRepository.class, "app", r -> "True".equals(SourceScenario.status(r, "Stalled")));
        assertThat(SourceScenario.condition(stalled, "Ready").orElseThrow().getReason()).isEqualTo("URLInvalid");
    }

    @Test
    void anUnreachableRegistryFailsAndRetries() {
        var s = new OCIRepositoryScenario("oci-down", registry);
        s.cluster.apply(OCIRepository.class, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata:
                  name: app
                spec:
                  interval: 10m
                  timeout: 5s
                  insecure: true
                  url: oci://127.0.0.1:%d/down/app
                """.formatted(io.currents.testkit.ControlPlane.freePort()));
        OCIRepository failed = s.awaitNotReady("app", "OCIArtifactPullFailed");
        assertThat(SourceScenario.condition(failed, "Reconciling").orElseThrow().getReason()).isEqualTo("ProgressingWithRetry");
    }
}
