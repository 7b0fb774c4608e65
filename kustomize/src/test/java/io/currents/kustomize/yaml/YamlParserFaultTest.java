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

    /** The mutation of the property test's kustomization that jqwik found: a leading colon and a comment in the flow map. */
    private static final String TEXT = ":" + YamlReaderPropertiesTest.KUSTOMIZATION.replace("{kind", "{#kind");

    @Test
    void aFaultOfTheCommentAwareParserFallsBackToTheCommentFreeParse() {
        assertThatCode(() -> YamlReader.readAll(TEXT)).satisfiesAnyOf(
                thrown -> assertThat(thrown).isNull(),
                thrown -> assertThat(thrown).isInstanceOf(YamlException.class));
        assertThat(YamlReader.readAll(TEXT.replace("{#kind", "{kind")).toString()).contains("namespace=apps");
    }
}
