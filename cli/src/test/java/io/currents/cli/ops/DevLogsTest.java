package io.currents.cli.ops;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code currents logs} against a {@code dev up} environment: the controllers are local processes whose JSON lines go
 * to {@code .currents/dev/<controller>.log}, read with the same filters as Pod logs.
 */
@Tag("cluster")
class DevLogsTest {

    private static String line(Instant at, String level, String message, String kind, String name, String namespace) {
        return "{\"timestamp\":\"" + at + "\",\"level\":\"" + level + "\",\"message\":\"" + message + "\",\"mdc\":{\"resource.kind\":\""
                + kind + "\",\"resource.name\":\"" + name + "\",\"resource.namespace\":\"" + namespace + "\"}}\n";
    }

    /** A dev state directory for the shared control plane with the logs of kustomize- and source-controller. */
    private static Path devDir(Path tmp, String server) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dev"));
        Files.writeString(dir.resolve("kubeconfig"), Files.readString(Cluster.plane().kubeconfigPath())
                .replace(Cluster.client().getConfiguration().getMasterUrl().replaceAll("/+$", ""), server));
        Files.writeString(dir.resolve("state.properties"), "environment.pid=1\nkustomize-controller.pid=2\nsource-controller.pid=3\n");
        Instant old = Instant.parse("2026-01-01T10:00:00Z");
        Instant recent = Instant.now().minusSeconds(30);
        Files.writeString(dir.resolve("kustomize-controller.log"), "2026-01-01 10:00:00,000 INFO  [io.quarkus] (main) started\n"
                + line(old, "INFO", "server-side apply completed", "Kustomization", "apps", "flux-system")
                + line(recent, "ERROR", "Reconciliation failed", "Kustomization", "infra", "flux-system")
                + line(recent, "INFO", "applied", "Kustomization", "web", "other"));
        Files.writeString(dir.resolve("source-controller.log"), line(old, "INFO", "stored artifact", "GitRepository", "fleet", "flux-system")
                + line(recent, "DEBUG", "fetched", "GitRepository", "fleet", "flux-system"));
        Files.writeString(dir.resolve("helm-controller.log"), line(recent, "INFO", "not recorded in the state", "HelmRelease", "x", "flux-system"));
        return dir;
    }

    @Test
    void theLogFilesOfTheDevControllersAreFilteredLikePodLogs(@TempDir Path tmp) throws Exception {
        Path dir = devDir(tmp, Cluster.client().getConfiguration().getMasterUrl());
        String ns = "flux-system";
        StringBuilder all = new StringBuilder();
        for (String[] args : new String[][] {{}, {"--kind", "Kustomization"}, {"--level", "error"}, {"--name", "fleet"}, {"-A", "--tail", "1"},
                {"--since", "10m", "-A"}}) {
            Cli.Run r = Cluster.run(ns, concat(new String[] {"logs", "--dev-dir", dir.toString()}, args));
            assertThat(r.code()).as(r.err()).isZero();
            all.append("--- ").append(String.join(" ", args)).append('\n').append(r.out());
        }
        String text = all.toString().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<time>");
        Cli.assertGolden("logs/dev-files.txt", text);
        assertThat(text).doesNotContain("not recorded in the state", "started");
    }

    @Test
    void followPrintsTheLinesWrittenAfterwards(@TempDir Path tmp) throws Exception {
        Path dir = devDir(tmp, Cluster.client().getConfiguration().getMasterUrl());
        StringWriter out = new StringWriter();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Cli.Run> run = thread.submit(() -> Cluster.run(out, "flux-system", "logs", "--dev-dir", dir.toString(), "-f",
                    "--kind", "GitRepository", "--tail", "0"));
            Thread.sleep(500);
            Files.writeString(dir.resolve("source-controller.log"),
                    line(Instant.now(), "INFO", "artifact up to date", "GitRepository", "fleet", "flux-system"), StandardOpenOption.APPEND);
            Files.writeString(dir.resolve("kustomize-controller.log"),
                    line(Instant.now(), "INFO", "not this kind", "Kustomization", "apps", "flux-system"), StandardOpenOption.APPEND);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!out.toString().contains("artifact up to date") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(out.toString()).endsWith(" info GitRepository/fleet.flux-system - artifact up to date \n")
                    .doesNotContain("stored artifact", "fetched", "not this kind");
            run.cancel(true);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void anotherClustersEnvironmentIsNotRead(@TempDir Path tmp) throws Exception {
        Path dir = devDir(tmp, "https://127.0.0.1:1");
        String ns = Cluster.namespace("devlogs");
        Cli.Run r = Cluster.run(ns, "logs", "--dev-dir", dir.toString(), "--flux-namespace", ns);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("✗ no Currents pods found in namespace \"" + ns + "\"; pass --flux-namespace if the "
                + "controllers run elsewhere\n");
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
