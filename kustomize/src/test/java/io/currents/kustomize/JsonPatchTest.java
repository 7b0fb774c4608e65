package io.currents.kustomize;

import static io.currents.kustomize.TestYaml.map;
import static io.currents.kustomize.TestYaml.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonPatchTest {

    private static String apply(String doc, String ops) {
        Resource r = new Resource(map(doc));
        JsonPatch.apply(r, JsonPatch.v2Ops(ops), "test");
        return yaml(r.obj);
    }

    private static final String DOC = "kind: X\nmetadata: {name: x, labels: {a/b: c}}\nspec: {list: [1, 2, 3]}\n";

    @Test
    void addsReplacesRemovesAndEscapes() {
        String out = apply(DOC, """
                - {op: add, path: /spec/list/-, value: 4}
                - {op: add, path: /spec/list/0, value: 0}
                - {op: remove, path: /spec/list/1}
                - {op: replace, path: /metadata/labels/a~1b, value: d}
                - {op: add, path: /spec/new, value: {nested: true}}
                """);
        assertThat(out).contains("list:\n  - 0\n  - 2\n  - 3\n  - 4\n").contains("a/b: d").contains("nested: true");
    }

    @Test
    void movesCopiesAndTests() {
        String out = apply(DOC, """
                - {op: copy, from: /metadata/name, path: /spec/copy}
                - {op: move, from: /spec/list, path: /spec/moved}
                - {op: test, path: /spec/copy, value: x}
                """);
        assertThat(out).contains("copy: x").contains("moved:").doesNotContain("list:");
    }

    @Test
    void acceptsJsonSyntax() {
        assertThat(apply(DOC, "[{\"op\": \"replace\", \"path\": \"/metadata/name\", \"value\": \"y\"}]"))
                .contains("name: \"y\"");
    }

    @Test
    void failsOnMissingPathsAndFailedTests() {
        assertThatThrownBy(() -> apply(DOC, "- {op: replace, path: /nope/deeper, value: 1}"))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("doc is missing path");
        assertThatThrownBy(() -> apply(DOC, "- {op: test, path: /metadata/name, value: other}"))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("test failed");
        assertThatThrownBy(() -> apply(DOC, "- {op: remove, path: /spec/list/9}"))
                .isInstanceOf(KustomizeException.class).hasMessage("error in remove for path: '/spec/list/9': Unable to access invalid index: 9: invalid index referenced");
    }
}
