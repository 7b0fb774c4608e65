package io.currents.source.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.semver4j.Semver;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Helm repository index ({@code index.yaml}): chart names to their versions, each with the URLs
 * its archive is downloaded from. Loading validates it the way Helm does: the document must be a
 * mapping with an {@code apiVersion}; versions that are not semantic versions are left out.
 */
public final class HelmIndex {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One version of a chart as the index lists it. */
    public record ChartVersion(String name, String version, Semver semver, List<String> urls, String digest,
                               OffsetDateTime created) {
    }

    private final Map<String, List<ChartVersion>> entries;

    private HelmIndex(Map<String, List<ChartVersion>> entries) {
        this.entries = entries;
    }

    /** Thrown when the bytes are not a Helm repository index. */
    public static final class InvalidIndexException extends Exception {
        InvalidIndexException(String message) {
            super(message);
        }
    }

    public static HelmIndex parse(byte[] yaml) throws InvalidIndexException {
        Object doc;
        try {
            doc = YAML.readValue(yaml, Object.class);
        } catch (IOException e) {
            throw new InvalidIndexException("error unmarshaling index: " + firstLine(e.getMessage()));
        }
        if (!(doc instanceof Map<?, ?> root)) {
            throw new InvalidIndexException("index is not a YAML mapping");
        }
        Object apiVersion = root.get("apiVersion");
        if (apiVersion == null || apiVersion.toString().isBlank()) {
            throw new InvalidIndexException("no API version specified");
        }
        Map<String, List<ChartVersion>> entries = new LinkedHashMap<>();
        Object rawEntries = root.get("entries");
        if (rawEntries != null && !(rawEntries instanceof Map)) {
            throw new InvalidIndexException("'entries' is not a mapping of chart names to versions");
        }
        if (rawEntries instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                List<ChartVersion> versions = new ArrayList<>();
                if (e.getValue() instanceof List<?> list) {
                    for (Object item : list) {
                        if (item instanceof Map<?, ?> cv) {
                            chartVersion(name, cv).ifPresent(versions::add);
                        }
                    }
                }
                entries.put(name, versions);
            }
        }
        return new HelmIndex(entries);
    }

    private static Optional<ChartVersion> chartVersion(String name, Map<?, ?> cv) {
        Object version = cv.get("version");
        if (version == null) {
            return Optional.empty();
        }
        Optional<Semver> semver = ChartVersions.parse(version.toString());
        if (semver.isEmpty()) {
            return Optional.empty();
        }
        List<String> urls = new ArrayList<>();
        if (cv.get("urls") instanceof List<?> list) {
            list.forEach(u -> urls.add(String.valueOf(u)));
        }
        OffsetDateTime created = null;
        if (cv.get("created") != null) {
            try {
                created = OffsetDateTime.parse(cv.get("created").toString());
            } catch (DateTimeParseException ignored) {
                // Helm tolerates odd timestamps; they only break ties between equal versions
            }
        }
        return Optional.of(new ChartVersion(name, version.toString(), semver.get(), urls,
                cv.get("digest") == null ? null : cv.get("digest").toString(), created));
    }

    /** Number of chart versions listed. */
    public int size() {
        return entries.values().stream().mapToInt(List::size).sum();
    }

    public boolean hasChart(String name) {
        return entries.containsKey(name);
    }

    /**
     * The version of chart {@code name} Flux would pick for {@code range}: an exact match of the
     * version string first, otherwise the highest version the range admits (newest {@code created}
     * on a tie).
     *
     * @throws ChartBuildException InvalidChartReference when the chart or a matching version is missing
     */
    public ChartVersion select(String name, String range) throws ChartBuildException {
        List<ChartVersion> versions = entries.get(name);
        if (versions == null || versions.isEmpty()) {
            throw ChartBuildException.reference("no chart name found: chart '" + name + "' is not in the repository index");
        }
        String wanted = range == null || range.isBlank() ? "*" : range.trim();
        for (ChartVersion cv : versions) {
            if (cv.version().equals(wanted)) {
                return cv;
            }
        }
        ChartVersions.Constraint constraint;
        try {
            constraint = ChartVersions.constraint(wanted);
        } catch (IllegalArgumentException e) {
            throw ChartBuildException.reference("invalid version range '" + wanted + "': " + e.getMessage());
        }
        Comparator<ChartVersion> order = Comparator.comparing(ChartVersion::semver)
                .thenComparing(cv -> cv.created() == null ? OffsetDateTime.MIN : cv.created());
        return versions.stream()
                .filter(cv -> constraint.matches(cv.semver()))
                .max(order)
                .orElseThrow(() -> ChartBuildException.reference("no '" + name + "' chart with version matching '" + wanted + "' found"));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
