package io.currents.kustomize.yaml;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A few hundred bytes of nested aliases must not expand to gigabytes: refused as go-yaml refuses them. */
class AliasBombTest {

    /** 384 bytes, seven levels of nine aliases each: about 4.8 million strings once expanded. */
    static final String BOMB = """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            """;

    /**
     * Under snakeyaml's own limit of 50 aliases: 24 levels of two, 2^25 strings once expanded. Composing shares the
     * nodes, so a plain Load returns at once; whoever walks the result (a SOPS MAC, a String.valueOf) never finishes.
     */
    static final String NARROW_BOMB = narrowBomb();

    private static String narrowBomb() {
        StringBuilder doc = new StringBuilder("l0: &l0 [lol, lol]\n");
        for (int i = 1; i < 25; i++) {
            doc.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        return doc.toString();
    }

    @Test
    void theKustomizeReaderRefusesABomb() {
        assertThatThrownBy(() -> YamlReader.readAll(BOMB)).isInstanceOf(YamlException.class)
                .hasMessageStartingWith("document contains excessive aliasing");
        assertThatThrownBy(() -> YamlReader.read(BOMB, true)).hasMessageStartingWith("document contains excessive aliasing");
    }

    @Test
    void loadingForOtherReadersRefusesABomb() {
        assertThatThrownBy(() -> BoundedLoad.loadOne(LoadSettings.builder().build(), NARROW_BOMB))
                .hasMessageStartingWith("document contains excessive aliasing");
        assertThatThrownBy(() -> BoundedLoad.loadAll(LoadSettings.builder().build(), "a: 1\n---\n" + NARROW_BOMB))
                .hasMessageStartingWith("document contains excessive aliasing");
        assertThatThrownBy(() -> AliasBudget.checkText(BOMB)).hasMessageStartingWith("document contains excessive aliasing");
        assertThatThrownBy(() -> YamlReader.readAll(NARROW_BOMB)).hasMessageStartingWith("document contains excessive aliasing");
    }

    @Test
    void ordinaryAnchorsStillExpand() {
        StringBuilder doc = new StringBuilder("defaults: &defaults {image: app, replicas: 2, labels: {team: blue}}\nservices:\n");
        for (int i = 0; i < 300; i++) {
            doc.append("  s").append(i).append(": {<<: *defaults, name: s").append(i).append("}\n");
        }
        Map<?, ?> read = (Map<?, ?>) YamlReader.read(doc.toString(), false);
        assertThat(((Map<?, ?>) read.get("services"))).hasSize(300);
        assertThat(((Map<?, ?>) ((Map<?, ?>) read.get("services")).get("s299")).get("labels")).isEqualTo(Map.of("team", "blue"));
        assertThat(BoundedLoad.loadAll(LoadSettings.builder().build(), "x: &x [1, 2]\ny: *x\n"))
                .containsExactly(Map.of("x", List.of(1, 2), "y", List.of(1, 2)));
    }

    @Test
    void anAnchorThatContainsItselfIsRefused() {
        assertThatThrownBy(() -> BoundedLoad.loadOne(LoadSettings.builder().build(), "a: &a [*a]\n"))
                .hasMessage("anchor value contains itself");
    }
}
