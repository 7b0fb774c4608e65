package io.currents.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.testkit.ControlPlane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our CRDs carry every schema fact of Flux v2.9's published CRDs (the field lists extracted by
 * {@code hack/flux-crd-fields.sh} into {@code flux-crd-fields/}), and no field Flux does not have except the
 * Currents extensions listed in {@code currents-crd-extensions/} (documented in docs/beyond-flux.md), each of which
 * must exist in our CRD.
 */
class FluxCrdFieldsTest {

    private static final Path OURS = ControlPlane.projectRoot().resolve("manifests").resolve("crds");

    static List<String> fluxCrds() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(fixtures())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fluxCrds")
    void ourCrdHasEverySchemaFactOfFlux(String crd) throws Exception {
        TreeSet<String> missing = CrdFieldList.readList(fixtures().resolve(crd + ".txt"));
        missing.removeAll(ours(crd));
        assertThat(missing).as("facts of Flux's " + crd + " missing from manifests/crds/" + crd + ".yaml"
                + " (fact, version, path, value)").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fluxCrds")
    void ourCrdHasNoSchemaFactFluxLacks(String crd) throws Exception {
        TreeSet<String> extra = ours(crd);
        extra.removeAll(CrdFieldList.readList(fixtures().resolve(crd + ".txt")));
        extra.removeAll(extensions(crd));
        assertThat(extra).as("facts of manifests/crds/" + crd + ".yaml that Flux's CRD does not have"
                + " (fact, version, path, value)").isEmpty();
    }

    static List<String> extendedCrds() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(Path.of(FluxCrdFieldsTest.class.getResource("/currents-crd-extensions").toURI()))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extendedCrds")
    void everyListedExtensionIsInOurCrdAndNotInFlux(String crd) throws Exception {
        TreeSet<String> extensions = extensions(crd);
        assertThat(ours(crd)).as("Currents extensions listed for " + crd).containsAll(extensions);
        assertThat(CrdFieldList.readList(fixtures().resolve(crd + ".txt"))).as("extensions that are Flux's own facts")
                .doesNotContainAnyElementsOf(extensions);
    }

    @Test
    void everyFluxKindHasACrdOfOurs() throws Exception {
        TreeSet<String> ourNames = new TreeSet<>();
        try (Stream<Path> files = Files.list(OURS)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .forEach(n -> ourNames.add(n.substring(0, n.length() - 5)));
        }
        assertThat(ourNames).containsAll(fluxCrds());
    }

    private static TreeSet<String> ours(String crd) {
        Path file = OURS.resolve(crd + ".yaml");
        assertThat(file).as("our CRD for " + crd).exists();
        List<JsonNode> crds = CrdFieldList.read(file);
        assertThat(crds).hasSize(1);
        return CrdFieldList.of(crds.getFirst());
    }

    /** The schema facts Currents adds on purpose (docs/beyond-flux.md); none for most CRDs. */
    private static TreeSet<String> extensions(String crd) throws URISyntaxException {
        Path file = Path.of(FluxCrdFieldsTest.class.getResource("/currents-crd-extensions").toURI()).resolve(crd + ".txt");
        return Files.exists(file) ? CrdFieldList.readList(file) : new TreeSet<>();
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(FluxCrdFieldsTest.class.getResource("/flux-crd-fields").toURI());
    }
}
