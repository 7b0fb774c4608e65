package io.currents.kustomize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The corpus of kustomizations with kustomize v5.5's expected output, under src/test/resources/corpus. */
final class Corpus {
    private Corpus() {
    }

    static Path root() {
        Path p = Path.of("src/test/resources/corpus");
        if (!Files.isDirectory(p)) {
            p = Path.of("kustomize/src/test/resources/corpus");
        }
        return p.toAbsolutePath();
    }

    record Case(String name, Path dir) {
        Path buildDir() throws IOException {
            Path bp = dir.resolve("build-path.txt");
            return Files.exists(bp) ? dir.resolve(Files.readString(bp).trim()) : dir;
        }

        boolean generateMissing() {
            return Files.exists(dir.resolve("generate-missing-kustomization"));
        }

        /** Whether the case renders helmCharts (its output was made with {@code --enable-helm}). */
        boolean enableHelm() {
            return Files.exists(dir.resolve("enable-helm"));
        }

        String expectedYaml() throws IOException {
            Path p = dir.resolve("expected.yaml");
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
        }

        /**
         * The stderr notices kustomize v5.5 printed for the case, one per line as {@link #warningLines} gives
         * them; none when the file is absent.
         */
        List<String> expectedWarnings() throws IOException {
            Path p = dir.resolve("expected-warnings.txt");
            return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8) : List.of();
        }

        /**
         * A substring of the error kustomize printed; {@code {case}} stands for the case's directory, so that a
         * message naming files can be given whole.
         */
        String expectedError() throws IOException {
            Path p = dir.resolve("expected-error.txt");
            return Files.exists(p)
                    ? Files.readString(p, StandardCharsets.UTF_8).trim().replace("{case}", dir.toString())
                    : null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Pattern KLOG_HEADER = Pattern.compile("^[IW]\\d{4} [\\d:.]+ +\\d+ [^ \\]]+\\] ");
    private static final Pattern KLOG_ERROR = Pattern.compile("^E\\d{4} [\\d:.]+ +\\d+ ");
    private static final String UNUSED_VARS = "well-defined vars that were never replaced: ";

    /**
     * The notices in {@code kubectl kustomize}'s stderr: the lines before its error (klog's {@code E...}
     * line and its continuation), klog headers removed.
     */
    static List<String> kubectlWarnings(String stderr) {
        List<String> out = new ArrayList<>();
        for (String line : stderr.split("\n", -1)) {
            if (KLOG_ERROR.matcher(line).find()) {
                break;
            }
            if (!line.isEmpty()) {
                out.add(canonical(KLOG_HEADER.matcher(line).replaceFirst("")));
            }
        }
        return out;
    }

    /** Our build's notices, as {@link #kubectlWarnings} gives kubectl's. */
    static List<String> warningLines(List<BuildWarning> warnings) {
        return warnings.stream().map(w -> canonical(w.message())).toList();
    }

    /** kustomize lists unused vars in Go's random map order: compare them as a sorted list. */
    private static String canonical(String line) {
        if (!line.startsWith(UNUSED_VARS)) {
            return line;
        }
        List<String> names = new ArrayList<>(List.of(line.substring(UNUSED_VARS.length()).split(",")));
        Collections.sort(names);
        return UNUSED_VARS + String.join(",", names);
    }

    static List<Case> cases() throws IOException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).sorted()
                    .map(p -> new Case(p.getFileName().toString(), p)).toList();
        }
    }

    static ResourceList build(Case c) throws IOException {
        return Kustomizer.builder().generateMissingKustomization(c.generateMissing()).build().build(c.buildDir());
    }
}
