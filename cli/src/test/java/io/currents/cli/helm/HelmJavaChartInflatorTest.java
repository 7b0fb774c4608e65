package io.currents.cli.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.currents.kustomize.ChartInflator;
import io.currents.kustomize.KustomizeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chart rendered by the CLI's helm-java inflator cannot read files outside itself. */
class HelmJavaChartInflatorTest {

    private static final HelmJavaChartInflator HELM = new HelmJavaChartInflator(new ChartPuller(Duration.ofSeconds(5), 1 << 20));

    private static Path chart(Path dir) throws IOException {
        Path chart = dir.resolve("web");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        Files.writeString(chart.resolve("templates/cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}
                data:
                  file: {{ .Files.Get "files/data.txt" | quote }}
                """);
        Files.createDirectories(chart.resolve("files"));
        return chart;
    }

    private static ChartInflator.TemplateRequest request(Path chart) {
        return new ChartInflator.TemplateRequest("shop", chart, null, null, List.of(), List.of(), null, false, false,
                false, false);
    }

    @Test
    void aFileInsideTheChartIsRendered(@TempDir Path dir) throws IOException {
        Path chart = chart(dir);
        Files.writeString(chart.resolve("files/data.txt"), "inside");
        Files.createSymbolicLink(chart.resolve("files/alias.txt"), chart.resolve("files/data.txt"));
        assertThat(HELM.template(request(chart))).contains("file: \"inside\"");
    }

    @Test
    void aSymbolicLinkLeadingOutOfTheChartIsRefused(@TempDir Path dir) throws IOException {
        Path chart = chart(dir);
        Path secret = Files.writeString(dir.resolve("secret.txt"), "do not read");
        Files.createSymbolicLink(chart.resolve("files/data.txt"), secret);
        assertThatThrownBy(() -> HELM.template(request(chart)))
                .isInstanceOf(KustomizeException.class)
                .hasMessageContaining("links outside the chart")
                .hasMessageNotContaining("do not read");
    }
}
