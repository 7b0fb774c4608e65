package io.currents.source.helm;

import io.currents.source.helm.Chart.InvalidChartException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the dependencies a chart declares but does not carry in {@code charts/}, as Flux's
 * dependency manager does: {@code file://} paths are loaded from the source tree (and must stay in it),
 * chart repository and {@code oci://} URLs are resolved by version range and downloaded; an alias
 * repository is an error naming the dependency.
 */
final class ChartDependencies {

    private ChartDependencies() {
    }

    static Map<String, byte[]> resolve(Chart chart, Path chartDir, Path sourceRoot, long maxFileBytes,
                                       ChartBuilder.RemoteDependencies remote) throws ChartBuildException, IOException {
        Map<String, byte[]> added = new LinkedHashMap<>();
        for (Map<String, Object> dep : chart.dependencies()) {
            String name = dep.get("name") == null ? "" : dep.get("name").toString();
            String version = dep.get("version") == null ? "" : dep.get("version").toString();
            String repository = dep.get("repository") == null ? "" : dep.get("repository").toString().trim();
            if (name.isBlank()) {
                throw ChartBuildException.dependency("a dependency of chart '" + chart.name() + "' has no name");
            }
            if (present(chart, name)) {
                continue;
            }
            if (repository.isEmpty() || repository.startsWith("file://")) {
                if (repository.isEmpty()) {
                    throw ChartBuildException.dependency("dependency '" + name + "' has no repository and is not in charts/");
                }
                Chart local = local(name, version, repository, chartDir, sourceRoot, maxFileBytes);
                added.putAll(local.filesUnder("charts/" + name + "/"));
            } else if (repository.startsWith("http://") || repository.startsWith("https://") || repository.startsWith("oci://")) {
                byte[] archive = remote.fetch(repository, name, version);
                Chart fetched;
                try {
                    fetched = Chart.fromArchive(archive, maxFileBytes);
                } catch (InvalidChartException e) {
                    throw ChartBuildException.dependency("dependency '" + name + "' from '" + repository + "': " + e.getMessage());
                }
                if (!fetched.name().equals(name)) {
                    throw ChartBuildException.dependency("dependency '" + name + "' from '" + repository
                            + "' downloaded chart '" + fetched.name() + "'");
                }
                added.put("charts/" + name + "-" + fetched.version() + ".tgz", archive);
            } else {
                throw ChartBuildException.dependency("dependency '" + name + "' uses repository '" + repository
                        + "': only http(s):// and oci:// chart repositories and file:// paths can be resolved; vendor it in charts/ instead");
            }
        }
        return added;
    }

    private static boolean present(Chart chart, String name) {
        for (String path : chart.paths()) {
            if (!path.startsWith("charts/")) {
                continue;
            }
            String rest = path.substring("charts/".length());
            if (rest.equals(name + "/" + Chart.CHART_FILE)) {
                return true;
            }
            if (!rest.contains("/") && rest.startsWith(name + "-") && rest.endsWith(".tgz")) {
                return true;
            }
        }
        return false;
    }

    private static Chart local(String name, String version, String repository, Path chartDir, Path sourceRoot,
                               long maxFileBytes) throws ChartBuildException, IOException {
        String rel = repository.substring("file://".length());
        Path dir = (rel.startsWith("/") ? sourceRoot.resolve(rel.substring(1)) : chartDir.resolve(rel)).normalize();
        if (!dir.startsWith(sourceRoot)) {
            throw ChartBuildException.dependency("dependency '" + name + "' path '" + repository + "' points outside the source");
        }
        if (!Files.isRegularFile(dir.resolve(Chart.CHART_FILE))) {
            throw ChartBuildException.dependency("dependency '" + name + "' has no chart at '" + repository + "'");
        }
        Chart local;
        try {
            local = Chart.fromDirectory(dir, sourceRoot, maxFileBytes);
        } catch (InvalidChartException e) {
            throw ChartBuildException.dependency("dependency '" + name + "' at '" + repository + "': " + e.getMessage());
        }
        if (!version.isBlank()) {
            Optional<org.semver4j.Semver> v = ChartVersions.parse(local.version());
            boolean ok;
            try {
                ok = v.isPresent() && (local.version().equals(version) || ChartVersions.constraint(version).matches(v.get()));
            } catch (IllegalArgumentException e) {
                throw ChartBuildException.dependency("dependency '" + name + "' has an invalid version range '" + version + "'");
            }
            if (!ok) {
                throw ChartBuildException.dependency("can't get a valid version for dependency '" + name + "': local chart has version '"
                        + local.version() + "', the range is '" + version + "'");
            }
        }
        return local;
    }

}
