package io.currents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.currents.testkit.git.GitHttpServer;
import io.currents.testkit.git.TestRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KustomizeBuildCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Currents.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void printsTheBuiltYamlStream(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "namePrefix: p-\nresources:\n- cm.yaml\n");
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
        Run r = run("kustomize", "build", dir.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-c\n");
    }

    @Test
    void printsKustomizesNoticesOnStderrOncePerKustomizationFile(@TempDir Path dir) throws Exception {
        Path base = Files.createDirectories(dir.resolve("base"));
        Files.writeString(base.resolve("kustomization.yaml"), "commonLabels: {app: a}\nresources:\n- cm.yaml\n"
                + "vars:\n- name: V\n  objref: {apiVersion: v1, kind: ConfigMap, name: c}\n");
        Files.writeString(base.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
        Path overlay = Files.createDirectories(dir.resolve("overlay"));
        Files.writeString(overlay.resolve("kustomization.yaml"), "bases:\n- ../base\ncommonLabels: {env: prod}\n");
        Run r = run("kustomize", "build", overlay.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("name: c");
        String[] lines = r.err().split("\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).isEqualTo("# Warning: 'bases' is deprecated. Please use 'resources' instead. "
                + "Run 'kustomize edit fix' to update your Kustomization automatically.");
        assertThat(lines[1]).isEqualTo("# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. "
                + "Run 'kustomize edit fix' to update your Kustomization automatically.");
        assertThat(lines[2]).isEqualTo(lines[1]);
        assertThat(lines[3]).isEqualTo("# Warning: 'vars' is deprecated. Please use 'replacements' instead. "
                + "[EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.");
        // Go's log package puts the date and time first
        assertThat(lines[4]).matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d "
                + "well-defined vars that were never replaced: V");
    }

    @Test
    void printsTheNoticesBeforeTheErrorWhenTheBuildFails(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "patchesStrategicMerge:\n- missing.yaml\n");
        Run r = run("kustomize", "build", dir.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).startsWith("# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' "
                + "instead. Run 'kustomize edit fix' to update your Kustomization automatically.\nError: ");
    }

    @Test
    void failsWithTheMessageOnStderr(@TempDir Path dir) {
        Run r = run("kustomize", "build", dir.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("unable to find one of 'kustomization.yaml'");
    }

    @Test
    void refusesAnAliasBombWithoutExpandingIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n- bomb.yaml\n");
        StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  l0: &l0 [lol, lol]\n");
        for (int i = 1; i < 25; i++) {
            bomb.append("  l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        Files.writeString(dir.resolve("bomb.yaml"), bomb);
        Run r = run("kustomize", "build", dir.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("bomb.yaml").contains("document contains excessive aliasing");
    }

    @Test
    void buildsFluxStyleDirectoriesOnRequest(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
        Run r = run("kustomize", "build", "--generate-missing-kustomization", dir.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("name: c");
    }

    @Test
    void remoteBasesAreFetchedOnlyWithEnableRemote(@TempDir Path dir) throws Exception {
        Path repos = Files.createDirectories(dir.resolve("repos"));
        try (TestRepo repo = TestRepo.create(repos, "base"); GitHttpServer git = GitHttpServer.start(repos)) {
            String commit = repo.commit("main", java.util.Map.of(
                    "deploy/kustomization.yaml", "resources:\n- cm.yaml\n",
                    "deploy/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: remote\n"), "base");
            repo.lightweightTag("v1", commit);
            Path overlay = Files.createDirectories(dir.resolve("overlay"));
            Files.writeString(overlay.resolve("kustomization.yaml"),
                    "namePrefix: p-\nresources:\n- " + git.url(repo) + "//deploy?ref=v1\n");

            Run refused = run("kustomize", "build", overlay.toString());
            assertThat(refused.code()).isNotZero();
            assertThat(refused.err()).contains("refused").contains("pass --enable-remote to fetch them");

            Run r = run("kustomize", "build", "--enable-remote", overlay.toString());
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-remote\n");

            Run tooBig = run("kustomize", "build", "--enable-remote", "--max-clone-bytes", "100", overlay.toString());
            assertThat(tooBig.code()).isNotZero();
            assertThat(tooBig.err()).contains("cloning '" + git.url(repo) + "' at ref 'v1'").contains("over the limit");
        }
    }

    @Test
    void helmChartsRenderOnlyWithEnableHelm(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                namePrefix: p-
                helmCharts:
                - name: web
                  releaseName: shop
                """);
        Files.createDirectories(dir.resolve("charts/web/templates"));
        Files.writeString(dir.resolve("charts/web/Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        Files.writeString(dir.resolve("charts/web/values.yaml"), "{}\n");
        Files.writeString(dir.resolve("charts/web/templates/cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-web
                data:
                  kube: {{ .Capabilities.KubeVersion.Version | quote }}
                """);
        Run off = run("kustomize", "build", dir.toString());
        assertThat(off.code()).isNotZero();
        assertThat(off.err()).contains("must specify --enable-helm");

        Run on = run("kustomize", "build", "--enable-helm", "--helm-kube-version", "1.31.2", dir.toString());
        assertThat(on.code()).as(on.err()).isZero();
        assertThat(on.out()).isEqualTo("apiVersion: v1\ndata:\n  kube: v1.31.2\nkind: ConfigMap\nmetadata:\n  name: p-shop-web\n");
    }
}
