package io.currents.cli.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;
import io.currents.kustomize.ChartInflator;
import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.Kustomizer;
import io.currents.testkit.registry.OciRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * helmCharts with a {@code repo} are pulled as {@code helm pull --untar} does, from a Helm repository served
 * over HTTP and from an OCI registry, both on loopback; hostile archives and oversized downloads are refused.
 */
class ChartPullerTest {

    static HttpServer server;
    static final Map<String, byte[]> files = new ConcurrentHashMap<>();
    static Path packages;

    @BeforeAll
    static void serveARepository() throws IOException {
        packages = Files.createTempDirectory("charts");
        for (String version : new String[] {"1.0.0", "1.1.0", "2.0.0-rc.1"}) {
            Path chart = packages.resolve("src-" + version).resolve("web");
            Files.createDirectories(chart.resolve("templates"));
            Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: " + version + "\n");
            Files.writeString(chart.resolve("values.yaml"), "greeting: hello\n");
            Files.writeString(chart.resolve("templates/cm.yaml"), """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: {{ .Release.Name }}-web
                    data:
                      version: {{ .Chart.Version | quote }}
                      greeting: {{ .Values.greeting | quote }}
                    """);
            new Helm(chart).packageIt().withDestination(packages).call();
            files.put("/charts/web-" + version + ".tgz", Files.readAllBytes(packages.resolve("web-" + version + ".tgz")));
        }
        files.put("/index.yaml", """
                apiVersion: v1
                entries:
                  web:
                  - name: web
                    version: 2.0.0-rc.1
                    urls: [charts/web-2.0.0-rc.1.tgz]
                  - name: web
                    version: 1.1.0
                    urls: [charts/web-1.1.0.tgz]
                  - name: web
                    version: 1.0.0
                    urls: [charts/web-1.0.0.tgz]
                  evil:
                  - name: evil
                    version: 1.0.0
                    urls: [evil-1.0.0.tgz]
                """.getBytes(StandardCharsets.UTF_8));
        files.put("/evil-1.0.0.tgz", archiveWithEntry("../../escaped.txt"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        HelmJavaChartInflator.deleteTree(packages);
    }

    static String repoUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static byte[] archiveWithEntry(String name) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            byte[] data = "owned\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static ChartPuller puller() {
        return new ChartPuller(Duration.ofSeconds(20), 1L << 20);
    }

    @Test
    void pullsTheNewestStableVersionWhenNoneIsGiven(@TempDir Path home) throws IOException {
        puller().pull(new ChartInflator.PullRequest("web", repoUrl(), null, home));
        assertThat(Files.readString(home.resolve("web/Chart.yaml"))).contains("version: 1.1.0");
    }

    @Test
    void pullsTheVersionOrConstraintAsked(@TempDir Path home) throws IOException {
        puller().pull(new ChartInflator.PullRequest("web", repoUrl(), "1.0.0", home.resolve("exact")));
        puller().pull(new ChartInflator.PullRequest("web", repoUrl(), ">=2.0.0-0", home.resolve("pre")));
        assertThat(Files.readString(home.resolve("exact/web/Chart.yaml"))).contains("version: 1.0.0");
        assertThat(Files.readString(home.resolve("pre/web/Chart.yaml"))).contains("version: 2.0.0-rc.1");
    }

    @Test
    void failsForAChartOrVersionTheRepositoryLacks(@TempDir Path home) {
        assertThatThrownBy(() -> puller().pull(new ChartInflator.PullRequest("db", repoUrl(), null, home)))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("chart \"db\" not found");
        assertThatThrownBy(() -> puller().pull(new ChartInflator.PullRequest("web", repoUrl(), "9.9.9", home)))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("version \"9.9.9\" not found");
    }

    @Test
    void refusesAnArchiveThatWritesOutsideTheChartHome(@TempDir Path home) {
        Path chartHome = home.resolve("a/b");
        assertThatThrownBy(() -> puller().pull(new ChartInflator.PullRequest("evil", repoUrl(), null, chartHome)))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("leaves its directory");
        assertThat(home.resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void refusesADownloadOverTheSizeLimit(@TempDir Path home) {
        ChartPuller small = new ChartPuller(Duration.ofSeconds(20), 100);
        assertThatThrownBy(() -> small.pull(new ChartInflator.PullRequest("web", repoUrl(), null, home)))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("is larger than 100 bytes");
    }

    @Test
    void aKustomizationPullsItsChartIntoTheChartHomeAndRendersIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                helmCharts:
                - name: web
                  repo: %s
                  version: 1.0.0
                  releaseName: shop
                  valuesInline:
                    greeting: hi
                """.formatted(repoUrl()));
        String out = Kustomizer.builder().helm(new HelmJavaChartInflator(puller())).build().build(dir).toYaml();
        assertThat(out).isEqualTo("""
                apiVersion: v1
                data:
                  greeting: hi
                  version: 1.0.0
                kind: ConfigMap
                metadata:
                  name: shop-web
                """);
        // kustomize keeps a pulled chart under <chartHome>/<name>-<version>/<name>
        assertThat(dir.resolve("charts/web-1.0.0/web/Chart.yaml")).exists();
    }

    @Test
    void pullsAChartFromAnOciRegistryByVersionOrNewestTag(@TempDir Path home) throws IOException {
        try (OciRegistry registry = OciRegistry.start()) {
            Helm.push().withChart(packages.resolve("web-1.1.0.tgz"))
                    .withRemote(URI.create("oci://" + registry.host() + "/charts")).plainHttp().call();
            Helm.push().withChart(packages.resolve("web-1.0.0.tgz"))
                    .withRemote(URI.create("oci://" + registry.host() + "/charts")).plainHttp().call();
            String repo = "oci://" + registry.host() + "/charts";
            puller().pull(new ChartInflator.PullRequest("web", repo, "1.0.0", home.resolve("exact")));
            puller().pull(new ChartInflator.PullRequest("web", repo, null, home.resolve("newest")));
            assertThat(Files.readString(home.resolve("exact/web/Chart.yaml"))).contains("version: 1.0.0");
            assertThat(Files.readString(home.resolve("newest/web/Chart.yaml"))).contains("version: 1.1.0");
            assertThatThrownBy(() -> puller().pull(new ChartInflator.PullRequest("web", repo, "~3.0", home.resolve("none"))))
                    .isInstanceOf(KustomizeException.class).hasMessageContaining("could not locate a version matching ~3.0");
        }
    }
}
