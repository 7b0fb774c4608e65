package io.currents.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.condition;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.notReadyReason;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What source-controller does when its artifact cannot be stored: the storage's file system is full, or the source is
 * larger than the limit ({@code git-max-size}). Either way the GitRepository says why (Ready=False with Flux's reason),
 * the last artifact stays announced and served whole, and the cluster keeps what it has; once there is room again the
 * next commit is stored and applied.
 */
@Tag("faults")
@Tag("ci")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(4)
class ArtifactStorageTest extends FaultScenario {

    static final Duration INTERVAL = Duration.ofSeconds(10);

    @Override
    String scenario() {
        return "storage";
    }

    @BeforeAll
    void start() {
        String first = repo.change("main").file("app/config.yaml", configMap("one")).commit("one");
        flux.applyGitRepositoryAndKustomization("app", cluster.url(repo), "./app", INTERVAL.toSeconds() + "s");
        awaitApplied(first);
    }

    @Test
    @Order(1)
    void aFullStorageKeepsTheLastArtifactAndTheClusterUntilThereIsRoomAgain() throws Exception {
        Path storage = cluster.storageFileSystem();
        Assumptions.assumeTrue(storage != null, "the artifact storage is a file system of its own only where tmpfs can be mounted (root)");
        String served = string(flux.gitRepository("app"), "status", "artifact", "revision");
        Path ballast = storage.resolve("ballast");
        long filled = FaultCluster.fill(ballast);
        try {
            String unstored = repo.change("main").file("app/config.yaml", configMap("two")).commit("two, while the storage is full");
            flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
            // the Git mirror lives on the same volume (git-mirror-max-size), so the fetch into it is what meets the
            // full disk first (FetchFailed, GitOperationFailed); without mirrors it is the artifact's write
            // (StorageOperationFailed, ArchiveOperationFailed). Either way the message names the cause.
            await("GitRepository app says the storage is full", CONVERGE,
                    () -> saysNoSpaceLeft(flux.gitRepository("app")),
                    () -> describe(flux.gitRepository("app")));
            String reason = notReadyReason(flux.gitRepository("app"));
            String message = String.valueOf(condition(flux.gitRepository("app"), "Ready").get("message"));
            assertThat(reason).isIn("GitOperationFailed", "ArchiveOperationFailed");
            assertThat(condition(flux.gitRepository("app"), reason.equals("GitOperationFailed") ? "FetchFailed" : "StorageOperationFailed")
                    .get("status")).as("the failing step's condition").isEqualTo("True");
            assertThat(string(flux.gitRepository("app"), "status", "artifact", "revision")).as("the last artifact stays").isEqualTo(served);
            assertServedWhole(flux.gitRepository("app"));
            assertThat(value()).as("the cluster is left as it was").isEqualTo("one");

            Files.delete(ballast);
            long room = System.nanoTime();
            awaitApplied(unstored);
            Duration recovered = Duration.ofNanos(System.nanoTime() - room);
            System.out.printf("[faults] artifact storage full (%d MiB of ballast): Ready=False %s (%s); applied %d ms after room was made%n",
                    filled >> 20, reason, message, recovered.toMillis());
            assertThat(recovered).as("stored within one interval (the failed reconcile is retried sooner)").isLessThan(INTERVAL.multipliedBy(2));
            assertThat(condition(flux.gitRepository("app"), "StorageOperationFailed")).as("the storage condition is cleared").isEmpty();
            assertThat(condition(flux.gitRepository("app"), "FetchFailed")).as("the fetch condition is cleared").isEmpty();
        } finally {
            Files.deleteIfExists(ballast);
        }
    }

    @Test
    @Order(2)
    void aSourceLargerThanTheLimitIsRefusedAndTheLastArtifactStays() throws Exception {
        String served = string(flux.gitRepository("app"), "status", "artifact", "revision");
        String before = value();
        // 24 MiB of random bytes, over git-max-size (16 MiB)
        byte[] large = new byte[24 << 20];
        new Random(19).nextBytes(large);
        String oversized = repo.change("main").file("app/large.bin", large).commit("a tree over the limit");
        flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
        await("GitRepository app refuses the oversized commit", CONVERGE,
                () -> notReadyReason(flux.gitRepository("app")) != null,
                () -> describe(flux.gitRepository("app")));
        String reason = notReadyReason(flux.gitRepository("app"));
        String message = String.valueOf(condition(flux.gitRepository("app"), "Ready").get("message"));
        System.out.printf("[faults] source over the size limit (commit %s): Ready=False %s (%s)%n", oversized, reason, message);
        assertThat(reason).isEqualTo("GitOperationFailed");
        assertThat(message).as("the message names the limit").contains("exceed the size limit of " + (16 << 20) + " bytes");
        assertThat(string(flux.gitRepository("app"), "status", "artifact", "revision")).as("the last artifact stays").isEqualTo(served);
        assertServedWhole(flux.gitRepository("app"));
        assertThat(value()).as("the cluster is left as it was").isEqualTo(before);

        String fixed = repo.change("main").delete("app/large.bin").commit("the large file removed");
        flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
        awaitApplied(fixed);
        assertThat(ready(flux.gitRepository("app"))).isTrue();
    }
}
