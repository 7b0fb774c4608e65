package io.currents.bench.kustomizecontroller;

import io.currents.bench.ApiServerRequests;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.artifact.ArtifactServer;
import io.currents.testkit.artifact.PublishedArtifact;
import io.currents.testkit.artifact.TestSources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * kustomize-controller at scale: N Kustomizations, each a small app (ServiceAccount, ConfigMap, Service,
 * zero-replica Deployment) from one source artifact, applied by the controller running as its own process;
 * time until all are Ready and the controller's peak RSS, against {@code kubectl apply --server-side} of the
 * same objects on the same API server in the same run.
 */
public final class KustomizeControllerBench {

    private static final String APP = """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: app
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: app-config
            data:
              greeting: hello
              level: info
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: app
            spec:
              clusterIP: None
              selector:
                app: %s
              ports:
                - name: http
                  port: 80
                  targetPort: 8080
                  protocol: TCP
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              replicas: 0
              selector:
                matchLabels:
                  app: %s
              template:
                metadata:
                  labels:
                    app: %s
                spec:
                  serviceAccountName: app
                  containers:
                    - name: app
                      image: ghcr.io/stefanprodan/podinfo:6.7.0
                      ports:
                        - containerPort: 8080
                          protocol: TCP
                      envFrom:
                        - configMapRef:
                            name: app-config
            """;

    private KustomizeControllerBench() {
    }

