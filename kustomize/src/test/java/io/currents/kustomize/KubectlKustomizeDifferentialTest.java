package io.currents.kustomize;

import io.currents.testkit.TestTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Tag;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the corpus against the live {@code kubectl kustomize} when kubectl is on the PATH: the same output or
 * refusal, and the same stderr notices (deprecated fields, vars never replaced) in the same order.
 */
@Tag("slow")
class KubectlKustomizeDifferentialTest {

    static List<Corpus.Case> cases() throws IOException {
        return Corpus.cases();
    }

    private record Result(int code, String out, String err) {
    }

    private static Result kubectlKustomize(Path kubectl, Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kustomize-out", ".yaml");
        Path err = Files.createTempFile("kustomize-err", ".txt");
        try {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("kubectl kustomize timed out on " + dir);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesLiveKubectlKustomize(Corpus.Case c) throws Exception {
        Path kubectl = TestTools.require(TestTools.Tool.KUBECTL);
        assumeTrue(!c.generateMissing(), "kubectl kustomize refuses directories without a kustomization");
        Result theirs = kubectlKustomize(kubectl, c.buildDir());
        ResourceList mine;
        try {
            mine = Corpus.build(c);
        } catch (KustomizeException e) {
            assertThat(theirs.code()).as("kubectl kustomize succeeded where we failed with: " + e.getMessage())
                    .isNotZero();
            assertThat(Corpus.warningLines(e.warnings())).as("stderr notices before the error")
                    .isEqualTo(Corpus.kubectlWarnings(theirs.err()));
            return;
        }
        assertThat(theirs.code()).as("kubectl kustomize failed where we succeeded: " + theirs.err()).isZero();
        assertThat(mine.toYaml()).isEqualTo(theirs.out());
        assertThat(Corpus.warningLines(mine.warnings())).as("stderr notices")
                .isEqualTo(Corpus.kubectlWarnings(theirs.err()));
    }
}
