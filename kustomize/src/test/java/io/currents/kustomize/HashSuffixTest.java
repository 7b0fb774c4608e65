package io.currents.kustomize;

import static io.currents.kustomize.TestYaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The content hash kustomize appends to generated names (values checked against kustomize v5.5). */
class HashSuffixTest {

    @Test
    void configMapHashMatchesKustomize() {
        Resource cm = new Resource(map("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gen}\ndata: {a: b}\n"));
        assertThat(Generators.hash(cm)).isEqualTo("4h2mbtbbt6");
    }

    @Test
    void secretHashCoversTypeAndData() {
        Resource s = new Resource(map("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\ndata: {a: Yg==}\n"));
        assertThat(Generators.hash(s)).isEqualTo("k695gkmbtk");
    }

    @Test
    void theNameDoesNotChangeTheHash() {
        Resource a = new Resource(map("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\ndata: {k: v}\n"));
        Resource b = new Resource(map("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\ndata: {k: v}\n"));
        assertThat(Generators.hash(a)).isEqualTo(Generators.hash(b));
    }

    @Test
    void encodingAvoidsVowelsAndDigitsThatSpellWords() {
        assertThat(Generators.encode("")).doesNotContain("0", "1", "3", "a", "e").hasSize(10);
    }

    @Test
    void longSecretValuesAreWrappedAt70Characters() {
        String enc = Generators.encodeBase64(new byte[60]);
        assertThat(enc).contains("\n").endsWith("\n");
        assertThat(enc.split("\n")[0]).hasSize(70);
        assertThat(Generators.encodeBase64(new byte[3])).isEqualTo("AAAA");
    }
}
