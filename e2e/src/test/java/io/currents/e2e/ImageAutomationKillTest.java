package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.testkit.registry.OciRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * image-automation-controller is SIGKILLed the moment the Git server receives its push of an image update, and started
 * again: whether the push had landed or not, the branch ends with exactly one commit for the update, never two.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(2)
class ImageAutomationKillTest extends FaultScenario {

    static final String IMAGE_API = "image.toolkit.fluxcd.io/v1";

    OciRegistry registry;

    @Override
    String scenario() {
        return "image-kill";
    }

    @AfterAll
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void killedMidPushItPushesNoDuplicateCommitAfterTheRestart() throws Exception {
        cluster.imageAutomation();
        registry = OciRegistry.start();
        registry.push("app", "1.0.0");
        String base = repo.change("main").file("deploy/app.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: app
                data:
                  image: %s:1.0.0 # {"$imagepolicy": "%s:app"}
                """.formatted(registry.image("app"), ns)).commit("the app at 1.0.0");
        kube.resource("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: app
                  namespace: %1$s
                spec:
                  interval: 10m
                  url: %2$s
                  ref:
                    branch: main
                """.formatted(ns, cluster.url(repo))).serverSideApply();
        applyImageAutomation("app", "main", registry.image("app"), "10m", "10s");
        await("the automation finds nothing to change at 1.0.0", CONVERGE,
                () -> ready(flux.get(IMAGE_API, "ImageUpdateAutomation", "app")),
                () -> describe(flux.get(IMAGE_API, "ImagePolicy", "app")) + " / " + describe(flux.get(IMAGE_API, "ImageUpdateAutomation", "app")));
        assertThat(repo.head("main")).isEqualTo(base);

        String push = repo.servedPath() + "/git-receive-pack";
        int before = cluster.gitRequests().size();
        registry.push("app", "1.1.0");
        flux.requestReconcile(IMAGE_API, "ImageRepository", "app");
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (cluster.gitRequests().subList(before, cluster.gitRequests().size()).stream().noneMatch(r -> r.startsWith("POST ") && r.contains(push))) {
            assertThat(System.nanoTime()).as("image-automation-controller pushes within " + CONVERGE).isLessThan(deadline);
            Eventually.sleep(Duration.ofMillis(2));
        }
        cluster.kill(Controller.IMAGE_AUTOMATION);
        String atKill = repo.head("main");
        boolean landed = !base.equals(atKill);

        long restart = System.nanoTime();
        cluster.restart(Controller.IMAGE_AUTOMATION);
        // if the push had landed, the restarted controller finds the branch up to date and pushes nothing: the killed
        // process never recorded status.lastPushCommit, so only the branch tells that the update is there
        await("the branch holds 1.1.0 and the automation is Ready after the restart", CONVERGE,
                () -> ready(flux.get(IMAGE_API, "ImageUpdateAutomation", "app")) && commitsSince("main", base).size() >= 1,
                () -> describe(flux.get(IMAGE_API, "ImageUpdateAutomation", "app")) + ", commits " + commitsSince("main", base));
        // one more interval: a duplicate would be pushed by the next run if the first had not been recognised
        flux.requestReconcile(IMAGE_API, "ImageUpdateAutomation", "app");
        Eventually.sleep(Duration.ofSeconds(12));
        List<String> commits = commitsSince("main", base);
        System.out.printf("[faults] image-automation-controller killed at its push (push %s when it died): %d commit(s) after the restart,"
                        + " Ready %d ms after the restart%n",
                landed ? "had landed" : "had not landed", commits.size(), Duration.ofNanos(System.nanoTime() - restart).toMillis() - 12_000);
        assertThat(commits).as("exactly one commit for the update, whether the push had landed or not").hasSize(1);
        assertThat(commits.getFirst()).contains("update the app's image");
        String recorded = string(flux.get(IMAGE_API, "ImageUpdateAutomation", "app"), "status", "lastPushCommit");
        assertThat(recorded).as("lastPushCommit, when the push was recorded, is the branch head").isIn(null, repo.head("main"));
    }
}
