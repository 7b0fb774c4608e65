package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmReleaseSpec;
import io.currents.api.meta.CommonMetadata;
import io.currents.testkit.artifact.Tarball;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered chart Helm is given: hooks kept or dropped, post-rendered as the strategy says, filters applied. */
class RenderedChartTest {

    @TempDir
    Path dir;

    private Path chart() throws Exception {
        var chart = HelmReleasePostRenderTest.webChart("1.0.0");
        HelmScenario.withTemplate(chart, "hook.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-hook
                  annotations:
                    helm.sh/hook: post-install
                data:
                  ran: "yes"
                """);
        HelmScenario.withTemplate(chart, "tests.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: smoke
                  annotations:
                    helm.sh/hook: test
                spec:
                  containers: [{name: t, image: busybox}]
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: slow
                  annotations:
                    helm.sh/hook: test
                spec:
                  containers: [{name: t, image: busybox}]
                """);
        Path tgz = dir.resolve("web.tgz");
        Files.write(tgz, Tarball.of(chart));
        return tgz;
    }

    private String manifest(HelmReleaseSpec spec, boolean disableHooks) throws Exception {
        Path values = Files.writeString(dir.resolve("values.yaml"), "{}\n");
        Path out = new RenderedChart(spec, "app", "default", () -> null, Files.createTempDirectory(dir, "work"))
                .build(chart(), values, disableHooks, false);
        assertThat(out.resolve("Chart.yaml")).exists();
        return Files.readString(out.resolve("release/manifest.yaml"));
    }

    private static HelmReleaseSpec withLabels() {
        HelmReleaseSpec spec = new HelmReleaseSpec();
        CommonMetadata common = new CommonMetadata();
        common.setLabels(Map.of("team", "payments"));
        spec.setCommonMetadata(common);
        return spec;
    }

    @Test
    void hooksGetTheCommonMetadataUnlessTheStrategyIsNohooks() throws Exception {
        String combined = manifest(withLabels(), false);
        assertThat(combined).contains("name: \"app-hook\"").contains("helm.sh/hook: \"post-install\"");
        assertThat(combined.split("---")).filteredOn(d -> d.contains("app-hook")).singleElement().asString().contains("team: \"payments\"");

        HelmReleaseSpec nohooks = withLabels();
        nohooks.setPostRenderStrategy("nohooks");
        String text = manifest(nohooks, false);
        assertThat(text.split("---")).filteredOn(d -> d.contains("app-hook")).singleElement().asString().doesNotContain("team");
        assertThat(text.split("---")).filteredOn(d -> d.contains("app-config")).singleElement().asString().contains("team");
    }

    @Test
    void disableHooksDropsAllButTestHooksAndFiltersSelectTheTests() throws Exception {
        HelmReleaseSpec spec = new HelmReleaseSpec();
        var test = new io.currents.api.helm.v2.Test();
        var exclude = new io.currents.api.helm.v2.Filter();
        exclude.setName("slow");
        exclude.setExclude(true);
        test.setFilters(java.util.List.of(exclude));
        spec.setTest(test);
        String text = manifest(spec, true);
        assertThat(text).doesNotContain("app-hook").contains("smoke").doesNotContain("slow");
    }
}
