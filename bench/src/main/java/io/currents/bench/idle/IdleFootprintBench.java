package io.currents.bench.idle;

import com.sun.net.httpserver.HttpServer;
import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Idle footprint: source-, kustomize-, helm- and notification-controller, each the packaged quarkus-app started as
 * {@code currents dev up} starts it ({@link ControllerProcess}: the module's {@code jvm.options}, the Deployment's
 * environment) plus the pod's limits from its Deployment in {@code manifests/bases} ({@code -XX:MaxRAM} = the memory
 * limit, {@code -XX:ActiveProcessorCount} = the CPU limit), against the local control plane, with a small fleet
 * reconciled for real: GitRepositories on a loopback Git server, Kustomizations and HelmReleases (chart from the
 * GitRepository) built from them, Alerts posting to a loopback webhook. Once everything is Ready, waits the settle
 * time and samples each controller's RSS; prints it against the 100 MiB target as a ratio.
 */
public final class IdleFootprintBench {

    static final long TARGET_MIB = 100;

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
            """;

    private static final String CHART = "apiVersion: v2\nname: idle\nversion: 1.0.0\n";
    private static final String CHART_CONFIGMAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-config
            data:
              release: {{ .Release.Name | quote }}
            """;

    private IdleFootprintBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = ControlPlane.projectRoot();
        int sources = Integer.parseInt(args[0]);
        int kustomizations = Integer.parseInt(args[1]);
        int releases = Integer.parseInt(args[2]);
        int alerts = Integer.parseInt(args[3]);
        Duration settle = Duration.ofSeconds(Long.parseLong(args[4]));
        Path out = Path.of(args[5]).toAbsolutePath();
        List<String> extra = List.of(System.getenv().getOrDefault("BENCH_JAVA_OPTS", "").strip().split("\\s+"))
                .stream().filter(s -> !s.isEmpty()).toList();
        Files.createDirectories(out);

        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(root.resolve("manifests").resolve("crds"));
        KubernetesClient client = plane.client();
        String suffix = Long.toString(System.currentTimeMillis() % 100000, 36);
        String ns = "bench-idle-" + suffix;
        String appNs = "bench-idle-apps-" + suffix;
        for (String name : List.of(ns, appNs)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("currents-system").endMetadata().build())
                .serverSideApply();

