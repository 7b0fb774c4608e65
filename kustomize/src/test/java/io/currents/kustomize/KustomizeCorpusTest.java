package io.currents.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus case builds to exactly the YAML kustomize v5.5 printed for it, or fails as kustomize does; cases
 * with helmCharts are refused, as kustomize refuses them without {@code --enable-helm}. The notices kustomize
 * printed to stderr (expected-warnings.txt, none when absent) are the build's warnings.
 */
class KustomizeCorpusTest {

    static List<Corpus.Case> cases() throws IOException {
        return Corpus.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void buildsLikeKustomize(Corpus.Case c) throws IOException {
        if (c.enableHelm()) {
            // helm is off unless a chart inflator is given, as kustomize without --enable-helm; the CLI's
            // KustomizeHelmCorpusTest builds these cases with helm
            assertThatThrownBy(() -> Corpus.build(c))
                    .isInstanceOf(KustomizeException.class)
                    .hasMessageContaining("must specify --enable-helm");
            return;
        }
        String expectedError = c.expectedError();
        if (expectedError != null) {
            KustomizeException e = catchThrowableOfType(KustomizeException.class, () -> Corpus.build(c));
            assertThat(e).as("the build fails").isNotNull();
            assertThat(e).hasMessageContaining(expectedError);
            assertThat(Corpus.warningLines(e.warnings())).as("stderr notices before the error")
                    .isEqualTo(c.expectedWarnings());
            return;
        }
        String expected = c.expectedYaml();
        assertThat(expected).as("expected.yaml or expected-error.txt in " + c.dir()).isNotNull();
        ResourceList out = Corpus.build(c);
        assertThat(out.toYaml()).isEqualTo(expected);
        assertThat(Corpus.warningLines(out.warnings())).as("stderr notices").isEqualTo(c.expectedWarnings());
    }
}
