package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.testkit.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.notReadyReason;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The servers the controllers depend on go down for a while and come back: the Git server, source-controller's
 * artifact server (while kustomize- or helm-controller fetches from it), and the webhook an Alert posts to. While one is down
 * the objects say why (Ready=False with Flux's reason), the last artifact stays served and the cluster stays as it
 * was; after it returns, everything recovers within one interval, and no alert is lost.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(3)
class ServerOutageTest extends FaultScenario {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final String HELM_API = "helm.toolkit.fluxcd.io/v2";
    static final String SOURCE_API = "source.toolkit.fluxcd.io/v1";

    @Override
    String scenario() {
        return "outage";
    }

    @BeforeAll
    void start() {
        String first = repo.change("main").file("app/config.yaml", configMap("one")).commit("one");
        flux.applyGitRepositoryAndKustomization("app", cluster.url(repo), "./app", INTERVAL.toSeconds() + "s");
        awaitApplied(first);
    }

    @AfterAll
    void close() {
        cluster.gitServer().restore();
    }

    @Test
    @Order(1)
    @Tag("ci")
    void aGitServerDownKeepsTheLastArtifactAndTheClusterThenRecoversWithinAnInterval() throws Exception {
        serverDownThenBack("Git server", new Source("source.toolkit.fluxcd.io/v1", "GitRepository", "app", "GitOperationFailed"),
                cluster.gitServer(), INTERVAL, "config", () -> {
                    repo.change("main").file("app/config.yaml", configMap("two")).commit("two, while the Git server is down");
                    return "two";
                });
    }

    @Test
    @Order(2)
    void theArtifactServerDownWhileKustomizeControllerFetchesAppliesNothingUntilItReturns() {
        suspend("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "app", true);
        String next = repo.change("main").file("app/config.yaml", configMap("three")).commit("three");
        flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
        await("source-controller packs " + next, CONVERGE,
                () -> ("main@sha1:" + next).equals(string(flux.gitRepository("app"), "status", "artifact", "revision")),
                () -> describe(flux.gitRepository("app")));

        cluster.kill(Controller.SOURCE);
        suspend("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "app", false);
        await("the Kustomization says it cannot fetch the artifact", CONVERGE,
                () -> "ArtifactFailed".equals(notReadyReason(flux.kustomization("app"))),
                () -> describe(flux.kustomization("app")));
        assertThat(value()).as("nothing of the commit it could not fetch is applied").isEqualTo("two");

        long restart = System.nanoTime();
        cluster.restart(Controller.SOURCE);
        awaitApplied(next);
        System.out.printf("[faults] artifact server down during fetch: applied %d ms after source-controller started again%n",
                Duration.ofNanos(System.nanoTime() - restart).toMillis());
        assertThat(value()).isEqualTo("three");
    }

    @Test
    @Order(3)
    @Tag("ci")
    void anAlertRaisedWhileTheWebhookIsDownIsDeliveredWhenItReturns() throws Exception {
        try (WebhookRecorder webhook = WebhookRecorder.start(); TcpProxy down = TcpProxy.start(URI.create(webhook.url()).getPort())) {
            applyAlert(through(webhook.url(), down), "Kustomization/app");
            down.resetConnections();
            String commit = repo.change("main").file("app/config.yaml", configMap("four")).commit("four, while the webhook is down");
            flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
            awaitApplied(commit);
            // notification-controller retries a failed delivery after 1s, 2s, 4s and 8s: the webhook returns within that budget
            await("notification-controller tries to deliver and fails", Duration.ofSeconds(30), () -> down.resets() > 0,
                    () -> "received " + webhook.events());
            long before = down.resets();
            down.restore();
            long back = System.nanoTime();
            await("the webhook receives the change-set event of " + commit, Duration.ofSeconds(30),
                    () -> webhook.events().stream().anyMatch(e -> e.get("metadata") instanceof Map<?, ?> m
                            && ("main@sha1:" + commit).equals(m.get("revision"))),
                    () -> "received " + webhook.events());
            System.out.printf("[faults] webhook down: the alert arrived %d ms after it came back (%d delivery attempts failed while it was down)%n",
                    Duration.ofNanos(System.nanoTime() - back).toMillis(), before);
            assertThat(webhook.events().stream().filter(e -> e.get("metadata") instanceof Map<?, ?> m
                    && ("main@sha1:" + commit).equals(m.get("revision")) && String.valueOf(e.get("message")).contains("configured")).count())
                    .as("the change-set event, once").isEqualTo(1);
        }
    }

    @Test
    @Order(4)
    void theArtifactServerDownWhileHelmControllerFetchesInstallsNothingUntilItReturns() {
        try (ChartRepository charts = new ChartRepository()) {
            charts.publish("1.0.0", "c1");
            applyChartRelease(charts.port(), INTERVAL);
            await("the HelmRelease installs 1.0.0", CONVERGE, () -> ready(flux.helmRelease("demo")) && "c1".equals(value("chart-config")),
                    () -> describe(flux.helmRelease("demo")));
            suspend(HELM_API, "HelmRelease", "demo", true);
            charts.publish("1.1.0", "c2");
            flux.requestReconcile(SOURCE_API, "HelmRepository", "charts");
            await("source-controller packs the chart 1.1.0", CONVERGE,
                    () -> "1.1.0".equals(string(flux.get(SOURCE_API, "HelmChart", ns + "-demo"), "status", "artifact", "revision")),
                    () -> describe(flux.get(SOURCE_API, "HelmChart", ns + "-demo")));

            cluster.kill(Controller.SOURCE);
            long restart;
            try {
                suspend(HELM_API, "HelmRelease", "demo", false);
                await("the HelmRelease says it cannot fetch the chart", CONVERGE,
                        () -> "ArtifactFailed".equals(notReadyReason(flux.helmRelease("demo"))), () -> describe(flux.helmRelease("demo")));
                assertThat(value("chart-config")).as("nothing of the chart it could not fetch is installed").isEqualTo("c1");
                assertThat(kube.secrets().inNamespace(ns).withLabels(Map.of("owner", "helm", "name", "demo")).list().getItems())
                        .as("no release record for the chart it could not fetch").hasSize(1);
            } finally {
                restart = System.nanoTime();
                cluster.restart(Controller.SOURCE);
            }
            await("the HelmRelease upgrades to 1.1.0", CONVERGE,
                    () -> ready(flux.helmRelease("demo")) && "1.1.0".equals(string(flux.helmRelease("demo"), "status", "lastAttemptedRevision"))
                            && "c2".equals(value("chart-config")),
                    () -> describe(flux.helmRelease("demo")));
            System.out.printf("[faults] artifact server down during a chart fetch: upgraded %d ms after source-controller started again%n",
                    Duration.ofNanos(System.nanoTime() - restart).toMillis());
        }
    }
}
