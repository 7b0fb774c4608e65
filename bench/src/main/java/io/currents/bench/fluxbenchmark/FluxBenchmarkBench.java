package io.currents.bench.fluxbenchmark;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciReference;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.registry.OciRegistry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
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

/**
 * The workloads of Flux's published benchmark (fluxcd/flux-benchmark, "Mean Time To Production"), reproduced against
 * the local control plane with source-, kustomize- and helm-controller running as their packaged applications and a
 * real OCI registry on loopback:
 * <ul>
 *   <li>Kustomization install: in namespace {@code kustomize-benchmark}, N OCIRepositories (one per Kustomization, all
 *   pulling the Flux artifact {@code manifests/podinfo:latest}, interval 60m, insecure) and N Kustomizations (interval
 *   60m, retryInterval 2m, path /, prune, wait with a 1m timeout, impersonating the ServiceAccount {@code flux}, target
 *   namespace, postBuild substitution of INDEX, PODS=0, MCPU=1m), each applying a ServiceAccount, a Service, a
 *   zero-replica Deployment and an Ingress;</li>
 *   <li>HelmRelease install: in namespace {@code helm-benchmark}, one HelmRepository of type oci and M HelmReleases
 *   (interval 60m, chart podinfo version *, chart interval 600m, drift detection enabled, CRDs Create/CreateReplace,
 *   impersonating {@code flux}, values replicaCount 0, ServiceAccount and Ingress enabled), each its own HelmChart.</li>
 * </ul>
 * Each phase is timed from the first create until every object of a kind is Ready (what the benchmark's
 * {@code timoni bundle apply} waits for); memory is each controller's peak RSS (VmHWM) at the end of the phase.
 * Flux's published v2.9.0 figures (GitHub's 16-core runner, Kind) are printed beside ours with the ratio.
 */
public final class FluxBenchmarkBench {

    /** Flux v2.9.0's RESULTS.md: objects → {seconds, MiB} per row (OCIRepository, Kustomization, HelmChart, HelmRelease). */
    private static final Map<Integer, Map<String, int[]>> FLUX = Map.of(
            100, Map.of("OCIRepository", new int[]{26, 49}, "Kustomization", new int[]{26, 134},
                    "HelmChart", new int[]{36, 63}, "HelmRelease", new int[]{26, 286}),
            500, Map.of("OCIRepository", new int[]{120, 98}, "Kustomization", new int[]{120, 183},
                    "HelmChart", new int[]{153, 123}, "HelmRelease", new int[]{134, 306}),
            1000, Map.of("OCIRepository", new int[]{257, 128}, "Kustomization", new int[]{253, 223},
                    "HelmChart", new int[]{310, 189}, "HelmRelease", new int[]{279, 361}));

