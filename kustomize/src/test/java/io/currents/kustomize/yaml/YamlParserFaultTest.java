package io.currents.kustomize.yaml;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Found by {@link YamlReaderPropertiesTest}: a comment opening a flow mapping in a document whose first key starts
 * with a colon made SnakeYAML's comment-aware composer throw a ClassCastException. The reader now treats such faults of
 * the parser as a refusal of that parse and reads the text without comments, as it does for the placements SnakeYAML's
 * comment handling refuses.
 */
class YamlParserFaultTest {

    private static final String TEXT = """
            :apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namespace: apps
            resources:
            - deployment.yaml
            - ../base
            patches:
            - path: patch.yaml
              target: {#kind: Deployment, name: "app"}
            configMapGenerator:
            - name: settings
              literals: ['A=1', "B=two"]
            images:
            - name: app
              newTag: v1.2.3 # pinned
            """;

    @Test
    void aFaultOfTheCommentAwareParserFallsBackToTheCommentFreeParse() {
        assertThatCode(() -> YamlReader.readAll(TEXT)).satisfiesAnyOf(
                thrown -> assertThat(thrown).isNull(),
                thrown -> assertThat(thrown).isInstanceOf(YamlException.class));
        assertThat(YamlReader.readAll(TEXT.replace("{#kind", "{kind")).toString()).contains("namespace=apps");
    }
}
