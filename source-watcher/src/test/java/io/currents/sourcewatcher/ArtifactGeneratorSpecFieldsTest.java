package io.currents.sourcewatcher;

import io.currents.testkit.CrdSpecFields;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No field of source-watcher's kinds is silently ignored: the spec paths of each shipped CRD equal the reviewed list of the paths
 * this controller acts on (next to this class), so a field added to a CRD fails here until it is implemented or
 * reported through the reconciler's UnsupportedOptions.
 */
class ArtifactGeneratorSpecFieldsTest {

    @ParameterizedTest
    @CsvSource({
            "artifactgenerators.source.extensions.fluxcd.io.yaml, v1beta1, artifactgenerator-spec-fields.txt"
    })
    void everySpecFieldOfTheCrdIsAccountedFor(String crd, String version, String list) {
        assertThat(CrdSpecFields.listed(ArtifactGeneratorSpecFieldsTest.class, list)).as("%s %s: the reviewed list %s", crd, version, list)
                .containsExactlyElementsOf(CrdSpecFields.of(crd, version));
    }
}
