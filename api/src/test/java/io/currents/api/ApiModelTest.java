package io.currents.api;

import io.currents.api.crd.CrdFiles;
import io.currents.api.image.v1.ImageRef;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.ValuesReference;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositoryRef;
import io.currents.api.source.v1.GitRepositorySpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure behaviour of the API model: patterns, defaults of accessors, serialization, generated schema rules. */
class ApiModelTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void durationPatternAcceptsGoDurationsOnly() {
        assertThat("1m30s").matches(FluxMeta.DURATION_PATTERN);
        assertThat("500ms").matches(FluxMeta.DURATION_PATTERN);
        assertThat("1.5h").matches(FluxMeta.DURATION_PATTERN);
        assertThat("1d").doesNotMatch(FluxMeta.DURATION_PATTERN);
        assertThat("10").doesNotMatch(FluxMeta.DURATION_PATTERN);
        assertThat("2h").doesNotMatch(FluxMeta.TIMEOUT_PATTERN);
        assertThat("90s").matches(FluxMeta.TIMEOUT_PATTERN);
    }

    @Test
    void absentFieldsStayAbsentWhenSerialized() {
        GitRepository repo = new GitRepository();
        GitRepositorySpec spec = new GitRepositorySpec();
        spec.setUrl("https://github.com/example/app");
        spec.setInterval("1m");
        GitRepositoryRef ref = new GitRepositoryRef();
        ref.setBranch("main");
        spec.setRef(ref);
        repo.setSpec(spec);

        String json = SERIALIZATION.asJson(repo.getSpec());

        assertThat(json).isEqualTo("{\"url\":\"https://github.com/example/app\",\"interval\":\"1m\",\"ref\":{\"branch\":\"main\"}}");
        assertThat(SERIALIZATION.asJson(repo)).doesNotContain("status").doesNotContain("artifact");
    }

    @Test
    void apiVersionAndKindComeFromTheAnnotations() {
        GitRepository repo = new GitRepository();
        assertThat(repo.getApiVersion()).isEqualTo("source.toolkit.fluxcd.io/v1");
        assertThat(repo.getKind()).isEqualTo("GitRepository");
    }

    @Test
    void valuesKeyDefaultsToValuesYaml() {
        ValuesReference ref = new ValuesReference();
        assertThat(ref.getValuesKeyOrDefault()).isEqualTo("values.yaml");
        ref.setValuesKey("prod.yaml");
        assertThat(ref.getValuesKeyOrDefault()).isEqualTo("prod.yaml");
        assertThat(SERIALIZATION.asJson(ref)).doesNotContain("OrDefault");
    }

    @Test
    void imageRefPrintsLikeADockerReference() {
        ImageRef ref = new ImageRef();
        ref.setName("ghcr.io/example/app");
        ref.setTag("1.2.3");
        assertThat(ref).hasToString("ghcr.io/example/app:1.2.3");
        ref.setDigest("sha256:abc");
        assertThat(ref).hasToString("ghcr.io/example/app:1.2.3@sha256:abc");
    }

    @Test
    void generatedCrdsCarryFluxCelRulesAndStatusDefault() {
        var files = CrdFiles.generate();
        assertThat(files.get("kustomizations.kustomize.toolkit.fluxcd.io.yaml")).contains("x-kubernetes-validations")
                .contains("has(self.configMapRef) || has(self.secretRef)");
        files.forEach((file, yaml) -> {
            // Kinds whose status has no observedGeneration (Alert and Provider have no status at all) get no default.
            if (!file.startsWith("alerts.") && !file.startsWith("providers.") && !file.startsWith("externalartifacts.")
                    && !file.startsWith("artifactgenerators.")) {
                assertThat(yaml).as(file).contains("observedGeneration: -1").contains("status: {}");
            }
        });
    }
}
