package io.currents.source.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.currents.runtime.artifact.LimitedInputStream;
import io.currents.runtime.artifact.SourceIgnore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Helm chart held in memory: its files relative to the chart root and its {@code Chart.yaml}
 * metadata, validated as Helm validates a chart on load. Loaded from a packaged {@code .tgz} (entries
 * under one top directory; no links, no {@code ..}, no absolute names, each file within a size limit)
 * or from a directory (honouring {@code .helmignore}); written back as a package whose entries are
 * {@code <name>/...}. A chart nobody changed keeps its original archive bytes.
 */
public final class Chart {

    public static final String CHART_FILE = "Chart.yaml";
    public static final String VALUES_FILE = "values.yaml";
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Helm's bound on what a chart archive may expand to in all (MaxDecompressedChartSize, 100 MiB). */
    public static final long MAX_DECOMPRESSED_BYTES = 100L * 1024 * 1024;
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final TreeMap<String, byte[]> files;
    private final Map<String, Object> metadata;
    private final byte[] originalArchive;

    private Chart(TreeMap<String, byte[]> files, Map<String, Object> metadata, byte[] originalArchive) {
        this.files = files;
        this.metadata = metadata;
        this.originalArchive = originalArchive;
    }

    /** The chart is malformed or unsafe; the message says what and where. */
    public static final class InvalidChartException extends Exception {
        public InvalidChartException(String message) {
            super(message);
        }
    }

    public String name() {
        return String.valueOf(metadata.get("name"));
    }

