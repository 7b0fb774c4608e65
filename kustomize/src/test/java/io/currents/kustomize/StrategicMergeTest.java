package io.currents.kustomize;

import static io.currents.kustomize.TestYaml.map;
import static io.currents.kustomize.TestYaml.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StrategicMergeTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              template:
                spec:
                  containers:
                  - name: a
                    image: a:1
                    env:
                    - {name: X, value: "1"}
                    - {name: Y, value: "2"}
                  - name: b
                    image: b:1
                  volumes:
                  - {name: v1, emptyDir: {}}
                  tolerations:
                  - key: t1
            """;

    private static String merge(String dest, String patch) {
        return yaml(StrategicMerge.merge(map(dest), map(patch)));
    }

    @Test
    void containersMergeByNameAndNewOnesComeFirst() {
        String out = merge(DEPLOYMENT, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  template:
                    spec:
                      containers:
                      - name: c
                        image: c:1
                      - name: a
                        image: a:2
                """);
        assertThat(out).contains("""
                      containers:
                      - image: c:1
                        name: c
                      - env:
                        - name: X
                          value: "1"
                        - name: "Y"
                          value: "2"
                        image: a:2
                        name: a
                      - image: b:1
                        name: b
                """);
    }

    @Test
    void patchDeleteRemovesListElementsAndNullRemovesFields() {
        String out = merge(DEPLOYMENT, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  template:
                    spec:
                      containers:
                      - name: b
                        $patch: delete
                      - name: a
                        env:
                        - name: X
                          $patch: delete
                      tolerations: null
                """);
        assertThat(out).doesNotContain("name: b").doesNotContain("name: X").doesNotContain("tolerations");
        assertThat(out).contains("name: \"Y\"");
    }

    @Test
    void patchReplaceReplacesAMap() {
        String out = merge("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: {a: "1", b: "2"}
                """, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data:
                  $patch: replace
                  z: "9"
                """);
        assertThat(out).contains("data:\n  z: \"9\"\n").doesNotContain("a: \"1\"");
    }

    @Test
    void listsWithoutMergeKeysAreReplaced() {
        String out = merge(DEPLOYMENT, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  template:
                    spec:
                      tolerations:
                      - key: t2
                """);
        assertThat(out).contains("tolerations:\n      - key: t2\n").doesNotContain("t1");
    }

    @Test
    void customResourcesMergeAsPlainMaps() {
        String out = merge("""
                apiVersion: example.com/v1
                kind: Thing
                metadata: {name: t}
                spec:
                  items: [{name: a, x: 1}, {name: b, x: 1}]
                  keep: yes-please
                """, """
                apiVersion: example.com/v1
                kind: Thing
                metadata: {name: t}
                spec:
                  items: [{name: a, x: 2}]
                """);
        assertThat(out).contains("items:\n  - name: a\n    x: 2\n  keep: yes-please\n");
    }

    @Test
    void primitiveMergeListsUnionPatchFirst() {
        String out = merge("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, finalizers: [a, b]}
                """, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, finalizers: [c, a]}
                """);
        assertThat(out).contains("finalizers:\n  - c\n  - a\n  - b\n");
    }

    @Test
    void deletingTheWholeObjectReturnsNull() {
        assertThat(StrategicMerge.merge(map("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"),
                map("$patch: delete\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"))).isNull();
    }

    @Test
    void mismatchedKindsFail() {
        assertThatThrownBy(() -> merge("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: x\n",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("wrong Node Kind");
    }
}
