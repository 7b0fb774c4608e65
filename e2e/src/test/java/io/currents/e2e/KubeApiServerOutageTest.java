package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess.Controller;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.inventory;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kube-apiserver process the controllers talk to is stopped while kustomize-controller applies a commit of 200
 * objects, and started again on the same port with its data (etcd is untouched): the controllers reconnect without
 * restarting, the Kustomization converges on the commit, its inventory is exactly what Git holds, and no object that
 * Git still has was deleted on the way.
 *
 * <p>The API server is down for the pause below plus the time the process takes to stop and to be ready again (about
 * 15 to 45 seconds to start on a busy 2-core machine). A leader that cannot renew its lease within the renew deadline
 * (Flux's 30s) exits, by design; the test checks the controllers' process ids did not change, and fails with the
 * measured outage when the restart took longer than the renew deadline (the machine too loaded for the scenario).
 */
@Tag("faults")
@Tag("ci")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(1)
class KubeApiServerOutageTest extends FaultScenario {

    static final int OBJECTS = 200;
    static final int KEPT = 190;
    /** How long the process stays stopped before it is started again. */
    static final Duration PAUSE = Duration.ofSeconds(2);

    @Override
    String scenario() {
        return "api-outage";
    }

    /** A leader that exited after an outage longer than its renew deadline is started again, as its pod would be. */
    @AfterAll
    void restartLeadersThatGaveUp() {
        for (Controller c : List.of(Controller.SOURCE, Controller.KUSTOMIZE, Controller.HELM)) {
            if (!cluster.controller(c).isAlive()) {
                cluster.restart(c);
            }
        }
    }

    @Test
    void theKustomizationConvergesWithAnExactInventoryAfterTheApiServerCameBackMidApply() throws Exception {
        String first = repo.change("main").file("apps/many/configmaps.yaml", configMaps(KubeApiServerOutageTest::name, OBJECTS, "one")).commit("200 ConfigMaps");
        flux.applyGitRepositoryAndKustomization("many", cluster.url(repo), "./apps/many", "10s");
        await("the 200 ConfigMaps of " + first + " are applied", Duration.ofMinutes(3),
                () -> ("main@sha1:" + first).equals(string(flux.kustomization("many"), "status", "lastAppliedRevision")),
                () -> describe(flux.kustomization("many")));
        assertThat(inventory(flux.kustomization("many"))).hasSize(OBJECTS);
        Map<String, String> uids = uids();
        Map<Controller, Long> pids = pids();

        CountDownLatch cut = new CountDownLatch(1);
        long[] stopped = new long[1];
        // the first object changed by the second commit stops the API server: the apply is under way
        try (Watch ignored = kube.configMaps().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                if (action == Action.MODIFIED && "two".equals(cm.getData().get("value")) && cut.getCount() > 0) {
                    stopped[0] = System.nanoTime();
                    cluster.apiServer().stop();
                    cut.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            String second = repo.change("main").file("apps/many/configmaps.yaml", configMaps(KubeApiServerOutageTest::name, KEPT, "two")).commit("190 ConfigMaps, changed");
            flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "many");
            assertThat(cut.await(2, TimeUnit.MINUTES)).as("the apply of " + second + " started").isTrue();
            long applied = values("cm-").values().stream().filter("two"::equals).count();
            assertThat(applied).as("objects of the new commit applied when the API server went away").isBetween(1L, KEPT - 1L);

            long pid = cluster.apiServer().pid();
            Eventually.sleep(PAUSE);
            long starting = System.nanoTime();
            cluster.apiServer().start(Duration.ofMinutes(1));
            long back = System.nanoTime();
            long outage = Duration.ofNanos(back - stopped[0]).toMillis();
            long startup = Duration.ofNanos(back - starting).toMillis();
            assertThat(cluster.apiServer().pid()).as("a new kube-apiserver process").isNotEqualTo(pid);
            assertThat(Duration.ofMillis(outage)).as("the API server was down %d ms (%d ms from its start to ready), longer than the"
                    + " leaders' renew deadline: they exit by design; this machine is too loaded for the scenario", outage, startup)
                    .isLessThan(FaultCluster.RENEW_DEADLINE);

            await("the Kustomization applies " + second + " after the API server came back", Duration.ofMinutes(3),
                    () -> ("main@sha1:" + second).equals(string(flux.kustomization("many"), "status", "lastAppliedRevision"))
                            && ready(flux.kustomization("many")),
                    () -> describe(flux.kustomization("many")) + ", values " + values("cm-").values().stream()
                            .collect(Collectors.groupingBy(v -> v, Collectors.counting())));
            long recovered = Duration.ofNanos(System.nanoTime() - back).toMillis();
            System.out.printf("[faults] kube-apiserver process stopped: %d of %d objects applied when it went away; down %d ms"
                            + " (stop, %ds pause, %d ms from start to ready); converged %d ms after it was ready again%n",
                    applied, KEPT, outage, PAUSE.toSeconds(), startup, recovered);
        }

        Map<String, String> values = values("cm-");
        assertThat(values).as("every object of the commit, with its new value; the dropped ones pruned").hasSize(KEPT);
        assertThat(values.values()).containsOnly("two");
        assertThat(inventory(flux.kustomization("many"))).as("the inventory is exactly the commit's objects")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, KEPT).mapToObj(i -> ns + "_" + name(i) + "__ConfigMap").toList());
        Map<String, String> kept = uids();
        for (int i = 0; i < KEPT; i++) {
            assertThat(kept.get(name(i))).as(name(i) + " was never deleted and created again").isEqualTo(uids.get(name(i)));
        }
        assertThat(pids()).as("the controllers reconnected without a restart of their own").isEqualTo(pids);
    }

    /**
     * A HelmRepository (interval 2s) fetches a new index while the API server is down: it stores it, but cannot write the status that
     * names it. The index its status in the cluster still names must stay served (a HelmChart verifies it, and a
     * consumer that read the status fetches it), even though it is older than the retention TTL; once the API server is
     * back, the status names the new index and the chart follows.
     */
    @Test
    void anIndexStoredDuringTheOutageLeavesTheOneTheStatusNamesServed() throws Exception {
        try (ChartRepository charts = new ChartRepository()) {
            charts.publish("1.0.0", "one");
            applyChartRelease(charts.port(), Duration.ofSeconds(2));
            String chartName = ns + "-demo"; // the HelmChart the HelmRelease makes
            String helmChart = "source.toolkit.fluxcd.io/v1";
            await("the HelmChart holds 1.0.0", CONVERGE,
                    () -> "1.0.0".equals(string(flux.get(helmChart, "HelmChart", chartName), "status", "artifact", "revision")),
                    () -> describe(flux.get(helmChart, "HelmChart", chartName)) + "; " + describe(flux.get(helmChart, "HelmRepository", "charts")));
            GenericKubernetesResource before = flux.get(helmChart, "HelmRepository", "charts");
            String named = string(before, "status", "artifact", "url");
            String link = string(before, "status", "url");
            // older than the retention TTL: only the rule that a status still names it keeps it
            Eventually.sleep(FaultCluster.RETENTION_TTL.plusSeconds(1));

            charts.publish("1.1.0", "two");
            long stopped = System.nanoTime();
            cluster.apiServer().stop();
            try {
                await("source-controller stores the index with 1.1.0 while the API server is down", Duration.ofSeconds(20),
                        () -> get(link).body().contains("version: 1.1.0"), () -> "GET " + link + ": " + get(link).statusCode());
                assertServedWhole(before); // the index the status in the cluster names, digest and all
            } finally {
                cluster.apiServer().start(Duration.ofMinutes(1));
            }
            long outage = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
            assertThat(Duration.ofMillis(outage)).as("the API server was down %d ms, longer than the leaders' renew deadline:"
                    + " they exit by design; this machine is too loaded for the scenario", outage).isLessThan(FaultCluster.RENEW_DEADLINE);
            long back = System.nanoTime();
            await("the HelmChart holds 1.1.0 after the API server came back", CONVERGE,
                    () -> "1.1.0".equals(string(flux.get(helmChart, "HelmChart", chartName), "status", "artifact", "revision")),
                    () -> describe(flux.get(helmChart, "HelmChart", chartName)) + "; " + describe(flux.get(helmChart, "HelmRepository", "charts")));
            GenericKubernetesResource after = flux.get(helmChart, "HelmRepository", "charts");
            assertThat(string(after, "status", "artifact", "url")).as("the status names the new index").isNotEqualTo(named);
            assertServedWhole(after);
            System.out.printf("[faults] index stored while kube-apiserver was down (%d ms): the one the status named stayed served;"
                    + " the chart moved to 1.1.0 %d ms after it was back%n", outage, Duration.ofNanos(System.nanoTime() - back).toMillis());
        }
    }

    private static HttpResponse<String> get(String url) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<Controller, Long> pids() {
        Map<Controller, Long> pids = new EnumMap<>(Controller.class);
        for (Controller c : List.of(Controller.SOURCE, Controller.KUSTOMIZE, Controller.HELM, Controller.NOTIFICATION)) {
            pids.put(c, cluster.controller(c).isAlive() ? cluster.controller(c).pid() : -1);
        }
        return pids;
    }

    private Map<String, String> uids() {
        return kube.configMaps().inNamespace(ns).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith("cm-"))
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getMetadata().getUid()));
    }


    private static String name(int i) {
        return "cm-%03d".formatted(i);
    }

}
