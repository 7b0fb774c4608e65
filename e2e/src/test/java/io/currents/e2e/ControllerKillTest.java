package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.inventory;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each controller SIGKILLed in the middle of its work (no shutdown hook runs, as with the OOM killer) and started again
 * with the same storage: kustomize-controller mid-apply, helm-controller mid-upgrade, source-controller while it
 * writes artifacts. Each converges; nothing half-done stays.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(2)
class ControllerKillTest extends FaultScenario {

    @Override
    String scenario() {
        return "kill";
    }

    @Test
    @Order(1)
    @Tag("ci")
    void kustomizeControllerKilledMidApplyConvergesWithAnExactInventory() throws Exception {
        CountDownLatch killed = new CountDownLatch(1);
        try (Watch ignored = kube.configMaps().inNamespace(ns).watch(onFirst(cm -> cm.getMetadata().getName().startsWith("obj-"), () -> {
            cluster.kill(Controller.KUSTOMIZE);
            killed.countDown();
        }))) {
            String commit = repo.change("main").file("apply/objects.yaml", configMaps(i -> "obj-" + i, 150, "one")).commit("150 ConfigMaps");
            flux.applyGitRepositoryAndKustomization("apply", cluster.url(repo), "./apply", "10s");
            assertThat(killed.await(2, TimeUnit.MINUTES)).as("kustomize-controller started applying").isTrue();
            long applied = values("obj-").size();
            assertThat(applied).as("objects applied when kustomize-controller was killed").isBetween(1L, 149L);

            long restart = System.nanoTime();
            cluster.restart(Controller.KUSTOMIZE);
            await("the Kustomization applies " + commit + " after kustomize-controller started again", CONVERGE,
                    () -> ("main@sha1:" + commit).equals(string(flux.kustomization("apply"), "status", "lastAppliedRevision"))
                            && ready(flux.kustomization("apply")),
                    () -> describe(flux.kustomization("apply")));
            System.out.printf("[faults] kustomize-controller SIGKILL mid-apply: %d of 150 objects applied; converged %d ms after the restart%n",
                    applied, Duration.ofNanos(System.nanoTime() - restart).toMillis());
        }
        assertThat(values("obj-")).hasSize(150).allSatisfy((name, value) -> assertThat(value).isEqualTo("one"));
        assertThat(inventory(flux.kustomization("apply"))).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 150).mapToObj(i -> ns + "_obj-" + i + "__ConfigMap").toList());
    }

    @Test
    @Order(2)
    void helmControllerKilledMidUpgradeRecoversTheReleaseLeftPending() throws Exception {
        repo.change("main")
                .file("charts/many/Chart.yaml", "apiVersion: v2\nname: many\nversion: 0.1.0\n")
                .file("charts/many/values.yaml", "value: one\n")
                .file("charts/many/templates/configmaps.yaml", """
                        {{- range $i := until 60 }}
                        ---
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: {{ $.Release.Name }}-{{ $i }}
                        data:
                          value: {{ $.Values.value | quote }}
                        {{- end }}
                        """)
                .commit("a chart of 60 ConfigMaps");
        kube.resource("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: charts
                  namespace: %s
                spec:
                  interval: 10s
                  url: %s
                  ref:
                    branch: main
                """.formatted(ns, cluster.url(repo))).serverSideApply();
        kube.resource(release("one")).serverSideApply();
        await("release many is installed", CONVERGE, () -> ready(flux.helmRelease("many")) && "one".equals(value("many-59")),
                () -> describe(flux.helmRelease("many")));

        CountDownLatch killed = new CountDownLatch(1);
        try (Watch ignored = kube.secrets().inNamespace(ns).withLabel("owner", "helm").watch(onFirst(
                s -> "pending-upgrade".equals(s.getMetadata().getLabels().get("status")), () -> {
                    cluster.kill(Controller.HELM);
                    killed.countDown();
                }))) {
            kube.resource(release("two")).serverSideApply();
            assertThat(killed.await(2, TimeUnit.MINUTES)).as("helm-controller started the upgrade").isTrue();
        }
        assertThat(statuses()).as("Helm's record after the kill").containsValue("pending-upgrade");

        long restart = System.nanoTime();
        cluster.restart(Controller.HELM);
        await("the upgrade completes after helm-controller started again", CONVERGE,
                () -> ready(flux.helmRelease("many")) && "two".equals(value("many-0")) && "two".equals(value("many-59"))
                        && statuses().values().stream().noneMatch(s -> s.startsWith("pending")),
                () -> describe(flux.helmRelease("many")) + ", records " + statuses());
        System.out.printf("[faults] helm-controller SIGKILL mid-upgrade: release recovered from pending-upgrade %d ms after the restart%n",
                Duration.ofNanos(System.nanoTime() - restart).toMillis());
        Map<String, String> statuses = statuses();
        String latest = statuses.keySet().stream().max(java.util.Comparator.comparingInt(Integer::parseInt)).orElseThrow();
        assertThat(statuses.get(latest)).as("the latest release record, of " + statuses).isEqualTo("deployed");
        assertThat(IntStream.range(0, 60).mapToObj(i -> value("many-" + i)).toList()).containsOnly("two");
    }

    @Test
    @Order(3)
    void sourceControllerKilledWhileWritingArtifactsServesOnlyWholeOnes() throws Exception {
        Random random = new Random(19);
        HttpClient http = HttpClient.newHttpClient();
        for (int round = 0; round < 3; round++) {
            byte[] blob = new byte[8 * 1024 * 1024];
            random.nextBytes(blob);
            String commit = repo.change("main").file("blob/data.bin", blob).file("blob/round.yaml", configMaps(i -> "round-" + i, 1, "r" + round))
                    .commit("round " + round);
            flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "charts");
            // killed while it fetches and packs the commit: its artifact is half-written at some point of this window
            Eventually.sleep(Duration.ofMillis(300 + random.nextInt(1500)));
            cluster.kill(Controller.SOURCE);
            cluster.restart(Controller.SOURCE);
            // The killed process may have written this revision's status just before it died, with its own address in
            // the URL; the restarted one rewrites the URL on its first reconcile. Until then nothing answers there.
            AtomicReference<HttpResponse<byte[]>> served = new AtomicReference<>();
            AtomicReference<String> announced = new AtomicReference<>();
            await("GitRepository charts serves " + commit, CONVERGE, () -> {
                var source = flux.gitRepository("charts");
                if (!("main@sha1:" + commit).equals(string(source, "status", "artifact", "revision"))) {
                    return false;
                }
                try {
                    served.set(http.send(HttpRequest.newBuilder(URI.create(string(source, "status", "artifact", "url"))).build(),
                            HttpResponse.BodyHandlers.ofByteArray()));
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                announced.set(string(source, "status", "artifact", "digest"));
                return served.get().statusCode() != 503;
            }, () -> describe(flux.gitRepository("charts")));
            assertThat(served.get().statusCode()).isEqualTo(200);
            assertThat("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(served.get().body())))
                    .as("the artifact served has the digest its status announces").isEqualTo(announced.get());
        }
    }

    /**
     * The kubelet's SIGTERM (a rollout, a drain, a deleted pod) stops helm-controller after Helm has run in it. Helm's Go
     * side used to take the signal from the JVM: the running Helm actions were cancelled, and the process ran on until
     * it was killed at the end of the grace period (ShutdownSignals).
     */
    @Test
    @Order(4)
    @Tag("ci")
    void helmControllerStopsOnSigtermAfterHelmRan() throws Exception {
        repo.change("main")
                .file("charts/term/Chart.yaml", "apiVersion: v2\nname: term\nversion: 0.1.0\n")
                .file("charts/term/templates/config.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: term-config
                        data:
                          value: installed
                        """)
                .commit("a chart of one ConfigMap");
        kube.resourceList("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: term-charts
                  namespace: %1$s
                spec:
                  interval: 10s
                  url: %2$s
                  ref:
                    branch: main
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: term
                  namespace: %1$s
                spec:
                  interval: 10s
                  chart:
                    spec:
                      chart: ./charts/term
                      sourceRef:
                        kind: GitRepository
                        name: term-charts
                """.formatted(ns, cluster.url(repo))).serverSideApply();
        await("release term is installed", CONVERGE, () -> ready(flux.helmRelease("term")) && "installed".equals(value("term-config")),
                () -> describe(flux.helmRelease("term")));

        ControllerProcess helm = cluster.controller(Controller.HELM);
        ProcessHandle process = ProcessHandle.of(helm.pid()).orElseThrow();
        long sent = System.nanoTime();
        process.destroy();
        boolean stopped;
        try {
            process.onExit().get(20, TimeUnit.SECONDS);
            stopped = true;
        } catch (java.util.concurrent.TimeoutException e) {
            stopped = false;
            process.destroyForcibly();
            process.onExit().join();
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        String log = java.nio.file.Files.readString(helm.log());
        cluster.restart(Controller.HELM);
        assertThat(stopped).as("helm-controller exited within 20 s of SIGTERM; its log ends with:%n%s",
                ControllerProcess.tail(helm.log(), 20)).isTrue();
        assertThat(log).as("Quarkus shut down (hooks ran, the operator stopped)").contains("currents-helm-controller stopped in");
        System.out.printf("[faults] helm-controller SIGTERM after a Helm install: exited in %d ms%n", tookMs);
        await("the release is still Ready after the restart", CONVERGE, () -> ready(flux.helmRelease("term")),
                () -> describe(flux.helmRelease("term")));
    }

    private String release(String value) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: many
                  namespace: %s
                spec:
                  interval: 10s
                  chart:
                    spec:
                      chart: ./charts/many
                      sourceRef:
                        kind: GitRepository
                        name: charts
                  values:
                    value: %s
                """.formatted(ns, value);
    }

    /** Helm's release records of release many: version → status. */
    private Map<String, String> statuses() {
        return kube.secrets().inNamespace(ns).withLabel("owner", "helm").withLabel("name", "many").list().getItems().stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getLabels().get("version"), s -> s.getMetadata().getLabels().get("status")));
    }



    /** A watcher that runs {@code action} once, on the first added or modified object that matches. */
    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Watcher<T> onFirst(Predicate<T> match, Runnable action) {
        return new Watcher<>() {
            private boolean done;

            @Override
            public synchronized void eventReceived(Action a, T obj) {
                if (!done && (a == Action.ADDED || a == Action.MODIFIED) && match.test(obj)) {
                    done = true;
                    action.run();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }
}