        Path gitRoot = Files.createTempDirectory(out, "git");
        AtomicInteger notifications = new AtomicInteger();
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sink.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            notifications.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.start();
        List<ControllerProcess> controllers = new ArrayList<>();
        try (GitHttpServer git = GitHttpServer.start(gitRoot); TestRepo repo = TestRepo.create(gitRoot, "fleet")) {
            repo.commit("main", Map.of("app/app.yaml", APP, "chart/Chart.yaml", CHART,
                    "chart/templates/configmap.yaml", CHART_CONFIGMAP), "the idle bench's fleet");

            ControllerProcess.Settings base = ControllerProcess.Settings.of(root, plane.kubeconfigPath(), "currents-system",
                    out.resolve("work"));
            ControllerProcess notification = ControllerProcess.start(Controller.NOTIFICATION,
                    base.asInPod(podOptions(root, Controller.NOTIFICATION, extra)));
            controllers.add(notification);
            for (Controller c : List.of(Controller.SOURCE, Controller.KUSTOMIZE, Controller.HELM)) {
                controllers.add(ControllerProcess.start(c, base.withEvents(notification).asInPod(podOptions(root, c, extra))));
            }
            Map<Controller, Long> atReady = new LinkedHashMap<>();
            for (ControllerProcess p : controllers) {
                p.awaitReady(Duration.ofMinutes(3));
            }
            for (ControllerProcess p : controllers) {
                atReady.put(p.controller(), status(p.pid(), "VmRSS:"));
            }

            long started = System.nanoTime();
            createFleet(client, ns, appNs, git.url(repo), sources, kustomizations, releases, alerts,
                    "http://127.0.0.1:" + sink.getAddress().getPort() + "/");
            awaitReady(client, ns, Map.of("source.toolkit.fluxcd.io/v1:GitRepository", sources,
                    "kustomize.toolkit.fluxcd.io/v1:Kustomization", kustomizations,
                    "helm.toolkit.fluxcd.io/v2:HelmRelease", releases,
                    "notification.toolkit.fluxcd.io/v1beta3:Alert", alerts), controllers, Duration.ofMinutes(5));
            double convergedSeconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(settle.toMillis());

            System.out.printf("idle footprint: %d GitRepositories, %d Kustomizations, %d HelmReleases, %d Alerts Ready in %.1f s,"
                    + " RSS sampled %d s later (%d notifications delivered)%n", sources, kustomizations, releases, alerts,
                    convergedSeconds, settle.toSeconds(), notifications.get());
            System.out.printf("%-26s %9s %9s %9s %8s %7s  %s%n", "controller", "RSS MiB", "ready MiB", "peak MiB", "threads",
                    "ratio", "(RSS / " + TARGET_MIB + " MiB target)");
            long total = 0;
            for (ControllerProcess p : controllers) {
                long rss = status(p.pid(), "VmRSS:");
                total += rss;
                System.out.printf("%-26s %9d %9d %9d %8d %7.2f%n", p.controller().controllerName(), rss / 1024,
                        atReady.get(p.controller()) / 1024, status(p.pid(), "VmHWM:") / 1024, status(p.pid(), "Threads:"),
                        rss / 1024.0 / TARGET_MIB);
                diagnostics(p, out);
            }
            System.out.printf("%-26s %9d%n", "total", total / 1024);
            for (ControllerProcess p : controllers) {
                System.out.printf("  %s: %s%n", p.controller().controllerName(),
                        String.join(" ", base.asInPod(podOptions(root, p.controller(), extra)).jvmOptions(p.controller())));
            }
        } finally {
            ControllerProcess.stopAll(controllers, Duration.ofSeconds(20));
            sink.stop(0);
            for (String name : List.of(ns, appNs)) {
                client.namespaces().withName(name).delete();
            }
        }
        System.exit(0);
    }

    /**
     * The pod's limits as JVM options: the memory limit of the controller's Deployment as {@code -XX:MaxRAM} (what a
     * container's cgroup limit tells the JVM) and its CPU limit as {@code -XX:ActiveProcessorCount}, then any extra
     * options (BENCH_JAVA_OPTS, e.g. {@code -XX:NativeMemoryTracking=summary}; {@code {controller}} in them stands for the
     * controller's name, e.g. a class-data archive of its own: {@code -XX:SharedArchiveFile=/tmp/{controller}.jsa}).
     */
    static List<String> podOptions(Path root, Controller controller, List<String> extra) throws IOException {
        String deployment = Files.readString(root.resolve("manifests/bases").resolve(controller.controllerName()).resolve("deployment.yaml"));
        Matcher limits = Pattern.compile("limits:\\s*\\n\\s*cpu:\\s*(\\d+)m\\s*\\n\\s*memory:\\s*(\\d+)(Mi|Gi)").matcher(deployment);
        if (!limits.find()) {
            throw new IllegalStateException("no cpu and memory limits in the Deployment of " + controller.controllerName());
        }
        long memoryMiB = Long.parseLong(limits.group(2)) * ("Gi".equals(limits.group(3)) ? 1024 : 1);
        int cpus = (int) Math.max(1, Math.ceil(Integer.parseInt(limits.group(1)) / 1000.0));
        List<String> options = new ArrayList<>(List.of("-XX:MaxRAM=" + memoryMiB + "m", "-XX:ActiveProcessorCount=" + cpus));
        extra.forEach(o -> options.add(o.replace("{controller}", controller.controllerName())));
        return options;
    }

    private static void createFleet(KubernetesClient client, String ns, String appNs, String url, int sources,
                                    int kustomizations, int releases, int alerts, String webhook) {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            docs.add("""
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: GitRepository
                    metadata: {name: src-%d, namespace: %s}
                    spec: {interval: 1m, url: "%s", ref: {branch: main}}
                    """.formatted(i, ns, url));
        }
        for (int i = 0; i < kustomizations; i++) {
            docs.add("""
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata: {name: ks-%d, namespace: %s}
                    spec: {interval: 5m, path: ./app, prune: true, targetNamespace: %s, namePrefix: k%d-,
                           sourceRef: {kind: GitRepository, name: src-%d}}
                    """.formatted(i, ns, appNs, i, i % sources));
        }
        for (int i = 0; i < releases; i++) {
            docs.add("""
                    apiVersion: helm.toolkit.fluxcd.io/v2
                    kind: HelmRelease
                    metadata: {name: hr-%d, namespace: %s}
                    spec: {interval: 5m, targetNamespace: %s, releaseName: hr-%d,
                           chart: {spec: {chart: ./chart, sourceRef: {kind: GitRepository, name: src-%d}}}}
                    """.formatted(i, ns, appNs, i, i % sources));
        }
        if (alerts > 0) {
            docs.add("""
                    apiVersion: notification.toolkit.fluxcd.io/v1beta3
                    kind: Provider
                    metadata: {name: webhook, namespace: %s}
                    spec: {type: generic, address: "%s"}
                    """.formatted(ns, webhook));
        }
        for (int i = 0; i < alerts; i++) {
            docs.add("""
                    apiVersion: notification.toolkit.fluxcd.io/v1beta3
                    kind: Alert
                    metadata: {name: alert-%d, namespace: %s}
                    spec: {providerRef: {name: webhook}, eventSeverity: info,
                           eventSources: [{kind: Kustomization, name: "*"}, {kind: HelmRelease, name: "*"}, {kind: GitRepository, name: "*"}]}
                    """.formatted(i, ns));
        }
        for (String doc : docs) {
            client.resource(client.getKubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class)).create();
        }
    }

    /** Waits until every object of each kind ({@code apiVersion:Kind} → count) is Ready (Alerts have no status: present). */
    private static void awaitReady(KubernetesClient client, String ns, Map<String, Integer> expected,
                                   List<ControllerProcess> controllers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String pending = "";
        while (System.nanoTime() < deadline) {
            for (ControllerProcess p : controllers) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.controller().controllerName() + " exited; its log ends with:\n"
                            + ControllerProcess.tail(p.log(), 30));
                }
            }
            List<String> notReady = new ArrayList<>();
            for (Map.Entry<String, Integer> kind : expected.entrySet()) {
                String[] gvk = kind.getKey().split(":");
                var items = client.genericKubernetesResources(gvk[0], gvk[1]).inNamespace(ns).list().getItems();
                long ready = items.stream().filter(o -> gvk[1].equals("Alert") || isReady(o)).count();
                if (ready < kind.getValue()) {
                    notReady.add(gvk[1] + " " + ready + "/" + kind.getValue());
                }
            }
            if (notReady.isEmpty()) {
                return;
            }
            pending = String.join(", ", notReady);
            Thread.sleep(500);
        }
        throw new IllegalStateException("the fleet was not Ready within " + timeout.toSeconds() + " s: " + pending);
    }

    private static boolean isReady(GenericKubernetesResource o) {
        return o.getAdditionalProperties().get("status") instanceof Map<?, ?> s
                && s.get("conditions") instanceof List<?> conditions
                && conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
    }

    /** With native memory tracking on (BENCH_JAVA_OPTS), where each controller's memory went, beside the logs. */
    private static void diagnostics(ControllerProcess p, Path out) throws IOException, InterruptedException {
        String options = ProcessHandle.of(p.pid()).flatMap(h -> h.info().commandLine()).orElse("");
        if (!options.contains("-XX:NativeMemoryTracking=")) {
            return;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        for (String command : List.of("VM.native_memory summary", "Thread.print", "GC.class_histogram")) {
            List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(p.pid())));
            cmd.addAll(List.of(command.split(" ")));
            Path file = out.resolve(p.controller().controllerName() + "-" + command.split(" ")[0] + ".txt");
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(file.toFile()).start().waitFor();
        }
    }

    /** A field of /proc/<pid>/status, in its unit (kB for memory). */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
