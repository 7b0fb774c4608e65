package io.currents.source.helm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading Helm repository indexes: Helm's validation, Flux's version choice, and a 100 MB index in a small heap. */
class HelmIndexTest {

    static final int CHARTS = 50;
    static final int VERSIONS = 2000;

    @Test
    void anIndexListsItsChartsAndTheHighestMatchingVersionIsChosen() throws Exception {
        HelmIndex index = HelmIndex.parse("""
                apiVersion: v1
                generated: "2026-12-05T00:00:00Z"
                entries:
                  app:
                    - name: app
                      version: 1.2.0
                      urls: [app-1.2.0.tgz]
                      digest: abc
                    - name: app
                      version: not-a-version
                    - name: app
                      version: 1.10.0
                      urls: [https://charts.example/app-1.10.0.tgz]
                  empty: []
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.hasChart("empty")).isTrue();
        assertThat(index.select("app", "1.x").version()).isEqualTo("1.10.0");
        assertThat(index.select("app", "1.2.0").urls()).containsExactly("app-1.2.0.tgz");
        assertThat(index.select("app", "1.2.0").digest()).isEqualTo("abc");
        assertThatThrownBy(() -> index.select("app", ">=2")).hasMessageContaining("no 'app' chart with version matching '>=2' found");
    }

    @Test
    void whatIsNotAnIndexIsRefusedAsHelmRefusesIt() throws Exception {
        assertThatThrownBy(() -> parse("- a list")).hasMessage("index is not a YAML mapping");
        assertThatThrownBy(() -> parse("")).hasMessage("index is not a YAML mapping");
        assertThatThrownBy(() -> parse("entries: {}\n")).hasMessage("no API version specified");
        assertThatThrownBy(() -> parse("apiVersion: ''\nentries: {}\n")).hasMessage("no API version specified");
        assertThatThrownBy(() -> parse("apiVersion: v1\nentries: [a]\n")).hasMessage("'entries' is not a mapping of chart names to versions");
        assertThatThrownBy(() -> parse("apiVersion: v1\nentries:\n  app: [\n")).hasMessageStartingWith("error unmarshaling index: ");
        // the API version may come after the entries
        assertThat(HelmIndex.parse("entries:\n  app:\n    - version: 1.0.0\napiVersion: v1\n".getBytes(StandardCharsets.UTF_8)).size()).isEqualTo(1);
    }

    /**
     * A 100 MB index (50 charts x 2000 versions with long descriptions) read by a JVM whose heap is 256 MiB, through
     * {@link HelmIndex#load} as HelmChart reconciles read it: every version is listed, and the second load of the
     * same digest is the first one's result.
     */
    @Test
    void aHundredMegabyteIndexIsReadWithin256MiBOfHeap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("index.yaml");
        writeLargeIndex(file);
        assertThat(Files.size(file)).isGreaterThan(100L * 1000 * 1000);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), LoadIndex.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("versions " + CHARTS * VERSIONS).contains("chosen 1." + (VERSIONS - 1) + ".0").contains("same true");
    }

    /** Loads the index given as the argument twice (the second from memory) and prints what it found. */
    public static final class LoadIndex {
        public static void main(String[] args) throws Exception {
            HelmIndex index = HelmIndex.load(Path.of(args[0]), "sha256:test");
            HelmIndex again = HelmIndex.load(Path.of(args[0]), "sha256:test");
            System.out.println("versions " + index.size() + " chosen " + again.select("chart-7", "1.x").version()
                    + " same " + (index == again));
        }
    }

    private static void writeLargeIndex(Path file) throws IOException {
        String description = "d".repeat(800);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("apiVersion: v1\nentries:\n");
            for (int c = 0; c < CHARTS; c++) {
                out.write("  chart-" + c + ":\n");
                for (int v = 0; v < VERSIONS; v++) {
                    out.write("    - name: chart-" + c + "\n      version: 1." + v + ".0\n      description: " + description
                            + "\n      created: \"2026-12-05T00:00:00Z\"\n      digest: " + "0".repeat(64)
                            + "\n      urls:\n        - https://charts.example/chart-" + c + "-1." + v + ".0.tgz\n");
                }
            }
        }
    }

    private static HelmIndex parse(String yaml) throws HelmIndex.InvalidIndexException {
        return HelmIndex.parse(yaml.getBytes(StandardCharsets.UTF_8));
    }

}
