package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.testkit.registry.OciRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * image-automation-controller is SIGKILLed the moment the Git server receives its push of an image update, and started
 * again: whether the push had landed or not, the branch ends with exactly one commit for the update, never two. Then
 * the same at random points: {@code faults.imageRounds} rounds (default 5) each push a new tag and kill the controller
 * a random time (seeded by {@code faults.seed}) after the scan was requested, anywhere in scan, policy, automation
 * run and push (the window is the time a first, unkilled round took from the request to the push, plus 0.5 s).
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(2)
class ImageAutomationKillTest extends FaultScenario {

    static final String IMAGE_API = "image.toolkit.fluxcd.io/v1";
    static final int ROUNDS = Integer.getInteger("faults.imageRounds", 5);

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
    @Order(1)
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

    @Test
    @Order(2)
    void killedAtRandomPointsItPushesExactlyOneCommitPerTag() {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        System.out.printf("[faults] image automation kill rounds: %d rounds, seed %d (replay with -Dfaults.seed=%d -Dfaults.imageRounds=%d)%n",
                ROUNDS, seed, seed, ROUNDS);
        Random random = new Random(seed);
        String push = repo.servedPath() + "/git-receive-pack";
        // calibration, no kill: the time from the scan request to the push, so the kills spread over scan, policy,
        // automation run and push instead of landing after it
        String calibrationBase = repo.head("main");
        int calibrationRequests = cluster.gitRequests().size();
        registry.push("app", "2.0.0");
        long requested = System.nanoTime();
        flux.requestReconcile(IMAGE_API, "ImageRepository", "app");
        await("the automation pushes 2.0.0", CONVERGE, () -> cluster.gitRequests().subList(calibrationRequests, cluster.gitRequests().size())
                .stream().anyMatch(r -> r.startsWith("POST ") && r.contains(push)), () -> describe(flux.get(IMAGE_API, "ImageUpdateAutomation", "app")));
        int window = (int) Duration.ofNanos(System.nanoTime() - requested).toMillis() + 500;
        await("the branch holds 2.0.0", CONVERGE, () -> commitsSince("main", calibrationBase).size() == 1, () -> "commits " + commitsSince("main", calibrationBase));
        System.out.printf("[faults] scan request to push: %d ms; kills fall in [0, %d) ms%n", window - 500, window);
        List<String> outcomes = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String base = repo.head("main");
            String tag = "2." + round + ".0";
            int requestsBefore = cluster.gitRequests().size();
            registry.push("app", tag);
            flux.requestReconcile(IMAGE_API, "ImageRepository", "app");
            int delay = random.nextInt(window);
            Eventually.sleep(Duration.ofMillis(delay));
            cluster.kill(Controller.IMAGE_AUTOMATION);
            boolean pushed = cluster.gitRequests().subList(requestsBefore, cluster.gitRequests().size()).stream()
                    .anyMatch(r -> r.startsWith("POST ") && r.contains(push));
            boolean landed = !base.equals(repo.head("main"));
            long restart = System.nanoTime();
            cluster.restart(Controller.IMAGE_AUTOMATION);
            String expected = registry.image("app") + ":" + tag;
            int r = round;
            await("round " + r + ": the branch holds " + tag + " and the automation is Ready after the restart", CONVERGE,
                    () -> ready(flux.get(IMAGE_API, "ImageUpdateAutomation", "app")) && String.valueOf(repo.read("main", "deploy/app.yaml")).contains(expected),
                    () -> describe(flux.get(IMAGE_API, "ImageUpdateAutomation", "app")) + ", commits " + commitsSince("main", base));
            String outcome = landed ? "push landed" : pushed ? "push begun" : "before the push";
            outcomes.add(outcome);
            System.out.printf("[faults] round %d: killed %d ms after the scan request (%s); %s %d ms after the restart%n",
                    round, delay, outcome, tag, Duration.ofNanos(System.nanoTime() - restart).toMillis());
            assertThat(commitsSince("main", base)).as("round " + round + ": one commit for " + tag + ", whether the push had landed or not")
                    .containsExactly("update the app's image");
        }
        // a late duplicate of the last round would come with the next run: ask for one and look again
        String head = repo.head("main");
        flux.requestReconcile(IMAGE_API, "ImageUpdateAutomation", "app");
        Eventually.sleep(Duration.ofSeconds(12));
        assertThat(repo.head("main")).as("no duplicate after the last round").isEqualTo(head);
        System.out.printf("[faults] image automation kill rounds: %s%n", outcomes);
    }
}
