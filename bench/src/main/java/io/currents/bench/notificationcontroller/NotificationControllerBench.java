package io.currents.bench.notificationcontroller;

import com.sun.net.httpserver.HttpServer;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * notification-controller under a flood of events, as its own process (the packaged quarkus-app with its jvm.options)
 * against the local control plane: A Alerts (generic webhooks to a loopback sink) take every event. Phase 1 offers N
 * events at R per minute, a tenth of them repeats of earlier ones (Flux's duplicate rate limit must answer 429), and
 * prints what was accepted, limited and delivered, the delivery latency and the controller's RSS sampled throughout;
 * phase 2 sends N unique events as fast as 16 senders can and prints the accepted and delivered rates and how many were
 * refused with 503 once the bounded queue was full. The reference, in the same run: the same number of deliveries
 * POSTed straight to the sink by 16 senders.
 */
public final class NotificationControllerBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final AtomicInteger delivered = new AtomicInteger();
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final List<Long> latenciesMicros = java.util.Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        Path appDir = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        int perMinute = Integer.parseInt(args[2]);
        int alerts = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        Files.createDirectories(out);
        new NotificationControllerBench().run(appDir, events, perMinute, alerts, out);
        System.exit(0);
    }

    private void run(Path appDir, int events, int perMinute, int alerts, Path out) throws Exception {
        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        KubernetesClient client = plane.client();
        String namespace = "bench-notif-" + Long.toString(System.nanoTime() % 100_000, 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();

        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        ExecutorService sinkThreads = Executors.newFixedThreadPool(8);
        sink.setExecutor(sinkThreads);
        sink.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            String text = new String(body, StandardCharsets.UTF_8);
            int at = text.indexOf("\"message\":\"");
            if (at >= 0) {
                String id = text.substring(at + 11, text.indexOf('"', at + 11));
                Long sent = sentAt.get(id);
                if (sent != null) {
                    latenciesMicros.add((now - sent) / 1000);
                }
            }
            delivered.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.start();
        String sinkUrl = "http://127.0.0.1:" + sink.getAddress().getPort() + "/hook";

        for (int i = 0; i < alerts; i++) {
            client.genericKubernetesResources("notification.toolkit.fluxcd.io/v1beta3", "Provider").inNamespace(namespace)
                    .resource(resource("Provider", namespace, "sink-" + i, Map.of("type", "generic", "address", sinkUrl))).create();
            client.genericKubernetesResources("notification.toolkit.fluxcd.io/v1beta3", "Alert").inNamespace(namespace)
                    .resource(resource("Alert", namespace, "all-" + i, Map.of("providerRef", Map.of("name", "sink-" + i),
                            "eventSeverity", "info", "eventSources", List.of(Map.of("kind", "Kustomization", "name", "*"))))).create();
        }

        int eventsPort = ControlPlane.freePort();
        int management = ControlPlane.freePort();
        int receiver = ControlPlane.freePort();
        List<String> jvmOptions = jvmOptions(appDir.resolve("../../jvm.options").normalize());
        // the Deployment's memory limit (manifests/bases/notification-controller): the heap follows it as in a pod
        jvmOptions.add("-XX:MaxRAM=" + System.getenv().getOrDefault("BENCH_MEMORY_LIMIT", "512m"));
        String extra = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "").strip();
        if (!extra.isEmpty()) {
            jvmOptions.addAll(List.of(extra.split("\\s+")));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dkubeconfig=" + plane.kubeconfigPath(),
                "-Dquarkus.http.port=" + eventsPort, "-Dquarkus.http.host=127.0.0.1",
                "-DreceiverAddr=127.0.0.1:" + receiver,
                "-Dquarkus.management.port=" + management, "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.log.category.\"io.currents\".level=WARN",
                "-jar", appDir.resolve("quarkus-run.jar").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.resolve("notification-controller.log").toFile());
        pb.environment().put("KUBECONFIG", plane.kubeconfigPath().toString());
        pb.environment().put("RUNTIME_NAMESPACE", namespace);
        Process controller = pb.start();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        AtomicLong peakRss = new AtomicLong();
        try {
            awaitReady(controller, management);
            awaitCached(eventsPort, namespace, alerts);
            long startRss = procStatus(controller.pid(), "VmRSS:");
            sampler.scheduleAtFixedRate(() -> {
                try {
                    peakRss.accumulateAndGet(procStatus(controller.pid(), "VmRSS:"), Math::max);
                } catch (IOException ignored) {
                    // the controller is gone
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            String target = "http://127.0.0.1:" + eventsPort + "/";

            // --- phase 1: a paced flood, a tenth of it duplicates ---
            delivered.set(0);
            int[] answers1 = new int[600];
            long started = System.nanoTime();
            long intervalNanos = 60_000_000_000L / perMinute;
            ExecutorService senders = Executors.newFixedThreadPool(16);
            CountDownLatch done = new CountDownLatch(events);
            int unique1 = 0;
            for (int i = 0; i < events; i++) {
                boolean duplicate = i % 10 == 9;
                String id = duplicate ? "p1-" + (i - 5) : "p1-" + i;
                if (!duplicate) {
                    unique1++;
                }
                long due = started + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                senders.submit(() -> {
                    try {
                        sentAt.putIfAbsent(id, System.nanoTime());
                        int code = post(target, event(namespace, id));
                        synchronized (answers1) {
                            answers1[code]++;
                        }
                    } catch (Exception e) {
                        synchronized (answers1) {
                            answers1[599]++;
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await(10, TimeUnit.MINUTES);
            double offeredSeconds = (System.nanoTime() - started) / 1e9;
            int expected1 = answers1[202] * alerts;
            awaitDelivered(expected1, Duration.ofMinutes(5));
            int delivered1 = delivered.get();
            double phase1Seconds = (System.nanoTime() - started) / 1e9;
            long p1Peak = peakRss.get();
            long[] lat = latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();

            // --- phase 2: a burst, as fast as 16 senders go ---
            delivered.set(0);
            latenciesMicros.clear();
            int[] answers2 = new int[600];
            CountDownLatch burst = new CountDownLatch(events);
            long burstStarted = System.nanoTime();
            for (int i = 0; i < events; i++) {
                String id = "p2-" + i;
                senders.submit(() -> {
                    try {
                        int code = post(target, event(namespace, id));
                        synchronized (answers2) {
                            answers2[code]++;
                        }
                    } catch (Exception e) {
                        synchronized (answers2) {
                            answers2[599]++;
                        }
                    } finally {
                        burst.countDown();
                    }
                });
            }
            burst.await(10, TimeUnit.MINUTES);
            double burstSendSeconds = (System.nanoTime() - burstStarted) / 1e9;
            int expected2 = answers2[202] * alerts;
            awaitDelivered(expected2, Duration.ofMinutes(5));
            int delivered2 = delivered.get();
            double burstSeconds = (System.nanoTime() - burstStarted) / 1e9;
            long endRss = procStatus(controller.pid(), "VmRSS:");
            long hwm = procStatus(controller.pid(), "VmHWM:");

            // --- reference: the same deliveries POSTed straight to the sink ---
            delivered.set(0);
            int deliveries = expected2;
            CountDownLatch direct = new CountDownLatch(deliveries);
            long directStarted = System.nanoTime();
            for (int i = 0; i < deliveries; i++) {
                String id = "ref-" + i;
                senders.submit(() -> {
                    try {
                        post(sinkUrl, event(namespace, id));
                    } catch (Exception ignored) {
                        // counted as not delivered
                    } finally {
                        direct.countDown();
                    }
                });
            }
            direct.await(10, TimeUnit.MINUTES);
            double directSeconds = (System.nanoTime() - directStarted) / 1e9;
            senders.shutdown();

            System.out.printf("notification-controller, %d Alert(s) each taking every event (generic webhook to a loopback sink)%n", alerts);
            System.out.printf("phase 1, flood: %d events offered at %d/min over %.1f s (%d unique, %d repeats within rate-limit-interval)%n",
                    events, perMinute, offeredSeconds, unique1, events - unique1);
            System.out.printf("  answers: %d accepted (202), %d rate-limited duplicates (429), %d queue full (503), %d other%n",
                    answers1[202], answers1[429], answers1[503], events - answers1[202] - answers1[429] - answers1[503]);
            System.out.printf("  delivered %d of %d notifications; all done %.1f s after the first event: %.0f notifications/min%n",
                    delivered1, expected1, phase1Seconds, delivered1 / phase1Seconds * 60);
            if (lat.length > 0) {
                System.out.printf("  event to delivery latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        lat[lat.length / 2] / 1000.0, lat[(int) (lat.length * 0.99)] / 1000.0, lat[lat.length - 1] / 1000.0);
            }
            System.out.printf("  controller RSS: %d MiB before, peak %d MiB during the flood%n", startRss / 1024, p1Peak / 1024);
            System.out.printf("phase 2, burst: %d unique events sent by 16 senders in %.1f s (%.0f events/s offered)%n",
                    events, burstSendSeconds, events / burstSendSeconds);
            System.out.printf("  answers: %d accepted (202), %d queue full (503), %d other; %d notifications delivered in %.1f s (%.0f/s)%n",
                    answers2[202], answers2[503], events - answers2[202] - answers2[503], delivered2, burstSeconds, delivered2 / burstSeconds);
            System.out.printf("  controller RSS: peak %d MiB (VmHWM %d MiB), %d MiB at the end%n", peakRss.get() / 1024, hwm / 1024, endRss / 1024);
            System.out.printf("  JVM options: %s%n", String.join(" ", jvmOptions));
            System.out.printf("reference: %d POSTs straight to the sink by 16 senders in %.1f s (%.0f/s)%n",
                    deliveries, directSeconds, deliveries / directSeconds);
            System.out.printf("ratio controller deliveries/s / direct POSTs/s: %.2f%n", (delivered2 / burstSeconds) / (deliveries / directSeconds));
        } finally {
            sampler.shutdownNow();
            controller.destroy();
            if (!controller.waitFor(20, TimeUnit.SECONDS)) {
                controller.destroyForcibly().waitFor();
            }
            sink.stop(0);
            sinkThreads.shutdownNow();
            client.namespaces().withName(namespace).delete();
        }
    }

    private static GenericKubernetesResource resource(String kind, String namespace, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("notification.toolkit.fluxcd.io/v1beta3");
        r.setKind(kind);
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        r.setAdditionalProperty("spec", spec);
        return r;
    }

    private static String event(String namespace, String id) {
        return "{\"involvedObject\":{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\",\"kind\":\"Kustomization\",\"name\":\"apps\","
                + "\"namespace\":\"" + namespace + "\"},\"severity\":\"info\",\"timestamp\":\"" + Instant.now().toString().substring(0, 19) + "Z\","
                + "\"message\":\"" + id + "\",\"reason\":\"ReconciliationSucceeded\",\"metadata\":{\"kustomize.toolkit.fluxcd.io/revision\":"
                + "\"main@sha1:8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c\"},\"reportingController\":\"kustomize-controller\"}";
    }

    private static int post(String url, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void awaitDelivered(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (delivered.get() < expected) {
            System.out.printf("  (only %d of %d notifications delivered within %s)%n", delivered.get(), expected, timeout);
        }
    }

    /** Posts probe events until the controller's informers hold the Alerts (a probe reaches the sink). */
    private void awaitCached(int eventsPort, String namespace, int alerts) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            delivered.set(0);
            post("http://127.0.0.1:" + eventsPort + "/", event(namespace, "probe-" + i));
            long wait = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (delivered.get() < alerts && System.nanoTime() < wait) {
                Thread.sleep(50);
            }
            if (delivered.get() >= alerts) {
                Thread.sleep(200);
                return;
            }
        }
        throw new IllegalStateException("the controller did not deliver a probe event within 60 s");
    }

    private static void awaitReady(Process controller, int managementPort) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!controller.isAlive()) {
                throw new IllegalStateException("the controller exited with " + controller.exitValue());
            }
            try {
                var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException ignored) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the controller did not become ready within 120 s");
    }

    private static List<String> jvmOptions(Path file) throws IOException {
        List<String> options = new ArrayList<>();
        if (!Files.exists(file)) {
            return options;
        }
        for (String line : Files.readAllLines(file)) {
            String content = line.replaceFirst("#.*", "").strip();
            if (!content.isEmpty()) {
                options.addAll(Arrays.asList(content.split("\\s+")));
            }
        }
        return options;
    }

    private static long procStatus(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