    public static void main(String[] args) throws Exception {
        Path appDir = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int concurrent = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path out = Path.of(args.length > 3 ? args[3] : "bench/out/kustomize-controller");
        Files.createDirectories(out);

        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        KubernetesClient client = plane.client();
        String suffix = Long.toString(System.currentTimeMillis() % 100000, 36);
        String ksNamespace = "bench-ks-" + suffix;
        String appNamespace = "bench-apps-" + suffix;
        String refNamespace = "bench-ref-" + suffix;
        for (String ns : List.of(ksNamespace, appNamespace, refNamespace)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        // The packaged controller runs in the prod profile, with leader election on a Lease in its namespace.
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("currents-system").endMetadata().build())
                .serverSideApply();

        // --- Currents kustomize-controller, as its own process ---
        try (ArtifactServer artifacts = ArtifactServer.start()) {
            PublishedArtifact artifact = artifacts.publish("gitrepository/" + ksNamespace + "/apps/bench.tar.gz",
                    "main@sha1:" + "b".repeat(40), Map.of("app/app.yaml", APP.formatted("app", "app", "app")));
            new TestSources(client).gitRepository(ksNamespace, "apps", artifact);

            int management = ControlPlane.freePort();
            Path log = out.resolve("kustomize-controller.log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // The JVM options a Deployment of the controller uses (kustomize-controller/jvm.options), then any extra
            // ones for an experiment (BENCH_JAVA_OPTS, e.g. -XX:NativeMemoryTracking=summary).
            List<String> jvmOptions = jvmOptions(appDir.resolve("../../jvm.options").normalize());
            String extra = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "").strip();
            if (!extra.isEmpty()) {
                jvmOptions.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(jvmOptions);
            command.addAll(List.of(
                    "-Dkubeconfig=" + plane.kubeconfigPath(),
                    "-Dquarkus.http.port=0", "-Dquarkus.management.port=" + management, "-Dquarkus.management.host=127.0.0.1",
                    "-Dconcurrent=" + concurrent,
                    "-Dquarkus.log.category.\"io.currents\".level=WARN",
                    "-jar", appDir.resolve("quarkus-run.jar").toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("KUBECONFIG", plane.kubeconfigPath().toString());
            Process controller = pb.start();
            try {
                awaitReady(controller, management);
                long startupHwmKiB = procStatus(controller.pid(), "VmHWM:");
                boolean jfr = !System.getenv().getOrDefault("BENCH_JFR", "").isEmpty();
                if (jfr) {
                    jcmd(controller.pid(), out.resolve("jfr-start.txt"), "JFR.start", "name=bench", "settings=profile");
                }
                ApiServerRequests beforeRun = ApiServerRequests.snapshot(client);
                long started = System.nanoTime();
                createKustomizations(client, ksNamespace, appNamespace, count);
                long polls = awaitAllReady(client, ksNamespace, count, controller);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                Map<String, Long> runRequests = ApiServerRequests.snapshot(client).since(beforeRun);
                // the bench's own requests: the creates, and its polls for Ready (and one /metrics read)
                runRequests.computeIfPresent("POST kustomizations", (key, n) -> n - count == 0 ? null : n - count);
                runRequests.computeIfPresent("LIST kustomizations", (key, n) -> n - polls == 0 ? null : n - polls);
                runRequests.computeIfPresent("GET (non-resource)", (key, n) -> n - 1 == 0 ? null : n - 1);
                long runControlPlane = ApiServerRequests.removeControlPlane(runRequests);
                if (jfr) {
                    Path recording = out.resolve("kustomize-controller.jfr").toAbsolutePath();
                    jcmd(controller.pid(), out.resolve("jfr-stop.txt"), "JFR.stop", "name=bench", "filename=" + recording);
                    Path jfrTool = Path.of(System.getProperty("java.home"), "bin", "jfr");
                    for (String view : List.of("hot-methods", "allocation-by-site", "gc")) {
                        new ProcessBuilder(jfrTool.toString(), "view", "--width", "200", view, recording.toString())
                                .redirectErrorStream(true).redirectOutput(out.resolve("jfr-" + view + ".txt").toFile()).start().waitFor();
                    }
                }
                long hwmKiB = procStatus(controller.pid(), "VmHWM:");
                long rssKiB = procStatus(controller.pid(), "VmRSS:");
                diagnostics(controller.pid(), jvmOptions, out);

                // --- reference: kubectl apply --server-side of the same objects ---
                Path manifests = out.resolve("reference.yaml");
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    all.append(prefixed(i, refNamespace));
                }
                Files.writeString(manifests, all.toString());
                ApiServerRequests beforeReference = ApiServerRequests.snapshot(client);
                long refStarted = System.nanoTime();
                Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", plane.kubeconfigPath().toString(),
                        "apply", "--server-side", "--field-manager=bench", "-f", manifests.toString())
                        .redirectErrorStream(true).redirectOutput(out.resolve("kubectl.log").toFile()).start();
                int code = kubectl.waitFor();
                Duration reference = Duration.ofNanos(System.nanoTime() - refStarted);
                Map<String, Long> referenceRequests = ApiServerRequests.snapshot(client).since(beforeReference);
                referenceRequests.computeIfPresent("GET (non-resource)", (key, n) -> n - 1 == 0 ? null : n - 1);
                long referenceControlPlane = ApiServerRequests.removeControlPlane(referenceRequests);

                System.out.printf("kustomize-controller: %d Kustomizations x 4 objects Ready in %.1f s (concurrent=%d), peak RSS %d MiB%n",
                        count, took.toMillis() / 1000.0, concurrent, hwmKiB / 1024);
                System.out.printf("  (peak RSS %d MiB once started, before any Kustomization; RSS %d MiB when all were Ready)%n",
                        startupHwmKiB / 1024, rssKiB / 1024);
                System.out.printf("  JVM options: %s%n", String.join(" ", jvmOptions));
                System.out.printf("kubectl apply --server-side of the same %d objects: %.1f s (exit %d)%n",
                        count * 4, reference.toMillis() / 1000.0, code);
                System.out.printf("ratio controller / kubectl: %.2f%n", took.toMillis() / (double) Math.max(1, reference.toMillis()));
                System.out.println("(Flux v2.9 publishes 4m13s and 223 MiB for 1,000 on 16 cores)");
                System.out.printf("API requests served while the controller made %d Kustomizations Ready: %d, %.1f per Kustomization"
                                + " (left out: the bench's own creates and %d polls, watches, and %d requests of kube-controller-manager"
                                + " and the API server on Deployments, ReplicaSets, Endpoints...)%n",
                        count, ApiServerRequests.total(runRequests), ApiServerRequests.total(runRequests) / (double) count, polls,
                        runControlPlane);
                System.out.print(ApiServerRequests.format(runRequests, count, "  "));
                System.out.printf("API requests served for kubectl's apply of the same objects: %d, %.1f per Kustomization's 4 objects"
                                + " (left out: %d of kube-controller-manager and the API server)%n",
                        ApiServerRequests.total(referenceRequests), ApiServerRequests.total(referenceRequests) / (double) count,
                        referenceControlPlane);
                System.out.print(ApiServerRequests.format(referenceRequests, count, "  "));
                System.out.printf("ratio of API requests controller / kubectl: %.2f%n",
                        ApiServerRequests.total(runRequests) / (double) Math.max(1, ApiServerRequests.total(referenceRequests)));
                if (jfr) {
                    System.out.println("JFR recording of the run and its views (hot methods, allocations, GC): " + out + "/jfr-*.txt");
                }
                System.out.printf("(machine load while measuring: %s)%n", Files.readString(Path.of("/proc/loadavg")).strip());
                idleRounds(client, ksNamespace, count, controller);
                unrelatedSecretsRound(client, suffix, controller);
                headOfLineRounds(client, suffix, appNamespace, artifact, count, controller);
            } finally {
                long stopping = System.nanoTime();
                controller.destroy();
                if (controller.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    System.out.printf("controller exited %.1f s after SIGTERM (exit %d)%n",
                            (System.nanoTime() - stopping) / 1e9, controller.exitValue());
                } else {
                    Path dump = out.resolve("threads-at-sigterm.txt");
                    new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                            Long.toString(controller.pid()), "Thread.print")
                            .redirectErrorStream(true).redirectOutput(dump.toFile()).start().waitFor();
                    System.out.println("controller still running 20 s after SIGTERM, killed; thread dump in " + dump);
                    controller.destroyForcibly().waitFor();
                }
            }
        }
        for (String ns : List.of(ksNamespace, appNamespace, refNamespace)) {
            client.namespaces().withName(ns).delete();
        }
        System.exit(0);
    }

