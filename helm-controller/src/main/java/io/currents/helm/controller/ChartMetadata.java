package io.currents.helm.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.currents.runtime.artifact.LimitedInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Name, version and appVersion of a packaged chart, read from the {@code <chart>/Chart.yaml} of its .tgz. */
record ChartMetadata(String name, String version, String appVersion) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Helm's own bound on what a chart archive may expand to (MaxDecompressedChartSize). */
    static final long MAX_CHART_BYTES = 100L * 1024 * 1024;

    String nameAndVersion() {
        return name + "@" + version;
    }

    static ChartMetadata read(Path tgz) throws IOException {
        try (InputStream in = new LimitedInputStream(new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz))),
                MAX_CHART_BYTES, "the chart archive");
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                while (name.startsWith("./")) {
                    name = name.substring(2);
                }
                String[] parts = name.split("/");
                if (parts.length == 2 && parts[1].equals("Chart.yaml") && entry.isFile()) {
                    JsonNode chart = YAML.readTree(tar.readNBytes(1024 * 1024));
                    String chartName = chart.path("name").asText("");
                    String version = chart.path("version").asText("");
                    if (chartName.isEmpty() || version.isEmpty()) {
                        throw new IOException("Chart.yaml of the artifact has no name or version");
                    }
                    return new ChartMetadata(chartName, version, chart.path("appVersion").asText(null));
                }
            }
        } catch (IOException e) {
            throw new IOException("failed to load chart: " + e.getMessage(), e);
        }
        throw new IOException("failed to load chart: no Chart.yaml found in the artifact");
    }
}
