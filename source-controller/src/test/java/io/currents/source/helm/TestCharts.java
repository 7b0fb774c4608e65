package io.currents.source.helm;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Builds chart archives and repository indexes for tests, the way {@code helm package} and {@code helm repo index} lay them out. */
public final class TestCharts {

    private TestCharts() {
    }

    /** A packaged chart: {@code <name>/Chart.yaml}, a values.yaml and a template, plus {@code extra} files (paths relative to the chart). */
    public static byte[] chart(String name, String version, Map<String, String> extra) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + "/Chart.yaml", "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
        files.put(name + "/values.yaml", "replicas: 1\nimage:\n  tag: \"" + version + "\"\n");
        files.put(name + "/templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n");
        extra.forEach((k, v) -> files.put(name + "/" + k, v));
        return tgz(files);
    }

    /** A tar.gz of exactly these entries (names as given, so tests can build malicious archives). */
    public static byte[] tgz(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] data = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                entry.setSize(data.length);
                entry.setMode(0100644);
                tar.putArchiveEntry(entry);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Entry names and contents of a tar.gz. */
    public static Map<String, String> entries(byte[] tgz) {
        Map<String, String> files = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** An index.yaml listing {@code versions} (chart name to versions) with relative URLs {@code <name>-<version>.tgz}. */
    public static String index(Map<String, java.util.List<String>> versions) {
        StringBuilder s = new StringBuilder("apiVersion: v1\nentries:\n");
        versions.forEach((name, list) -> {
            s.append("  ").append(name).append(":\n");
            for (String v : list) {
                s.append("  - apiVersion: v2\n    name: ").append(name).append("\n    version: ").append(v)
                        .append("\n    created: \"2024-01-01T00:00:00Z\"\n    urls:\n    - ").append(name).append('-').append(v).append(".tgz\n");
            }
        });
        return s.append("generated: \"2024-01-01T00:00:00Z\"\n").toString();
    }
}
