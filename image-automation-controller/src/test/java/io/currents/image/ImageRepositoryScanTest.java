package io.currents.image;

import io.currents.api.image.v1.ImageRepository;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static io.currents.image.ImageScenario.imageRepository;
import static io.currents.image.ImageScenario.ready;
import static io.currents.image.ImageScenario.readyMessage;
import static io.currents.image.ImageScenario.readyReason;
import static org.assertj.core.api.Assertions.assertThat;

/** An ImageRepository scans a real registry: tags, exclusions, Flux's latestTags, reconcile requests, bad names. */
@QuarkusTest
@QuarkusTestResource(value = ImageControllerTestResource.class, restrictToAnnotatedClass = false)
class ImageRepositoryScanTest {

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
    void theScanListsPushedTagsWithoutSignatures() {
        registry.push("scan/app", "1.0.0", "1.1.0", "latest");
        registry.push("scan/app", "sha256-0123.sig");
        var s = new ImageScenario("imgscan");
        s.apply(imageRepository("app", registry.image("scan/app"), null));

        ImageRepository repo = s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "True"));
        var status = repo.getStatus();
        assertThat(status.getLastScanResult().getTagCount()).isEqualTo(3);
        assertThat(status.getLastScanResult().getLatestTags()).containsExactly("latest", "1.1.0", "1.0.0");
        assertThat(status.getLastScanResult().getScanTime()).isNotBlank();
        assertThat(status.getCanonicalImageName()).isEqualTo(registry.image("scan/app"));
        assertThat(status.getObservedExclusionList()).containsExactly("^.*\\.sig$");
        assertThat(readyMessage(status.getConditions())).isEqualTo("successful scan: found 3 tags");
        assertThat(status.getObservedGeneration()).isEqualTo(repo.getMetadata().getGeneration());
        assertThat(repo.getMetadata().getFinalizers()).contains("finalizers.fluxcd.io");

        // a new tag is seen at the next scan, which a reconcile request starts now
        registry.push("scan/app", "1.2.0");
        s.requestReconcile(ImageRepository.class, "app");
        repo = s.awaitRepository("app", r -> r.getStatus().getLastScanResult().getTagCount() == 4);
        assertThat(repo.getStatus().getLastScanResult().getLatestTags()).containsExactly("latest", "1.2.0", "1.1.0", "1.0.0");
        assertThat(repo.getStatus().getLastHandledReconcileAt())
                .isEqualTo(repo.getMetadata().getAnnotations().get("reconcile.fluxcd.io/requestedAt"));
    }

    @Test
    void aChangedExclusionListRescansAtOnce() {
        registry.push("excl/app", "1.0.0", "1.0.0-debug", "2.0.0", "2.0.0-debug");
        var s = new ImageScenario("imgexcl");
        s.apply(imageRepository("app", registry.image("excl/app"), null));
        s.awaitRepository("app", r -> r.getStatus() != null && r.getStatus().getLastScanResult() != null
                && r.getStatus().getLastScanResult().getTagCount() == 4);

        s.apply(imageRepository("app", registry.image("excl/app"), """
                exclusionList:
                  - "-debug$"
                """));
        ImageRepository repo = s.awaitRepository("app", r -> r.getStatus().getLastScanResult().getTagCount() == 2);
        assertThat(repo.getStatus().getLastScanResult().getLatestTags()).containsExactly("2.0.0", "1.0.0");
        assertThat(repo.getStatus().getObservedExclusionList()).containsExactly("-debug$");
    }

    @Test
    void anImageWithATagStallsWithAClearMessage() {
        var s = new ImageScenario("imgbad");
        s.apply(imageRepository("app", registry.image("bad/app") + ":1.0", null));
        ImageRepository repo = s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "False"));
        assertThat(readyReason(repo.getStatus().getConditions())).isEqualTo("ImageURLInvalid");
        assertThat(readyMessage(repo.getStatus().getConditions())).isEqualTo(".spec.image value should not contain a tag; remove ':1.0'");
        assertThat(ImageScenario.condition(repo.getStatus().getConditions(), "Stalled")).get().extracting(c -> c.getStatus()).isEqualTo("True");
        assertThat(s.events("app")).anyMatch(e -> "Warning".equals(e.getType()) && "ImageURLInvalid".equals(e.getReason()));
    }

    @Test
    void anUnreachableRegistryIsNotReadyAndSaysWhy() {
        var s = new ImageScenario("imgdown");
        int port = io.currents.testkit.ControlPlane.freePort();
        s.apply(imageRepository("app", "127.0.0.1:" + port + "/down/app", "timeout: 5s"));
        ImageRepository repo = s.awaitRepository("app", r -> r.getStatus() != null && ready(r.getStatus().getConditions(), "False"));
        assertThat(readyReason(repo.getStatus().getConditions())).isEqualTo("ReadOperationFailed");
        assertThat(readyMessage(repo.getStatus().getConditions())).startsWith("scan failed: GET http://127.0.0.1:" + port + "/v2/down/app/tags/list")
                .contains("connection refused");
        assertThat(repo.getStatus().getLastScanResult()).isNull();
    }
}
