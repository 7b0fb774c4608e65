package io.currents.bench.helmcontroller;

import com.marcnuri.helm.Helm;
import io.currents.bench.ApiServerRequests;
import io.currents.cli.dev.ControllerProcess;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.artifact.ArtifactServer;
import io.currents.testkit.artifact.PublishedArtifact;
import io.currents.testkit.artifact.Tarball;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * helm-controller at scale: N HelmReleases of one small chart, installed by the controller running as its own
 * process; time until all are Ready and the controller's peak RSS, against the same N installs made directly with
 * helm-java (the Helm engine the controller embeds) on the same API server in the same run.
 */
public final class HelmControllerBench {

    private static final Map<String, String> CHART = Map.of(
            "bench/Chart.yaml", "apiVersion: v2\nname: bench\nversion: 1.0.0\nappVersion: \"1.0\"\n",
            "bench/values.yaml", "greeting: hello\nlevel: info\n",
            "bench/templates/configmap.yaml", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: {{ .Release.Name }}-config
                    data:
                      greeting: {{ .Values.greeting | quote }}
                      level: {{ .Values.level | quote }}
                    """,
            "bench/templates/secret.yaml", """
                    apiVersion: v1
                    kind: Secret
                    metadata:
                      name: {{ .Release.Name }}-secret
                    stringData:
                      token: {{ .Release.Name | sha256sum | quote }}
                    """);

    private HelmControllerBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // the control plane's and the artifact server's threads would keep the JVM (and a CI smoke run) waiting
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path appDir = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int concurrent = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path out = Path.of(args.length > 3 ? args[3] : "bench/out/helm-controller");
        Files.createDirectories(out);

        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(ControlPlane.projectRoot().resolve("manifests").resolve("crds"));
        KubernetesClient client = plane.client();
        String suffix = Long.toString(System.currentTimeMillis() % 100000, 36);
        String hrNamespace = "bench-hr-" + suffix;
        String refNamespace = "bench-helm-" + suffix;
        for (String ns : List.of(hrNamespace, refNamespace)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("currents-system").endMetadata().build())
                .serverSideApply();

        byte[] tgz = Tarball.of(CHART);
        Path chartFile = out.resolve("bench-1.0.0.tgz");
        Files.write(chartFile, tgz);
        try (ArtifactServer artifacts = ArtifactServer.start()) {
            PublishedArtifact artifact = artifacts.publishBytes("helmchart/" + hrNamespace + "/bench/bench-1.0.0.tgz", "1.0.0", tgz);
            publishHelmChart(client, hrNamespace, artifact);

            int management = ControlPlane.freePort();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.resolve("helm-controller.log").toFile());
            pb.environment().put("KUBECONFIG", plane.kubeconfigPath().toString());
            // the controller's environment as its Deployment sets it (container.env: Go's memory limit), then
            // BENCH_CONTROLLER_ENV ("NAME=value ..."), for the controller only: the reference below runs Helm as shipped
            Path containerEnv = appDir.resolve("../../container.env").normalize();
            Map<String, String> controllerEnv = new LinkedHashMap<>(
                    Files.exists(containerEnv) ? ControllerProcess.readContainerEnv(containerEnv) : Map.of());
            String extraEnv = System.getenv().getOrDefault("BENCH_CONTROLLER_ENV", "").strip();
            if (!extraEnv.isEmpty()) {
                for (String pair : extraEnv.split("\\s+")) {
                    controllerEnv.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
            pb.environment().putAll(controllerEnv);
            Process controller = pb.start();
            try {
                awaitReady(controller, management);
                long startupHwmKiB = procStatus(controller.pid(), "VmHWM:");
                ApiServerRequests beforeRun = ApiServerRequests.snapshot(client);
                Duration cpuBefore = cpu(controller.toHandle());
                long started = System.nanoTime();
                createHelmReleases(client, hrNamespace, count);
                awaitAllReady(client, hrNamespace, count, controller);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                Duration controllerCpu = cpu(controller.toHandle()).minus(cpuBefore);
                Map<String, Long> runRequests = ApiServerRequests.snapshot(client).since(beforeRun);
                ApiServerRequests.removeControlPlane(runRequests);
                long hwmKiB = procStatus(controller.pid(), "VmHWM:");
                long rssKiB = procStatus(controller.pid(), "VmRSS:");

                // --- reference: helm-java installs of the same chart, `concurrent` at a time ---
                ExecutorService pool = Executors.newFixedThreadPool(concurrent);
                ApiServerRequests beforeReference = ApiServerRequests.snapshot(client);
                Duration refCpuBefore = cpu(ProcessHandle.current());
                long refStarted = System.nanoTime();
                List<Future<?>> installs = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String name = "app-" + i;
                    installs.add(pool.submit(() -> new Helm(chartFile).install().withName(name).withNamespace(refNamespace)
                            .withKubeConfig(plane.kubeconfigPath()).waitReady().withTimeout(300).call()));
                }
                for (Future<?> f : installs) {
                    f.get();
                }
                Duration reference = Duration.ofNanos(System.nanoTime() - refStarted);
                Duration referenceCpu = cpu(ProcessHandle.current()).minus(refCpuBefore);
                Map<String, Long> referenceRequests = ApiServerRequests.snapshot(client).since(beforeReference);
                ApiServerRequests.removeControlPlane(referenceRequests);
                pool.shutdown();

                System.out.printf("helm-controller: %d HelmReleases (ConfigMap + Secret each) Ready in %.1f s (concurrent=%d), peak RSS %d MiB%n",
                        count, took.toMillis() / 1000.0, concurrent, hwmKiB / 1024);
                System.out.printf("  (peak RSS %d MiB once started, before any HelmRelease; RSS %d MiB when all were Ready)%n",
                        startupHwmKiB / 1024, rssKiB / 1024);
                System.out.printf("  JVM options: %s%n", String.join(" ", jvmOptions));
                System.out.printf("  environment: %s%n", controllerEnv);
                System.out.printf("  CPU time of the controller process meanwhile: %.1f s (Helm's Go code, the JVM and its collectors)%n",
                        controllerCpu.toMillis() / 1000.0);
                System.out.printf("  API requests while they were made Ready (this bench's own polling included): %d, %.1f per HelmRelease%n",
                        ApiServerRequests.total(runRequests), ApiServerRequests.total(runRequests) / (double) count);
                System.out.print(ApiServerRequests.format(runRequests, count, "    "));
                System.out.printf("helm-java install of the same chart %d times (%d at a time): %.1f s%n",
                        count, concurrent, reference.toMillis() / 1000.0);
                System.out.printf("  CPU time of this JVM meanwhile: %.1f s%n", referenceCpu.toMillis() / 1000.0);
                System.out.printf("  API requests: %d, %.1f per release%n",
                        ApiServerRequests.total(referenceRequests), ApiServerRequests.total(referenceRequests) / (double) count);
                System.out.print(ApiServerRequests.format(referenceRequests, count, "    "));
                System.out.printf("ratio controller / helm-java: %.2f%n", took.toMillis() / (double) Math.max(1, reference.toMillis()));
                System.out.printf("CPU ratio controller / helm-java: %.2f (less noisy than the times on a shared machine)%n",
                        controllerCpu.toMillis() / (double) Math.max(1, referenceCpu.toMillis()));
            } finally {
                controller.destroy();
                if (!controller.waitFor(30, TimeUnit.SECONDS)) {
                    controller.destroyForcibly().waitFor();
                }
            }
        }
        for (String ns : List.of(hrNamespace, refNamespace)) {
            client.namespaces().withName(ns).delete();
        }
        System.exit(0);
    }

    /** The HelmChart every HelmRelease points at, Ready with the chart artifact as source-controller would leave it. */
    private static void publishHelmChart(KubernetesClient client, String namespace, PublishedArtifact artifact) {
        var charts = client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "HelmChart").inNamespace(namespace);
        GenericKubernetesResource chart = client.getKubernetesSerialization().unmarshal("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmChart
                metadata:
                  name: bench
                  namespace: %s
                spec:
                  chart: bench
                  interval: 1h
                  sourceRef:
                    kind: HelmRepository
                    name: charts
                """.formatted(namespace), GenericKubernetesResource.class);
        chart = charts.resource(chart).create();
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("type", "Ready");
        ready.put("status", "True");
        ready.put("reason", "ChartPullSucceeded");
        ready.put("message", "pulled 'bench' chart with version '1.0.0'");
        ready.put("lastTransitionTime", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        ready.put("observedGeneration", chart.getMetadata().getGeneration());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", chart.getMetadata().getGeneration());
        status.put("observedChartName", "bench");
        status.put("conditions", List.of(ready));
        status.put("artifact", artifact.toStatus());
        chart.setAdditionalProperty("status", status);
        charts.resource(chart).updateStatus();
    }

