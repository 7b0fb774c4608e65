package io.currents.kustomize.yaml;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Whatever text it is given, the YAML reader returns documents or throws {@link YamlException} with a message, within a
 * bounded time and memory: mutated kustomizations, nesting of any depth, and anchors aliased at any width and depth.
 */
class YamlReaderPropertiesTest {

    /** A kustomization using most of the syntax kustomizations use (flow mappings, quotes, comments). */
    static final String KUSTOMIZATION = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namespace: apps
            resources:
            - deployment.yaml
            - ../base
            patches:
            - path: patch.yaml
              target: {kind: Deployment, name: "app"}
            configMapGenerator:
            - name: settings
              literals: ['A=1', "B=two"]
            images:
            - name: app
              newTag: v1.2.3 # pinned
            """;

    /** Pieces that change how YAML parses: indicators, anchors, tags, quotes, indentation, directives. */
    private static final List<String> PIECES = List.of(":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!str ", "!x ", "\"", "'",
            "\n", "  ", "\t", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "? ", "#", ",", "\\", "\u0000", "\uFEFF", "@", "`");

    @Provide
    Arbitrary<String> mutatedKustomizations() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, KUSTOMIZATION.length());
        Arbitrary<String> piece = Arbitraries.of(PIECES);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 8);
        Arbitrary<String> mutation = Combinators.combine(at, piece, cut).as((i, p, c) -> i + "\u0001" + p + "\u0001" + c);
        return mutation.list().ofMinSize(1).ofMaxSize(6).map(ms -> {
            String text = KUSTOMIZATION;
            for (String m : ms) {
                String[] parts = m.split("\u0001", -1);
                int i = Math.min(Integer.parseInt(parts[0]), text.length());
                int end = Math.min(text.length(), i + Integer.parseInt(parts[2]));
                text = text.substring(0, i) + parts[1] + text.substring(end);
            }
            return text;
        });
    }

    @Property(tries = 400)
    void anyMutationParsesOrFailsWithAYamlException(@ForAll("mutatedKustomizations") String text) {
        readWithinBounds(text);
    }

    @Property(tries = 40)
    void nestingOfAnyDepthParsesOrFailsWithAYamlException(@ForAll @IntRange(min = 1, max = 200_000) int depth,
                                                         @ForAll("openers") String opener) {
        String close = switch (opener) {
            case "[" -> "]";
            case "{a: " -> "}";
            default -> "";
        };
        String text = opener.repeat(depth) + "x" + close.repeat(depth);
        readWithinBounds(text);
    }

    @Provide
    Arbitrary<String> openers() {
        return Arbitraries.of("[", "{a: ", "- ", "[{a: ");
    }

    /** Aliases of width {@code width} nested {@code depth} times: width^depth leaves, small ones accepted, big ones refused. */
    @Property(tries = 80)
    void aliasesExpandOnlyWithinABudget(@ForAll @IntRange(min = 2, max = 12) int width, @ForAll @IntRange(min = 1, max = 30) int depth) {
        StringBuilder doc = new StringBuilder("l0: &l0 [" + String.join(",", java.util.Collections.nCopies(width, "lol")) + "]\n");
        for (int i = 1; i <= depth; i++) {
            doc.append('l').append(i).append(": &l").append(i).append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(width, "*l" + (i - 1)))).append("]\n");
        }
        Object read = readWithinBounds(doc.toString());
        if (read != null) {
            long leaves = leaves(((List<?>) read).get(0));
            assertThat(leaves).as("leaves the reader expanded").isLessThanOrEqualTo(5_000_000L);
        }
    }

    /** The documents read, or null when the reader refused the text with a YamlException. */
    private static Object readWithinBounds(String text) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                return YamlReader.readAll(text);
            } catch (YamlException e) {
                assertThat(e.getMessage()).isNotBlank();
                return null;
            }
        }, () -> "the reader took more than 5s on " + text.length() + " characters");
    }

    private static long leaves(Object node) {
        if (node instanceof Map<?, ?> m) {
            return m.values().stream().mapToLong(YamlReaderPropertiesTest::leaves).sum();
        }
        if (node instanceof List<?> l) {
            return l.stream().mapToLong(YamlReaderPropertiesTest::leaves).sum();
        }
        return 1;
    }
}
