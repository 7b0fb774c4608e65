package io.currents.kustomize;

import static io.currents.kustomize.TestYaml.map;
import static io.currents.kustomize.TestYaml.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The output format of kustomize: go-yaml v2 over JSON-shaped data. */
class YamlWriterTest {

    @Test
    void sortsKeysNaturallyAndQuotesWhatWouldChangeType() {
        assertThat(yaml(map("b10: x\nb9: y\non: \"on\"\nv: \"1.20\"\nn: \"12\"\ne: \"\"\n")))
                .isEqualTo("b9: \"y\"\nb10: x\ne: \"\"\n\"n\": \"12\"\n\"on\": \"on\"\nv: \"1.20\"\n");
    }

    @Test
    void sequencesAreNotIndentedUnderTheirKey() {
        assertThat(yaml(map("a:\n  - x\n  - [y, z]\n"))).isEqualTo("a:\n- x\n- - \"y\"\n  - z\n");
    }

    @Test
    void multilineStringsAreLiteralBlocks() {
        assertThat(yaml(map("s: \"a\\nb\\n\"\nt: \"a\\nb\"\n"))).isEqualTo("s: |\n  a\n  b\nt: |-\n  a\n  b\n");
    }

    @Test
    void longPlainStringsFoldAfterColumn80() {
        String out = yaml(map("k: " + "word ".repeat(30).trim() + "\n"));
        assertThat(out.split("\n")).hasSize(2);
        assertThat(out.split("\n")[1]).startsWith("  word");
    }

    @Test
    void floatsAndIntegersAsGoPrintsThem() {
        assertThat(yaml(java.util.Map.of("a", 1234567.5))).isEqualTo("a: 1.2345675e+06\n");
        assertThat(yaml(java.util.Map.of("a", 0.5))).isEqualTo("a: 0.5\n");
    }
}