    private static void createHelmReleases(KubernetesClient client, String namespace, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String yaml = """
                    apiVersion: helm.toolkit.fluxcd.io/v2
                    kind: HelmRelease
                    metadata:
                      name: app-%d
                      namespace: %s
                    spec:
                      interval: 1h
                      chartRef:
                        kind: HelmChart
                        name: bench
                    """.formatted(i, namespace);
            created.add(pool.submit(() -> client.resource(client.getKubernetesSerialization()
                    .unmarshal(yaml, GenericKubernetesResource.class)).create()));
        }
        for (Future<?> f : created) {
            f.get();
        }
        pool.shutdown();
    }

    private static void awaitAllReady(KubernetesClient client, String namespace, int count, Process controller) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (true) {
            if (!controller.isAlive()) {
                throw new IllegalStateException("the controller exited with " + controller.exitValue());
            }
            var list = client.genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease").inNamespace(namespace).list().getItems();
            long ready = list.stream().filter(k -> {
                Object status = k.getAdditionalProperties().get("status");
                if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
                    return false;
                }
                return conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
            }).count();
            if (ready >= count) {
                return;
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

    /** The {@code NAME=value} lines of an env file ({@code #} starts a comment); empty when there is none. */
    /** The CPU time a process has used so far (user and system, all its threads, Go's included). */
    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
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
