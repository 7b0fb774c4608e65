package io.currents.source.helm;

import io.currents.source.helm.Chart.InvalidChartException;
import org.semver4j.Semver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the chart a HelmChart asks for, as Flux's chart builders do: from a repository (the pulled
 * archive, repackaged only when values files or version metadata change it) or from a source tree
 * (always packaged, with {@code charts/} subcharts, {@code file://} dependencies and dependencies
 * from chart repositories). Values files replace values.yaml with their deep merge, in order.
 */
public final class ChartBuilder {

    private ChartBuilder() {
    }

    /** What to change while building. {@code versionMetadata} is appended to the version as {@code +<metadata>}. */
    public record Options(List<String> valuesFiles, boolean ignoreMissingValuesFiles, String versionMetadata,
                          long maxFileBytes) {
        public Options {
            valuesFiles = valuesFiles == null ? List.of() : List.copyOf(valuesFiles);
        }
    }

    /** A finished build: the chart to store, whether it was packaged here, and the values files that went into it. */
    public record Build(Chart chart, boolean packaged, List<String> valuesFiles) {

        public String name() {
            return chart.name();
        }

        public String version() {
            return chart.version();
        }

        /** Flux's build summary, used as Ready message and event. */
        public String summary() {
            StringBuilder s = new StringBuilder();
            s.append(packaged ? "packaged" : "pulled").append(" '").append(name()).append("' chart with version '")
                    .append(version()).append("'");
            if (!valuesFiles.isEmpty()) {
                s.append(" and merged values files [").append(String.join(" ", valuesFiles)).append("]");
            }
            return s.toString();
        }
    }

    /** Downloads chart archives of dependencies that name a chart repository. */
    @FunctionalInterface
    public interface RemoteDependencies {
        /** The archive of the highest version of {@code name} in the repository at {@code repositoryUrl} admitted by {@code range}. */
        byte[] fetch(String repositoryUrl, String name, String range) throws ChartBuildException;
    }

    /** The version a build will produce: {@code version} with its build metadata replaced by {@code metadata}. */
    public static String versionWithMetadata(String version, String metadata) throws ChartBuildException {
        if (metadata == null || metadata.isEmpty()) {
            return version;
        }
        Semver v = ChartVersions.parse(version)
                .orElseThrow(() -> ChartBuildException.metadata("chart version '" + version + "' is not a semantic version"));
        StringBuilder s = new StringBuilder().append(v.getMajor()).append('.').append(v.getMinor()).append('.').append(v.getPatch());
        if (!v.getPreRelease().isEmpty()) {
            s.append('-').append(String.join(".", v.getPreRelease()));
        }
        return s.append('+').append(metadata).toString();
    }

    // --- from a chart repository ---

    /** Turns a pulled archive into the build for {@code wantedName}. */
    public static Build fromRepository(byte[] archive, String wantedName, Options options) throws ChartBuildException {
        Chart chart;
        try {
            chart = Chart.fromArchive(archive, options.maxFileBytes());
        } catch (InvalidChartException e) {
            throw ChartBuildException.pull("failed to load chart '" + wantedName + "': " + e.getMessage());
        }
        if (!chart.name().equals(wantedName)) {
            throw ChartBuildException.pull("downloaded archive contains chart '" + chart.name() + "', not '" + wantedName + "'");
        }
        boolean repackage = !options.valuesFiles().isEmpty()
                || (options.versionMetadata() != null && !options.versionMetadata().isEmpty());
        if (!repackage) {
            return new Build(chart, false, List.of());
        }
        List<String> merged = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (String path : options.valuesFiles()) {
            String clean = Path.of(path).normalize().toString().replace('\\', '/');
            byte[] data;
            if (clean.equals(Chart.VALUES_FILE)) {
                data = chart.file(Chart.VALUES_FILE).orElse(new byte[0]);
            } else {
                Optional<byte[]> file = chart.file(clean);
                if (file.isEmpty()) {
                    if (options.ignoreMissingValuesFiles()) {
                        continue;
                    }
                    throw ChartBuildException.values("no values file found at path '" + path + "'");
                }
                data = file.get();
            }
            ValuesMerge.merge(values, ValuesMerge.parse(data, path));
            merged.add(path);
        }
        try {
            Chart result = chart;
            if (!options.valuesFiles().isEmpty()) {
                result = result.withValues(values);
            }
            result = result.withVersion(versionWithMetadata(chart.version(), options.versionMetadata()));
            return new Build(result, true, merged);
        } catch (InvalidChartException e) {
            throw ChartBuildException.metadata(e.getMessage());
        }
    }

    // --- from a source tree ---

    /** The chart directory {@code chartPath} inside {@code sourceRoot}, which must exist and stay inside. */
    public static Path chartDirectory(Path sourceRoot, String chartPath) throws ChartBuildException, IOException {
        Path root = sourceRoot.toRealPath();
        Path dir = root.resolve(chartPath.startsWith("/") ? chartPath.substring(1) : chartPath).normalize();
        if (!dir.startsWith(root)) {
            throw ChartBuildException.reference("chart path '" + chartPath + "' points outside the source");
        }
        if (!Files.isDirectory(dir)) {
            throw ChartBuildException.reference("path '" + chartPath + "' not found in the source artifact");
        }
        if (!dir.toRealPath().startsWith(root)) {
            throw ChartBuildException.reference("chart path '" + chartPath + "' links outside the source");
        }
        if (!Files.isRegularFile(dir.resolve(Chart.CHART_FILE))) {
            throw ChartBuildException.reference("no Chart.yaml in '" + chartPath + "': the path is not a chart directory");
        }
        return dir;
    }

    /** The version the chart at {@code chartDir} will have after the build, read from its Chart.yaml alone. */
    public static String localVersion(Path chartDir, String versionMetadata) throws ChartBuildException, IOException {
        Object doc = chartYaml(chartDir);
        Object version = doc instanceof Map<?, ?> m ? m.get("version") : null;
        if (version == null) {
            throw ChartBuildException.packaging("failed to load chart: validation: chart.metadata.version is required");
        }
        return versionWithMetadata(version.toString(), versionMetadata);
    }

    private static Object chartYaml(Path chartDir) throws ChartBuildException, IOException {
        try {
            return Chart.YAML.readValue(Files.readAllBytes(chartDir.resolve(Chart.CHART_FILE)), Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ChartBuildException.packaging("failed to load chart: cannot load Chart.yaml: " + Chart.firstLine(e.getMessage()));
        }
    }

    /** The chart name in the Chart.yaml of {@code chartDir}. */
    public static String localName(Path chartDir) throws ChartBuildException, IOException {
        Object doc = chartYaml(chartDir);
        Object name = doc instanceof Map<?, ?> m ? m.get("name") : null;
        if (name == null) {
            throw ChartBuildException.packaging("failed to load chart: validation: chart.metadata.name is required");
        }
        return name.toString();
    }

    /** Loads, merges values into, resolves dependencies of and packages the chart at {@code chartDir}. */
    public static Build fromDirectory(Path sourceRoot, Path chartDir, Options options, RemoteDependencies remote)
            throws ChartBuildException, IOException {
        Chart chart;
        try {
            chart = Chart.fromDirectory(chartDir, sourceRoot, options.maxFileBytes());
        } catch (InvalidChartException e) {
            throw ChartBuildException.packaging("failed to load chart: " + e.getMessage());
        }
        List<String> merged = new ArrayList<>();
        if (!options.valuesFiles().isEmpty()) {
            Path root = sourceRoot.toRealPath();
            Map<String, Object> values = new LinkedHashMap<>();
            for (String path : options.valuesFiles()) {
                Path file = root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
                if (!file.startsWith(root) || (Files.exists(file) && !file.toRealPath().startsWith(root))) {
                    throw ChartBuildException.values("values file '" + path + "' points outside the source");
                }
                if (!Files.isRegularFile(file)) {
                    if (options.ignoreMissingValuesFiles()) {
                        continue;
                    }
                    throw ChartBuildException.values("no values file found at path '" + path + "'");
                }
                if (Files.size(file) > options.maxFileBytes()) {
                    throw ChartBuildException.values("values file '" + path + "' is larger than the limit of " + options.maxFileBytes() + " bytes");
                }
                ValuesMerge.merge(values, ValuesMerge.parse(Files.readAllBytes(file), path));
                merged.add(path);
            }
            chart = chart.withValues(values);
        }
        chart = chart.withFiles(ChartDependencies.resolve(chart, chartDir, sourceRoot.toRealPath(), options.maxFileBytes(), remote));
        try {
            chart = chart.withVersion(versionWithMetadata(chart.version(), options.versionMetadata()));
        } catch (InvalidChartException e) {
            throw ChartBuildException.metadata(e.getMessage());
        }
        return new Build(chart, true, merged);
    }
}
