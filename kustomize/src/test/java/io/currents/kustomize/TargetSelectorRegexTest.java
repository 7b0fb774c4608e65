package io.currents.kustomize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Patch and replacement targets name objects with Go regular expressions: matched in linear time, Go's syntax only. */
class TargetSelectorRegexTest {

    private static void write(Path dir, String target) throws Exception {
        String name = java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining("-"));
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n" + name + "\n");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources:
                - cm.yaml
                patches:
                - target:
                    kind: ConfigMap
                    name: '%s'
                  patch: |
                    - op: add
                      path: /data
                      value: {patched: "yes"}
                """.formatted(target));
    }

    @Test
    void aBacktrackingNamePatternIsMatchedInLinearTime(@TempDir Path dir) throws Exception {
        // Java's backtracking engine runs for minutes matching this against forty dash-separated numbers
        write(dir, "(.*?-){11}P");
        ResourceList out = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Kustomizer.create().build(dir));
        assertThat(out.toYaml()).doesNotContain("patched");
    }

    @Test
    void aPatternGoDoesNotAcceptIsRefused(@TempDir Path dir) throws Exception {
        write(dir, "a+(?!b)");
        assertThatThrownBy(() -> Kustomizer.create().build(dir)).isInstanceOf(KustomizeException.class)
                .hasMessageContaining("error parsing regexp: ").hasMessageContaining("`a+(?!b)`");
    }
}
