package io.currents.source.helm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.semver4j.Semver;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** No limit on the document's length here: the callers bound what they read (SnakeYAML's default is 3 MB). */
    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .loaderOptions(unlimited()).build());

    private static LoaderOptions unlimited() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        return options;
    }

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

    private static final int CACHED = 4;
    private static final Map<String, SoftReference<HelmIndex>> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SoftReference<HelmIndex>> eldest) {
            return size() > CACHED;
        }
    };

    /**
     * The index stored in {@code file}, whose artifact digest is {@code digest}: parsed once per digest (one index
     * revision), then served from memory to every HelmChart of that repository while the JVM has room for it (the
     * last {@value #CACHED} indexes, softly held).
     */
    public static HelmIndex load(Path file, String digest) throws InvalidIndexException, IOException {
        if (digest != null) {
            synchronized (CACHE) {
                SoftReference<HelmIndex> cached = CACHE.get(digest);
                HelmIndex index = cached == null ? null : cached.get();
                if (index != null) {
                    return index;
                }
            }
        }
        HelmIndex index;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            index = parse(in);
        }
        remember(digest, index);
        return index;
    }

    /**
     * Keeps {@code index} as the parsed form of the stored artifact with {@code digest}, so that the HelmCharts of a
     * HelmRepository that has just validated and stored it do not parse it again.
     */
    public static void remember(String digest, HelmIndex index) {
        if (digest != null) {
            synchronized (CACHE) {
                CACHE.put(digest, new SoftReference<>(index));
            }
        }
    }

    public static HelmIndex parse(byte[] yaml) throws InvalidIndexException {
        return parse(new ByteArrayInputStream(yaml));
    }

    /**
     * Reads an index as a stream of YAML events: only the fields of each chart version this class keeps are held, one
     * version at a time, never the whole document as a tree, so a 100 MB index parses within a small heap
     * ({@code HelmIndexTest}). The document may be as large as the stream gives (the callers bound it:
     * {@code helm-index-max-size}).
     */
    public static HelmIndex parse(InputStream yaml) throws InvalidIndexException {
        try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidIndexException("index is not a YAML mapping");
            }
            boolean apiVersion = false;
            Map<String, List<ChartVersion>> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("apiVersion".equals(field)) {
                    apiVersion = value != JsonToken.VALUE_NULL && (!value.isScalarValue() || !parser.getText().isBlank());
                    parser.skipChildren();
                } else if ("entries".equals(field)) {
                    entries.clear();
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.START_OBJECT) {
                        throw new InvalidIndexException("'entries' is not a mapping of chart names to versions");
                    }
                    readEntries(parser, entries);
                } else {
                    parser.skipChildren();
                }
            }
            if (!apiVersion) {
                throw new InvalidIndexException("no API version specified");
            }
            return new HelmIndex(entries);
        } catch (IOException e) {
            throw new InvalidIndexException("error unmarshaling index: " + firstLine(e.getMessage()));
        }
    }

    /** The chart names of {@code entries} and their versions, the parser on the mapping's start. */
    private static void readEntries(JsonParser parser, Map<String, List<ChartVersion>> entries) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            List<ChartVersion> versions = new ArrayList<>();
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() == JsonToken.START_OBJECT) {
                        Map<?, ?> cv = YAML.readValue(parser, Map.class);
                        chartVersion(name, cv).ifPresent(versions::add);
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
            entries.put(name, versions);
        }
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