    public String version() {
        return String.valueOf(metadata.get("version"));
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    /** File paths relative to the chart root, sorted. */
    public List<String> paths() {
        return new ArrayList<>(files.keySet());
    }

    public Optional<byte[]> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** Whether this chart still is the archive it was loaded from. */
    public boolean unchangedArchive() {
        return originalArchive != null;
    }

    // --- loading ---

    /**
     * Loads a packaged chart, refusing unsafe entries, files over {@code maxFileBytes} and an archive that expands to
     * more than {@link #MAX_DECOMPRESSED_BYTES} in all (Helm's MaxDecompressedChartSize): a repository's chart is
     * the tenant's input, and a few kilobytes of gzip can expand without end.
     */
    public static Chart fromArchive(byte[] tgz, long maxFileBytes) throws InvalidChartException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new LimitedInputStream(
                new GzipCompressorInputStream(new ByteArrayInputStream(tgz)), MAX_DECOMPRESSED_BYTES, "the chart archive"))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                String rel = relativeEntryName(name);
                if (entry.isDirectory()) {
                    continue;
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new InvalidChartException("chart archive entry '" + name + "' is a link; links are not allowed in a chart");
                }
                if (!entry.isFile()) {
                    throw new InvalidChartException("chart archive entry '" + name + "' is not a regular file");
                }
                if (rel.isEmpty()) {
                    continue;
                }
                if (entry.getSize() > maxFileBytes) {
                    throw new InvalidChartException("file '" + rel + "' in the chart is larger than the limit of " + maxFileBytes + " bytes");
                }
                byte[] data = readLimited(tar, maxFileBytes, rel);
                files.put(rel, data);
            }
        } catch (InvalidChartException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidChartException("not a valid chart archive: " + e.getMessage());
        }
        return new Chart(files, validate(files), tgz);
    }

    private static String relativeEntryName(String name) throws InvalidChartException {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || n.matches("^[A-Za-z]:/.*")) {
            throw new InvalidChartException("chart archive entry '" + name + "' has an absolute path");
        }
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        String[] parts = n.split("/");
        for (String part : parts) {
            if (part.equals("..")) {
                throw new InvalidChartException("chart archive entry '" + name + "' points outside the chart directory");
            }
        }
        int slash = n.indexOf('/');
        if (slash < 0) {
            return "";
        }
        String rel = n.substring(slash + 1).replaceAll("/+", "/");
        while (rel.startsWith("./")) {
            rel = rel.substring(2);
        }
        return rel.endsWith("/") ? rel.substring(0, rel.length() - 1) : rel;
    }

    private static byte[] readLimited(InputStream in, long max, String name) throws IOException, InvalidChartException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > max) {
                throw new InvalidChartException("file '" + name + "' in the chart is larger than the limit of " + max + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Loads the chart in {@code dir}; every file must resolve inside {@code boundary} (symlinks are
     * followed only within it). {@code .helmignore} patterns leave files out.
     */
    public static Chart fromDirectory(Path dir, Path boundary, long maxFileBytes) throws InvalidChartException, IOException {
        Path root = dir.toRealPath();
        Path limit = boundary.toRealPath();
        if (!root.startsWith(limit)) {
            throw new InvalidChartException("chart path '" + dir + "' points outside the source");
        }
        Path ignoreFile = root.resolve(".helmignore");
        SourceIgnore ignore = SourceIgnore.ofPatterns(Files.isRegularFile(ignoreFile) ? Files.readString(ignoreFile) : null);
        TreeMap<String, byte[]> files = new TreeMap<>();
        collect(root, root, limit, ignore, maxFileBytes, files, 0);
        return new Chart(files, validate(files), null);
    }

    private static void collect(Path root, Path dir, Path limit, SourceIgnore ignore, long maxFileBytes,
                                TreeMap<String, byte[]> files, int depth) throws IOException, InvalidChartException {
        if (depth > 64) {
            throw new InvalidChartException("chart directory nesting is too deep at '" + root.relativize(dir) + "'");
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String rel = root.relativize(child).toString().replace('\\', '/');
            if (rel.equals(".git") || rel.startsWith(".git/")) {
                continue;
            }
            Path real = child.toRealPath();
            if (!real.startsWith(limit)) {
                throw new InvalidChartException("chart file '" + rel + "' links outside the source");
            }
            boolean directory = Files.isDirectory(real);
            if (ignore.isIgnored(rel, directory)) {
                continue;
            }
            if (directory) {
                if (Files.isSymbolicLink(child)) {
                    throw new InvalidChartException("chart directory '" + rel + "' is a symlink; only files may be linked");
                }
                collect(root, child, limit, ignore, maxFileBytes, files, depth + 1);
            } else if (Files.isRegularFile(real)) {
                if (Files.size(real) > maxFileBytes) {
                    throw new InvalidChartException("file '" + rel + "' in the chart is larger than the limit of " + maxFileBytes + " bytes");
                }
                files.put(rel, Files.readAllBytes(real));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> validate(Map<String, byte[]> files) throws InvalidChartException {
        byte[] chartYaml = files.get(CHART_FILE);
        if (chartYaml == null) {
            throw new InvalidChartException("Chart.yaml file is missing");
        }
        Object doc;
        try {
            doc = YAML.readValue(chartYaml, Object.class);
        } catch (IOException e) {
            throw new InvalidChartException("cannot load Chart.yaml: " + firstLine(e.getMessage()));
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new InvalidChartException("cannot load Chart.yaml: not a YAML mapping");
        }
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) map);
        Object name = metadata.get("name");
        if (name == null || name.toString().isBlank()) {
            throw new InvalidChartException("validation: chart.metadata.name is required");
        }
        if (!VALID_NAME.matcher(name.toString()).matches()) {
            throw new InvalidChartException("validation: chart.metadata.name \"" + name + "\" is invalid");
        }
        Object version = metadata.get("version");
        if (version == null || version.toString().isBlank()) {
            throw new InvalidChartException("validation: chart.metadata.version is required");
        }
        if (ChartVersions.parse(version.toString()).isEmpty()) {
            throw new InvalidChartException("validation: chart.metadata.version \"" + version + "\" is invalid");
        }
        metadata.put("name", name.toString());
        metadata.put("version", version.toString());
        return metadata;
    }

    // --- changes ---

    /** This chart with {@code version} in its metadata (and Chart.yaml). */
    public Chart withVersion(String version) throws InvalidChartException {
        if (version.equals(version())) {
            return this;
        }
        Map<String, Object> md = new LinkedHashMap<>(metadata);
        md.put("version", version);
        TreeMap<String, byte[]> copy = new TreeMap<>(files);
        copy.put(CHART_FILE, yaml(md));
        return new Chart(copy, validate(copy), null);
    }

    /** This chart with {@code values} as its values.yaml. */
    public Chart withValues(Map<String, Object> values) {
        TreeMap<String, byte[]> copy = new TreeMap<>(files);
        copy.put(VALUES_FILE, yaml(values));
        return new Chart(copy, metadata, null);
    }

    /** This chart with more files (e.g. resolved dependencies under {@code charts/}). */
    public Chart withFiles(Map<String, byte[]> added) {
        if (added.isEmpty()) {
            return this;
        }
        TreeMap<String, byte[]> copy = new TreeMap<>(files);
        copy.putAll(added);
        return new Chart(copy, metadata, null);
    }

    /** The chart's dependencies as declared in Chart.yaml (or requirements.yaml for apiVersion v1 charts). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> dependencies() {
        Object deps = metadata.get("dependencies");
        if (deps == null && files.containsKey("requirements.yaml")) {
            try {
                Object req = YAML.readValue(files.get("requirements.yaml"), Object.class);
                if (req instanceof Map<?, ?> m) {
                    deps = m.get("dependencies");
                }
            } catch (IOException ignored) {
                deps = null;
            }
        }
        List<Map<String, Object>> result = new ArrayList<>();
        if (deps instanceof List<?> list) {
            for (Object d : list) {
                if (d instanceof Map<?, ?> m) {
                    result.add((Map<String, Object>) m);
                }
            }
        }
        return result;
    }

    /** The merged values of values.yaml, or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> values() throws InvalidChartException {
        byte[] v = files.get(VALUES_FILE);
        if (v == null || v.length == 0) {
            return new LinkedHashMap<>();
        }
        try {
            Object doc = YAML.readValue(v, Object.class);
            return doc instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        } catch (IOException e) {
            throw new InvalidChartException("cannot parse values.yaml: " + firstLine(e.getMessage()));
        }
    }

    /** Every file of this chart with {@code prefix} prepended, e.g. to embed it under {@code charts/<name>/}. */
    public Map<String, byte[]> filesUnder(String prefix) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    // --- packaging ---

    /** Writes the chart package: the original archive if unchanged, otherwise a new {@code <name>/...} tgz. */
    public void writeArchive(OutputStream out) throws IOException {
        if (originalArchive != null) {
            out.write(originalArchive);
            return;
        }
        out.write(packageBytes());
    }

    /** A freshly written package of the chart (Chart.yaml first, then the other files in order). */
    public byte[] packageBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GzipParameters gzip = new GzipParameters();
        gzip.setModificationTime(0);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes, gzip))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            List<String> order = new ArrayList<>();
            order.add(CHART_FILE);
            files.keySet().stream().filter(k -> !k.equals(CHART_FILE)).forEach(order::add);
            for (String path : order) {
                byte[] data = files.get(path);
                TarArchiveEntry entry = new TarArchiveEntry(name() + "/" + path);
                entry.setSize(data.length);
                entry.setMode(0100644);
                entry.setModTime(new Date(0));
                tar.putArchiveEntry(entry);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] yaml(Object value) {
        try {
            return YAML.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    @Override
    public String toString() {
        return name() + "-" + version() + " (" + files.size() + " files)";
    }
}