    /** The objects kustomize builds for Kustomization i (namePrefix a<i>-, in the reference namespace). */
    private static String prefixed(int i, String namespace) {
        String p = "a" + i + "-";
        String docs = "\n" + APP.formatted(p + "app", p + "app", p + "app");
        return docs.replace("name: app-config", "name: " + p + "app-config")
                .replace("  name: app\n", "  name: " + p + "app\n")
                .replace("serviceAccountName: app", "serviceAccountName: " + p + "app")
                .replace("\nmetadata:\n", "\nmetadata:\n  namespace: " + namespace + "\n")
                .substring(1) + "---\n";
    }

    private static void createKustomizations(KubernetesClient client, String namespace, String appNamespace, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String yaml = """
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata:
                      name: app-%d
                      namespace: %s
                    spec:
                      interval: 1h
                      path: ./app
                      prune: true
                      targetNamespace: %s
                      namePrefix: a%d-
                      sourceRef:
                        kind: GitRepository
                        name: apps
                    """.formatted(i, namespace, appNamespace, i);
            created.add(pool.submit(() -> client.resource(client.getKubernetesSerialization()
                    .unmarshal(yaml, GenericKubernetesResource.class)).create()));
        }
        for (Future<?> f : created) {
            f.get();
        }
        pool.shutdown();
    }

    @SuppressWarnings("unchecked")
    private static long awaitAllReady(KubernetesClient client, String namespace, int count, Process controller) throws InterruptedException {
        long lastReport = System.nanoTime();
        long polls = 0;
        while (true) {
            polls++;
            if (!controller.isAlive()) {
                throw new IllegalStateException("the controller exited with " + controller.exitValue());
            }
            var list = client.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization").inNamespace(namespace).list().getItems();
            long ready = list.stream().filter(k -> {
                Object status = k.getAdditionalProperties().get("status");
                if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
                    return false;
                }
                return conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
            }).count();
            if (ready >= count) {
                return polls;
            }
            if (System.nanoTime() - lastReport > Duration.ofSeconds(15).toNanos()) {
                System.out.printf("  %d/%d Ready%n", ready, count);
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    private static void awaitReady(Process controller, int managementPort) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!controller.isAlive()) {
                throw new IllegalStateException("the controller exited with " + controller.exitValue());
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready")).build(),
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

    /** The options of a jvm.options file: one or more per line, {@code #} starts a comment. */
    private static List<String> jvmOptions(Path file) throws IOException {
        List<String> options = new ArrayList<>();
        if (!Files.exists(file)) {
            return options;
        }
        for (String line : Files.readAllLines(file)) {
            String content = line.replaceFirst("#.*", "").strip();
            if (!content.isEmpty()) {
                options.addAll(List.of(content.split("\\s+")));
            }
        }
        return options;
    }

    /** With native memory tracking on, where the controller's memory went (written beside the log). */
    private static void diagnostics(long pid, List<String> jvmOptions, Path out) throws IOException, InterruptedException {
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
            return;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.native_memory", "summary")
                .redirectErrorStream(true).redirectOutput(out.resolve("native-memory.txt").toFile()).start().waitFor();
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).redirectOutput(out.resolve("class-histogram.txt").toFile()).start().waitFor();
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                .redirectErrorStream(true).redirectOutput(out.resolve("threads.txt").toFile()).start().waitFor();
    }

    /**
     * Steady state once all are Ready: the API requests per second the idle Kustomizations cause (target at most 5 for
     * 1,000), then a no-op reconcile of a sample of them asked for with {@code reconcile.fluxcd.io/requestedAt}: what
     * each costs the API server (target: no LIST, no write but the status recording the request).
     */
    private static void idleRounds(KubernetesClient client, String namespace, int count, Process controller) throws Exception {
        int settle = Integer.parseInt(System.getenv().getOrDefault("BENCH_IDLE_SETTLE_SECONDS", "20"));
        int window = Integer.parseInt(System.getenv().getOrDefault("BENCH_IDLE_WINDOW_SECONDS", "60"));
        Thread.sleep(settle * 1000L);
        ApiServerRequests idleStart = ApiServerRequests.snapshot(client);
        Thread.sleep(window * 1000L);
        Map<String, Long> idle = ApiServerRequests.snapshot(client).since(idleStart);
        idle.computeIfPresent("GET (non-resource)", (key, n) -> n - 1 == 0 ? null : n - 1);
        long idleControlPlane = ApiServerRequests.removeControlPlane(idle);
        System.out.printf("idle: %d Kustomizations Ready caused %d API requests in %d s: %.2f requests/s (target <= 5 for 1,000;"
                        + " left out: %d of kube-controller-manager and the API server)%n",
                count, ApiServerRequests.total(idle), window, ApiServerRequests.total(idle) / (double) window, idleControlPlane);
        System.out.print(ApiServerRequests.format(idle, 0, "  "));

        int sample = Math.min(count, 100);
        String requestedAt = "bench-" + System.currentTimeMillis();
        ApiServerRequests noOpStart = ApiServerRequests.snapshot(client);
        long started = System.nanoTime();
        var kustomizations = client.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization").inNamespace(namespace);
        for (int i = 0; i < sample; i++) {
            kustomizations.withName("app-" + i).patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"" + requestedAt + "\"}}}");
        }
        long polls = 0;
        while (true) {
            if (!controller.isAlive()) {
                throw new IllegalStateException("the controller exited with " + controller.exitValue());
            }
            polls++;
            long handled = kustomizations.list().getItems().stream().filter(k -> k.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                    && requestedAt.equals(status.get("lastHandledReconcileAt"))).count();
            if (handled >= sample) {
                break;
            }
            Thread.sleep(250);
        }
        double took = (System.nanoTime() - started) / 1e9;
        Map<String, Long> noOp = ApiServerRequests.snapshot(client).since(noOpStart);
        // the bench's own: a patch per annotated Kustomization (fabric8 sends a LIST before each), its polls, one /metrics read
        final long bench = polls + sample;
        noOp.computeIfPresent("PATCH kustomizations", (key, n) -> n - sample == 0 ? null : n - sample);
        noOp.computeIfPresent("LIST kustomizations", (key, n) -> n - bench == 0 ? null : n - bench);
        noOp.computeIfPresent("GET (non-resource)", (key, n) -> n - 1 == 0 ? null : n - 1);
        ApiServerRequests.removeControlPlane(noOp);
        long lists = ApiServerRequests.ofVerbs(noOp, "LIST");
        long writes = ApiServerRequests.ofVerbs(noOp, "POST", "PUT", "PATCH", "APPLY", "DELETE");
        long statusWrites = noOp.entrySet().stream().filter(e -> e.getKey().endsWith("kustomizations/status")
                && !e.getKey().contains("-dryrun")).mapToLong(Map.Entry::getValue).sum();
        System.out.printf("no-op reconcile (requestedAt on %d unchanged Kustomizations, all handled in %.1f s): %.2f API requests each;"
                        + " %.2f LIST, %.2f writes of which %.2f status writes (target: 0 LIST, 1 status write recording the request)%n",
                sample, took, ApiServerRequests.total(noOp) / (double) sample, lists / (double) sample, writes / (double) sample,
                statusWrites / (double) sample);
        System.out.print(ApiServerRequests.format(noOp, sample, "  "));
    }

    /**
     * Memory does not grow with the Secrets of the cluster: idle RSS, then 10,000 (BENCH_SECRETS) unrelated Secrets
     * created in a namespace of their own, then idle RSS again once they settled (target within 10%), and the LIST and
     * WATCH requests on Secrets the controller made meanwhile (a cache of every Secret would LIST them).
     */
    private static void unrelatedSecretsRound(KubernetesClient client, String suffix, Process controller) throws Exception {
        int secrets = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECRETS", "10000"));
        int settle = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECRETS_SETTLE_SECONDS", "30"));
        String namespace = "bench-secrets-" + suffix;
        long before = procStatus(controller.pid(), "VmRSS:");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        ApiServerRequests start = ApiServerRequests.snapshot(client);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> created = new ArrayList<>();
        String value = "x".repeat(512);
        for (int i = 0; i < secrets; i++) {
            String name = "unrelated-" + i;
            created.add(pool.submit(() -> client.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withNewMetadata().withName(name).endMetadata().addToStringData("token", value).build()).create()));
        }
        for (Future<?> f : created) {
            f.get();
        }
        pool.shutdown();
        Thread.sleep(settle * 1000L);
        Map<String, Long> requests = ApiServerRequests.snapshot(client).since(start);
        long after = procStatus(controller.pid(), "VmRSS:");
        long lists = requests.entrySet().stream().filter(e -> e.getKey().equals("LIST secrets")).mapToLong(Map.Entry::getValue).sum();
        long watches = requests.entrySet().stream().filter(e -> e.getKey().equals("WATCH secrets")).mapToLong(Map.Entry::getValue).sum();
        System.out.printf("unrelated Secrets: idle RSS %d MiB before, %d MiB %d s after %d Secrets of 512 B were created: ratio %.2f"
                        + " (target <= 1.10); LIST secrets %d, new WATCH secrets %d meanwhile%n",
                before / 1024, after / 1024, settle, secrets, after / (double) Math.max(1, before), lists, watches);
        client.namespaces().withName(namespace).delete();
    }

    /**
     * Head-of-line blocking: N (BENCH_HOL_COUNT, default the run's count) Kustomizations all healthy, then N more of which 10% fail (half a bad build, half a health
     * check on a Deployment that never appears, within BENCH_HOL_TIMEOUT_SECONDS); the healthy ones' reconcile latency
     * (creation to first seen Ready) p50/p95 in each, and the ratio mixed / all-healthy (target <= 1.2 and <= 15 s).
     */
    private static void headOfLineRounds(KubernetesClient client, String suffix, String appNamespace, PublishedArtifact artifact,
                                         int count, Process controller) throws Exception {
        int timeout = Integer.parseInt(System.getenv().getOrDefault("BENCH_HOL_TIMEOUT_SECONDS", "30"));
        count = Integer.parseInt(System.getenv().getOrDefault("BENCH_HOL_COUNT", Integer.toString(count)));
        String healthy = "bench-hol-ok-" + suffix;
        String mixed = "bench-hol-mix-" + suffix;
        for (String ns : List.of(healthy, mixed)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            new TestSources(client).gitRepository(ns, "apps", artifact);
        }
        long[] base = latencies(client, healthy, appNamespace, "h", count, timeout, false, controller);
        long[] withFailing = latencies(client, mixed, appNamespace, "m", count, timeout, true, controller);
        double p50 = percentile(base, 50), p95 = percentile(base, 95);
        double mixedP50 = percentile(withFailing, 50), mixedP95 = percentile(withFailing, 95);
        System.out.printf("head-of-line: %d Kustomizations all healthy: reconcile latency p50 %.1f s, p95 %.1f s%n", count, p50, p95);
        System.out.printf("head-of-line: %d Kustomizations of which %d fail (%d bad build, %d health check never passing within %d s):"
                        + " the %d healthy ones' latency p50 %.1f s, p95 %.1f s%n",
                count, count - withFailing.length, failing(count, true), failing(count, false), timeout, withFailing.length, mixedP50, mixedP95);
        System.out.printf("head-of-line ratio p95 mixed / all healthy: %.2f (target <= 1.2 and p95 <= 15 s); p50 ratio %.2f%n",
                mixedP95 / Math.max(0.001, p95), mixedP50 / Math.max(0.001, p50));
        System.out.printf("(machine load: %s)%n", Files.readString(Path.of("/proc/loadavg")).strip());
        for (String ns : List.of(healthy, mixed)) {
            client.namespaces().withName(ns).delete();
        }
    }

    /** Kustomization i fails when i % 10 == 0: a bad build when i % 20 == 0, else a health check that never passes. */
    private static boolean fails(int i) {
        return i % 10 == 0;
    }

    private static long failing(int count, boolean badBuild) {
        return java.util.stream.IntStream.range(0, count).filter(i -> fails(i) && (i % 20 == 0) == badBuild).count();
    }

    /** Creates {@code count} Kustomizations and returns the healthy ones' seconds (in ms) from creation to first seen Ready. */
    @SuppressWarnings("unchecked")
    private static long[] latencies(KubernetesClient client, String namespace, String appNamespace, String prefix, int count, int timeout,
                                    boolean withFailing, Process controller) throws Exception {
        java.util.Set<String> expected = new java.util.HashSet<>();
        java.util.Map<String, Long> createdAt = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean failing = withFailing && fails(i);
            String name = prefix + "-" + i;
            if (!failing) {
                expected.add(name);
            }
            String path = failing && i % 20 == 0 ? "./missing" : "./app";
            String health = failing && i % 20 != 0 ? """
                      timeout: %ds
                      healthChecks:
                        - apiVersion: apps/v1
                          kind: Deployment
                          name: never-%s
                          namespace: %s
                    """.formatted(timeout, name, appNamespace) : "";
            String yaml = """
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata:
                      name: %s
                      namespace: %s
                    spec:
                      interval: 1h
                      path: %s
                      prune: true
                      targetNamespace: %s
                      namePrefix: %s%d-
                      sourceRef:
                        kind: GitRepository
                        name: apps
                    """.formatted(name, namespace, path, appNamespace, prefix, i) + health;
            created.add(pool.submit(() -> {
                createdAt.put(name, System.nanoTime());
                return client.resource(client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class)).create();
            }));
        }
        for (Future<?> f : created) {
            f.get();
        }
        pool.shutdown();
        java.util.Map<String, Long> latency = new java.util.HashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (latency.size() < expected.size()) {
            if (!controller.isAlive()) {
                throw new IllegalStateException("the controller exited with " + controller.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + latency.size() + "/" + expected.size() + " healthy Kustomizations Ready after 30 min");
            }
            long now = System.nanoTime();
            for (GenericKubernetesResource k : client.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization")
                    .inNamespace(namespace).list().getItems()) {
                String name = k.getMetadata().getName();
                if (expected.contains(name) && !latency.containsKey(name) && k.getAdditionalProperties().get("status") instanceof Map<?, ?> s
                        && s.get("conditions") instanceof List<?> conditions && conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m
                        && "Ready".equals(m.get("type")) && "True".equals(m.get("status")))) {
                    latency.put(name, (now - createdAt.get(name)) / 1_000_000);
                }
            }
            Thread.sleep(250);
        }
        return latency.values().stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The nearest-rank percentile of sorted milliseconds, in seconds. */
    private static double percentile(long[] sortedMillis, int p) {
        if (sortedMillis.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedMillis.length);
        return sortedMillis[Math.max(0, Math.min(sortedMillis.length - 1, rank - 1))] / 1000.0;
    }

    private static void jcmd(long pid, Path output, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(output.toFile()).start().waitFor();
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
