package io.currents.bench.ui;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.DevUi;
import io.currents.testkit.ControlPlane;
import io.currents.testkit.FluxFixtures;
import io.currents.testkit.FluxFixtures.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * UI page loads at scale: {@code kustomizations} Kustomizations (100 a namespace, one GitRepository each namespace),
 * each with {@code perKustomization} ConfigMaps in its inventory (10,000 ConfigMaps across 1,000 Kustomizations by
 * default: the size), one in ten failing with a build error, each depending on the one before it. The
 * objects are written with the status kustomize-controller would give them (no controller runs: what is measured is
 * the UI reading and rendering them, not a reconcile). Then the UI's packaged application starts as {@code dev up}
 * starts it, and each page is fetched over HTTP with a session cookie, sequentially: the overview, a filtered
 * overview (failing Kustomizations whose name or message matches a text), one Kustomization's detail page, the
 * graph of one namespace (100 Kustomizations and their inventories) and one Kustomization's root-cause page.
 * Prints p50/p95 of each, and the ratio to the same percentiles of the reference measured in the same run: a raw
 * API LIST of the objects the page shows (all Kustomizations and GitRepositories for the overviews; the
 * Kustomization and its ConfigMaps for the detail page), which is what any client showing them must at least do.
 */
public final class UiPageLoadBench {

    static final int PER_NAMESPACE = 100;
    static final ResourceDefinitionContext KUSTOMIZATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("kustomize.toolkit.fluxcd.io").withVersion("v1").withKind("Kustomization").withPlural("kustomizations")
            .withNamespaced(true).build();
    static final ResourceDefinitionContext GIT_REPOSITORIES = new ResourceDefinitionContext.Builder()
            .withGroup("source.toolkit.fluxcd.io").withVersion("v1").withKind("GitRepository").withPlural("gitrepositories")
            .withNamespaced(true).build();

    private UiPageLoadBench() {
    }

