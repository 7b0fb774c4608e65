package io.currents.source;

import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.HelmRepository;
import io.currents.oci.CosignSignatures;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciReference;
import io.currents.oci.RegistryCredentials;
import io.currents.source.helm.TestCharts;
import io.currents.testkit.registry.OciRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** HelmCharts from a HelmRepository of type oci: pulled from a registry with the repository's credentials, ranges from the tag list. */
@QuarkusTest
@QuarkusTestResource(value = SourceControllerTestResource.class, restrictToAnnotatedClass = false)
class HelmChartFromOciRepositoryTest {

    static OciRegistry registry;
    static OciClient pusher;

    @BeforeAll
    static void startRegistry() {
        registry = OciRegistry.start("charts", "s3cret");
        pusher = OciClient.builder().plainHttp(true).credentials(new RegistryCredentials("charts", "s3cret")).build();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    static String push(String path, String name, String version) throws Exception {
        OciReference ref = OciReference.parse("oci://" + registry.host() + "/" + path + "/" + name);
        return FluxArtifacts.pushHelmChart(pusher, ref, name, version, TestCharts.chart(name, version, Map.of()));
    }

    private static String repository(String path, String extra) {
        return SourceScenario.helmRepository("repo", "oci://" + registry.host() + "/" + path, """
                type: oci
                insecure: true
                secretRef:
                  name: creds
                """ + (extra == null ? "" : extra));
    }

    @Test
    void aVersionRangeIsResolvedFromTheRegistrysTagsAndPulledWithTheRepositoryCredentials() throws Exception {
        for (String v : new String[]{"1.0.0", "1.1.0", "1.2.0-rc.1", "2.0.0"}) {
            push("range", "app", v);
        }
        var s = new SourceScenario("helmchart-oci");
        s.secret("creds", Map.of("username", "charts", "password", "s3cret"));
        s.apply(HelmRepository.class, repository("range", null));
        s.apply(HelmChart.class, SourceScenario.helmChart("app", "app", "1.x", "HelmRepository", "repo", null));
        s.apply(HelmChart.class, SourceScenario.helmChart("exact", "app", "2.0.0", "HelmRepository", "repo", null));

        HelmChart ready = s.awaitReady(HelmChart.class, "app");
        assertThat(ready.getStatus().getArtifact().getRevision()).isEqualTo("1.1.0");
        assertThat(SourceScenario.condition(ready, "Ready").orElseThrow().getReason()).isEqualTo("ChartPullSucceeded");
        assertThat(TestCharts.entries(SourceScenario.downloadVerified(ready.getStatus().getArtifact())))
                .containsKey("app/Chart.yaml");
        assertThat(s.awaitReady(HelmChart.class, "exact").getStatus().getArtifact().getRevision()).isEqualTo("2.0.0");
    }

    @Test
    void wrongCredentialsAndAMissingVersionAreChartPullErrors() throws Exception {
        push("bad", "app", "1.0.0");
        var s = new SourceScenario("helmchart-oci-bad");
        s.secret("creds", Map.of("username", "charts", "password", "wrong-pass"));
        s.apply(HelmRepository.class, repository("bad", null));
        s.apply(HelmChart.class, SourceScenario.helmChart("app", "app", "1.0.0", "HelmRepository", "repo", null));

        HelmChart failed = s.awaitNotReady(HelmChart.class, "app", "ChartPullError");
        assertThat(SourceScenario.condition(failed, "Ready").orElseThrow().getMessage()).contains("authentication").doesNotContain("wrong-pass");

        s.secret("creds", Map.of("username", "charts", "password", "s3cret"));
        s.apply(HelmChart.class, SourceScenario.helmChart("missing", "app", ">=5.0.0", "HelmRepository", "repo", null));
        HelmChart missing = s.awaitNotReady(HelmChart.class, "missing", "ChartPullError");
        assertThat(SourceScenario.condition(missing, "Ready").orElseThrow().getMessage()).contains("could not locate a version matching");
    }

    @Test
    void spec_verifyChecksTheCosignSignatureOfTheChart() throws Exception {
        KeyPair key = OCIRepositoryVerificationTest.ecKey();
        String signed = push("signed", "app", "1.0.0");
        CosignSignatures.sign(pusher, OciReference.parse("oci://" + registry.host() + "/signed/app"), signed, key.getPrivate());
        push("signed", "app", "1.1.0");
        var s = new SourceScenario("helmchart-oci-cosign");
        s.secret("creds", Map.of("username", "charts", "password", "s3cret"));
        s.secret("cosign", Map.of("cosign.pub", OCIRepositoryVerificationTest.pem(key)));
        s.apply(HelmRepository.class, repository("signed", null));
        String verify = "verify:\n  provider: cosign\n  secretRef:\n    name: cosign\n";
        s.apply(HelmChart.class, SourceScenario.helmChart("signed", "app", "1.0.0", "HelmRepository", "repo", verify));
        s.apply(HelmChart.class, SourceScenario.helmChart("unsigned", "app", "1.1.0", "HelmRepository", "repo", verify));

        HelmChart ready = s.awaitReady(HelmChart.class, "signed");
        assertThat(SourceScenario.status(ready, "SourceVerified")).isEqualTo("True");
        HelmChart refused = s.awaitNotReady(HelmChart.class, "unsigned", "VerificationError");
        assertThat(SourceScenario.condition(refused, "Ready").orElseThrow().getMessage()).contains("no cosign signature found");
        assertThat(refused.getStatus().getArtifact()).isNull();
    }
}