    private FluxBenchmarkBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = ControlPlane.projectRoot();
        int kustomizations = Integer.parseInt(args[0]);
        int releases = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]).toAbsolutePath();
        // per phase; a kind not all Ready by then is printed with time -1
        Duration timeout = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_TIMEOUT_SECONDS", "3600")));
        // Flux's benchmark: source-controller 1 CPU / concurrency 10, kustomize- and helm-controller 2 CPU / concurrency
        // 20 and 10, each a 1Gi memory limit. BENCH_CONCURRENT=source,kustomize,helm changes the concurrency.
        String[] concurrent = System.getenv().getOrDefault("BENCH_CONCURRENT", "10,20,10").split(",");
        Map<Controller, List<String>> podOptions = new LinkedHashMap<>();
        podOptions.put(Controller.SOURCE, List.of("-XX:MaxRAM=1g", "-XX:ActiveProcessorCount=1", "-Dconcurrent=" + concurrent[0]));
        podOptions.put(Controller.KUSTOMIZE, List.of("-XX:MaxRAM=1g", "-XX:ActiveProcessorCount=2", "-Dconcurrent=" + concurrent[1]));
        podOptions.put(Controller.HELM, List.of("-XX:MaxRAM=1g", "-XX:ActiveProcessorCount=2", "-Dconcurrent=" + concurrent[2]));
        Files.createDirectories(out);

        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(root.resolve("manifests").resolve("crds"));
        KubernetesClient client = plane.client();
        apply(client, List.of("apiVersion: v1\nkind: Namespace\nmetadata: {name: currents-system}\n"));
        String ksNs = "kustomize-benchmark";
        String hrNs = "helm-benchmark";
        for (String ns : List.of(ksNs, hrNs)) {
            if (client.namespaces().withName(ns).get() != null) {
                throw new IllegalStateException("namespace " + ns + " exists from an earlier run; delete it first");
            }
        }

        List<ControllerProcess> controllers = new ArrayList<>();
        try (OciRegistry registry = OciRegistry.start()) {
            OciClient pusher = OciClient.builder().plainHttp(true).timeout(Duration.ofMinutes(1)).build();
            Path artifact = Files.write(out.resolve("podinfo-manifests.tar.gz"),
                    Tarball.ofDirectory(root.resolve("bench/flux-benchmark/manifests")));
            FluxArtifacts.push(pusher, OciReference.parse("oci://" + registry.host() + "/manifests/podinfo").withTag("latest"),
                    artifact, "bench/flux-benchmark", "1.0.0", Map.of(), Instant.now());
            FluxArtifacts.pushHelmChart(pusher, OciReference.parse("oci://" + registry.host() + "/charts/podinfo"), "podinfo",
                    "6.5.3", Tarball.ofDirectory(root.resolve("bench/flux-benchmark/charts")));

            ControllerProcess.Settings base = ControllerProcess.Settings.of(root, plane.kubeconfigPath(), "currents-system",
                    out.resolve("work"));
            for (Map.Entry<Controller, List<String>> c : podOptions.entrySet()) {
                controllers.add(ControllerProcess.start(c.getKey(), base.asInPod(c.getValue())));
            }
            for (ControllerProcess p : controllers) {
                p.awaitReady(Duration.ofMinutes(3));
            }
            Map<Controller, Long> idle = new LinkedHashMap<>();
            for (ControllerProcess p : controllers) {
                idle.put(p.controller(), status(p.pid(), "VmRSS:"));
            }
            System.out.printf("flux-benchmark: %d Kustomizations, %d HelmReleases; load average before: %s%n",
                    kustomizations, releases, loadAverage());

            List<Row> rows = new ArrayList<>();
            if (kustomizations > 0) {
                long start = System.nanoTime();
                apply(client, tenant(ksNs));
                List<String> docs = new ArrayList<>();
                for (int i = 0; i < kustomizations; i++) {
                    docs.add(ociRepository(ksNs, i, registry.host()));
                    docs.add(kustomization(ksNs, i));
                }
                apply(client, docs);
                Map<String, Double> ready = awaitReady(client, ksNs, Map.of(
                        "source.toolkit.fluxcd.io/v1:OCIRepository", kustomizations,
                        "kustomize.toolkit.fluxcd.io/v1:Kustomization", kustomizations), start, controllers, timeout);
                String load = loadAverage();
                rows.add(new Row(kustomizations, "OCIRepository", Controller.SOURCE, ready.get("OCIRepository"),
                        status(pid(controllers, Controller.SOURCE), "VmHWM:"), load));
                rows.add(new Row(kustomizations, "Kustomization", Controller.KUSTOMIZE, ready.get("Kustomization"),
                        status(pid(controllers, Controller.KUSTOMIZE), "VmHWM:"), load));
            }
            if (releases > 0) {
                long start = System.nanoTime();
                List<String> docs = new ArrayList<>(tenant(hrNs));
                docs.add(helmRepository(hrNs, registry.host()));
                apply(client, docs);
                docs.clear();
                for (int i = 0; i < releases; i++) {
                    docs.add(helmRelease(hrNs, i));
                }
                apply(client, docs);
                Map<String, Double> ready = awaitReady(client, hrNs, Map.of(
                        "source.toolkit.fluxcd.io/v1:HelmChart", releases,
                        "helm.toolkit.fluxcd.io/v2:HelmRelease", releases), start, controllers, timeout);
                String load = loadAverage();
                rows.add(new Row(releases, "HelmChart", Controller.SOURCE, ready.get("HelmChart"),
                        status(pid(controllers, Controller.SOURCE), "VmHWM:"), load));
                rows.add(new Row(releases, "HelmRelease", Controller.HELM, ready.get("HelmRelease"),
                        status(pid(controllers, Controller.HELM), "VmHWM:"), load));
            }

            System.out.printf("%-8s %-14s %-21s %9s %9s | %-28s %7s %7s | %s%n", "objects", "type", "controller", "Ready s",
                    "peak MiB", "Flux v2.9.0 (16 cores)", "time x", "mem x", "load average at the end");
            for (Row r : rows) {
                int[] flux = FLUX.getOrDefault(r.objects(), Map.of()).get(r.type());
                String fluxCell = flux == null ? "(1000: " + FLUX.get(1000).get(r.type())[0] + " s, "
                        + FLUX.get(1000).get(r.type())[1] + " MiB; none at " + r.objects() + ")"
                        : flux[0] + " s (" + minutes(flux[0]) + "), " + flux[1] + " MiB";
                System.out.printf("%-8d %-14s %-21s %9.1f %9d | %-28s %7s %7s | %s%n", r.objects(), r.type(),
                        r.controller().controllerName(), r.seconds(), r.peakKiB() / 1024, fluxCell,
                        flux == null ? "-" : "%.2f".formatted(r.seconds() / flux[0]),
                        flux == null ? "-" : "%.2f".formatted(r.peakKiB() / 1024.0 / flux[1]), r.load());
            }
            System.out.printf("RSS once started, before the workloads: %s%n", String.join(", ",
                    idle.entrySet().stream().map(e -> e.getKey().controllerName() + " " + e.getValue() / 1024 + " MiB").toList()));
            System.out.printf("concurrent (source, kustomize, helm): %s; JVM options after each module's jvm.options: %s%n",
                    String.join(", ", concurrent), podOptions.values());
        } finally {
            ControllerProcess.stopAll(controllers, Duration.ofSeconds(20));
            for (String ns : List.of(ksNs, hrNs)) {
                client.namespaces().withName(ns).delete();
            }
        }
        System.exit(0);
    }

    private record Row(int objects, String type, Controller controller, double seconds, long peakKiB, String load) {
    }

    /** The benchmark's tenant: the namespace, the ServiceAccount {@code flux} the objects impersonate, admin in the namespace. */
    private static List<String> tenant(String ns) {
        return List.of("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %1$s}
                """.formatted(ns), """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: flux, namespace: %1$s}
                """.formatted(ns), """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: flux, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
                subjects: [{kind: ServiceAccount, name: flux, namespace: %1$s}]
                """.formatted(ns));
    }

    private static String ociRepository(String ns, int i, String registry) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata: {name: podinfo-%d, namespace: %s}
                spec: {interval: 60m, insecure: true, url: "oci://%s/manifests/podinfo", ref: {tag: latest}}
                """.formatted(i, ns, registry);
    }

    private static String kustomization(String ns, int i) {
        return """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: podinfo-%1$d, namespace: %2$s}
                spec:
                  sourceRef: {kind: OCIRepository, name: podinfo-%1$d}
                  interval: 60m
                  retryInterval: 2m
                  path: /
                  prune: true
                  wait: true
                  timeout: 1m
                  serviceAccountName: flux
                  targetNamespace: %2$s
                  postBuild:
                    substitute: {INDEX: "%1$dapp", PODS: "0", MCPU: "1m"}
                """.formatted(i, ns);
    }

    private static String helmRepository(String ns, String registry) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: podinfo, namespace: %s}
                spec: {interval: 12h, timeout: 2m, insecure: true, type: oci, url: "oci://%s/charts"}
                """.formatted(ns, registry);
    }

    private static String helmRelease(String ns, int i) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo-%1$d, namespace: %2$s}
                spec:
                  releaseName: podinfo-%1$d
                  serviceAccountName: flux
                  targetNamespace: %2$s
                  storageNamespace: %2$s
                  interval: 60m
                  chart:
                    spec:
                      chart: podinfo
                      version: "*"
                      sourceRef: {kind: HelmRepository, name: podinfo}
                      interval: 600m
                  driftDetection: {mode: enabled}
                  install: {crds: Create}
                  upgrade: {crds: CreateReplace}
                  values:
                    replicaCount: 0
                    serviceAccount: {enabled: true}
                    ingress: {enabled: true, className: nginx}
                    resources: {requests: {cpu: 1m, memory: 16Mi}}
                    faults: {testFail: false}
                """.formatted(i, ns);
    }

    /** Creates the objects in order, 8 at a time within a kind (as a bundle apply sends them). */
    private static void apply(KubernetesClient client, List<String> docs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (String doc : docs) {
                GenericKubernetesResource o = client.getKubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class);
                pending.add(pool.submit(() -> client.resource(o).fieldManager("flux-benchmark").forceConflicts().serverSideApply()));
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Polls until every object of each kind ({@code apiVersion:Kind} → count) is Ready; returns the seconds from
     * {@code start} at which each kind was all Ready, -1 for a kind that was not within {@code timeout}.
     */
    private static Map<String, Double> awaitReady(KubernetesClient client, String ns, Map<String, Integer> expected, long start,
                                                  List<ControllerProcess> controllers, Duration timeout) throws InterruptedException {
        Map<String, Double> done = new LinkedHashMap<>();
        long deadline = start + timeout.toNanos();
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
                if (done.containsKey(gvk[1])) {
                    continue;
                }
                var items = client.genericKubernetesResources(gvk[0], gvk[1]).inNamespace(ns).list().getItems();
                long ready = items.stream().filter(FluxBenchmarkBench::isReady).count();
                if (ready >= kind.getValue()) {
                    done.put(gvk[1], (System.nanoTime() - start) / 1e9);
                } else {
                    notReady.add(gvk[1] + " " + ready + "/" + kind.getValue() + firstMessage(items));
                }
            }
            if (notReady.isEmpty()) {
                return done;
            }
            if (!String.join(", ", notReady).equals(pending)) {
                pending = String.join(", ", notReady);
                System.out.printf("  %6.1f s: %s%n", (System.nanoTime() - start) / 1e9, pending);
            }
            Thread.sleep(1000);
        }
        // what was not all Ready in time is reported as such (time -1), so a long run still prints what it measured
        System.out.printf("  not all Ready within %d s: %s%n", timeout.toSeconds(), pending);
        expected.keySet().forEach(kind -> done.putIfAbsent(kind.split(":")[1], -1.0));
        return done;
    }

    private static boolean isReady(GenericKubernetesResource o) {
        return "True".equals(readyCondition(o).get("status"));
    }

    private static Map<?, ?> readyCondition(GenericKubernetesResource o) {
        if (o.getAdditionalProperties().get("status") instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
                    return m;
                }
            }
        }
        return Map.of();
    }

    /** The Ready message of one object that is not Ready, so a stuck run shows why. */
    private static String firstMessage(List<GenericKubernetesResource> items) {
        return items.stream().filter(o -> !isReady(o)).map(FluxBenchmarkBench::readyCondition)
                .filter(c -> c.get("message") != null).findFirst()
                .map(c -> " (e.g. " + c.get("reason") + ": " + c.get("message") + ")").orElse("");
    }

    private static long pid(List<ControllerProcess> controllers, Controller c) {
        return controllers.stream().filter(p -> p.controller() == c).findFirst().orElseThrow().pid();
    }

    private static String minutes(int seconds) {
        return seconds / 60 + "m" + seconds % 60 + "s";
    }

    private static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
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