    /**
     * Exits when done, either way: the shared control plane's output readers and servers are not daemon threads, and
     * its shutdown hook (which stops them) runs only once the JVM exits, so returning from main would leave it running.
     */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int kustomizations = Integer.parseInt(args[0]);
        int perKustomization = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]).toAbsolutePath();
        Files.createDirectories(out);
        Path root = ControlPlane.projectRoot();
        ControlPlane plane = ControlPlane.shared();
        plane.applyCrds(root.resolve("manifests").resolve("crds"));
        KubernetesClient kube = plane.client();

        long start = System.nanoTime();
        List<String> namespaces = create(kube, kustomizations, perKustomization);
        System.out.printf("created %d Kustomizations and %d ConfigMaps in %d namespaces in %.1f s%n", kustomizations,
                kustomizations * perKustomization, namespaces.size(), (System.nanoTime() - start) / 1e9);

        String token = DevUi.newToken();
        ControllerProcess ui = ControllerProcess.start(ControllerProcess.Controller.UI,
                ControllerProcess.Settings.of(root, plane.kubeconfigPath(), "currents-system", out.resolve("work"))
                        .withEnvironment(DevUi.environment(token, DevUi.DEV_USER, DevUi.DEV_GROUP)));
        try {
            long uiStart = System.nanoTime();
            ui.awaitReady(Duration.ofMinutes(2));
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + ui.httpPort();
            String cookie = login(http, base, token);
            String last = namespaces.get(namespaces.size() - 1);
            String lastName = "ks-" + (kustomizations - 1);
            // the UI has listed everything once the last object written shows in a filtered overview
            String filteredLast = base + "/?kind=Kustomization&namespace=" + last + "&q=" + lastName;
            awaitContains(http, cookie, filteredLast, lastName, Duration.ofMinutes(3));
            System.out.printf("UI ready with every object listed %.1f s after start (log %s)%n", (System.nanoTime() - uiStart) / 1e9, ui.log());

            String detail = base + detailLink(fetch(http, cookie, filteredLast), lastName);
            String overview = base + "/";
            String filtered = base + "/?kind=Kustomization&status=failed&q=" + URLEncoder.encode("ks-1", StandardCharsets.UTF_8);
            String firstNamespace = namespaces.get(0);

            List<String[]> rows = new ArrayList<>();
            rows.add(measure("overview (all objects)", rounds, () -> fetch(http, cookie, overview),
                    () -> { listAll(kube, KUSTOMIZATIONS); listAll(kube, GIT_REPOSITORIES); return ""; }));
            rows.add(measure("filtered overview", rounds, () -> fetch(http, cookie, filtered),
                    () -> { listAll(kube, KUSTOMIZATIONS); listAll(kube, GIT_REPOSITORIES); return ""; }));
            rows.add(measure("Kustomization detail", rounds, () -> fetch(http, cookie, detail),
                    () -> {
                        kube.genericKubernetesResources(KUSTOMIZATIONS).inNamespace(last).withName(lastName).get();
                        kube.configMaps().inNamespace(last).withLabel("kustomize.toolkit.fluxcd.io/name", lastName).list();
                        return "";
                    }));
            String graph = base + "/graph?namespace=" + last;
            rows.add(measure("graph (one namespace)", rounds, () -> fetch(http, cookie, graph),
                    () -> {
                        kube.genericKubernetesResources(KUSTOMIZATIONS).inNamespace(last).list();
                        kube.genericKubernetesResources(GIT_REPOSITORIES).inNamespace(last).list();
                        kube.configMaps().inNamespace(last).list();
                        return "";
                    }));
            String why = detail + "/why";
            rows.add(measure("why (root cause)", rounds, () -> fetch(http, cookie, why),
                    () -> {
                        kube.genericKubernetesResources(KUSTOMIZATIONS).inNamespace(last).withName(lastName).get();
                        kube.genericKubernetesResources(GIT_REPOSITORIES).inNamespace(last).list();
                        return "";
                    }));
            StringBuilder table = new StringBuilder(String.format("%n%-24s %10s %10s %12s %12s %9s %9s %10s%n", "page", "p50 ms",
                    "p95 ms", "ref p50 ms", "ref p95 ms", "p50 ×ref", "p95 ×ref", "KiB"));
            rows.forEach(r -> table.append(String.format("%-24s %10s %10s %12s %12s %9s %9s %10s%n", (Object[]) r)));
            table.append(String.format("%d Kustomizations, %d ConfigMaps in their inventories, %d rounds a page; "
                    + "reference: raw API LISTs of the same objects (%s); target: p95 < 1000 ms%n",
                    kustomizations, kustomizations * perKustomization, rounds, firstNamespace + "…" + last));
            System.out.print(table);
            Files.writeString(out.resolve("result.txt"), table.toString());
        } finally {
            ui.stop(Duration.ofSeconds(5));
        }
    }

    /** Writes the fleet with a few threads; returns the namespaces. */
    static List<String> create(KubernetesClient kube, int kustomizations, int perKustomization) throws Exception {
        int count = (kustomizations + PER_NAMESPACE - 1) / PER_NAMESPACE;
        List<String> namespaces = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            String ns = "ui-bench-" + n;
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
            namespaces.add(ns);
            new FluxFixtures(kube, ns).gitRepository("fleet", "https://git.example.com/fleet-" + n + ".git", "main@sha1:" + sha(n),
                    Condition.ready("stored artifact for revision 'main@sha1:" + sha(n) + "'"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < kustomizations; i++) {
                int k = i;
                work.add(pool.submit(() -> {
                    String ns = namespaces.get(k / PER_NAMESPACE);
                    FluxFixtures fixtures = new FluxFixtures(kube, ns);
                    String name = "ks-" + k;
                    List<String> configMaps = IntStream.range(0, perKustomization).mapToObj(j -> name + "-cm-" + j).toList();
                    fixtures.configMaps(name, configMaps);
                    List<String> dependsOn = k % PER_NAMESPACE == 0 ? List.of() : List.of("ks-" + (k - 1));
                    String revision = "main@sha1:" + sha(k / PER_NAMESPACE);
                    Condition ready = k % 10 == 3
                            ? Condition.notReady("BuildFailed", "kustomize build failed: apps/" + name + "/kustomization.yaml: "
                            + "accumulating resources: 'deployment.yaml': no such file")
                            : Condition.ready("Applied revision: " + revision);
                    fixtures.kustomization(name, "fleet", revision, dependsOn, configMaps, ready);
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return namespaces;
    }

    static String[] measure(String page, int rounds, Supplier<String> load, Supplier<String> reference) {
        int bytes = 0;
        for (int i = 0; i < Math.min(5, rounds); i++) { // warm-up: JIT and caches, as a page a user opens again
            bytes = load.get().length();
            reference.get();
        }
        long[] times = new long[rounds];
        long[] refs = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            load.get();
            times[i] = System.nanoTime() - t;
            t = System.nanoTime();
            reference.get();
            refs[i] = System.nanoTime() - t;
        }
        double p50 = percentile(times, 50), p95 = percentile(times, 95), r50 = percentile(refs, 50), r95 = percentile(refs, 95);
        return new String[]{page, ms(p50), ms(p95), ms(r50), ms(r95), String.format("%.2f", p50 / r50), String.format("%.2f", p95 / r95),
                String.format("%.0f", bytes / 1024.0)};
    }

    static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String ms(double nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    static List<GenericKubernetesResource> listAll(KubernetesClient kube, ResourceDefinitionContext kind) {
        return kube.genericKubernetesResources(kind).inAnyNamespace().list().getItems();
    }

    /** Token login as printed by dev up: {@code /login?token=…} answers with the session cookie. */
    static String login(HttpClient http, String base, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/login?token=" + token)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = r.headers().firstValue("set-cookie").orElseThrow(() -> new IllegalStateException(
                "login with the token gave no session cookie: HTTP " + r.statusCode() + "\n" + r.body()));
        return cookie.split(";", 2)[0];
    }

    static String fetch(HttpClient http, String cookie, String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + ": HTTP " + r.statusCode() + "\n" + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void awaitContains(HttpClient http, String cookie, String url, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!fetch(http, cookie, url).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not show " + text + " within " + timeout.toSeconds() + "s");
            }
            Thread.sleep(250);
        }
    }

    /** The overview row's link to the object's detail page (the UI's own URL, not one guessed here). */
    static String detailLink(String html, String name) {
        Matcher m = Pattern.compile("href=\"(/[^\"]*" + Pattern.quote(name) + "[^\"]*)\"").matcher(html);
        while (m.find()) {
            String link = m.group(1).replace("&amp;", "&");
            if (!link.startsWith("/?") && !link.contains("q=")) {
                return link;
            }
        }
        throw new IllegalStateException("no link to " + name + "'s detail page in the overview");
    }

    private static String sha(int n) {
        return String.format("%040x", 0xabc0000L + n);
    }
}
