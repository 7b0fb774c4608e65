package io.currents.helm.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.semver4j.Semver;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A chart from an OCIRepository carries its artifact's digest in its version, as Flux's helm-controller does it: the
 * revision {@code <tag>@sha256:<hex>} must name the chart's version, and the version released is
 * {@code <version>+<first 12 hex of the digest>}, so that a tag pushed again with other content upgrades the release.
 */
record OciChartVersion(String version, String digest) {

    static final String CHART_MUTATE_ERROR = "ChartMutateError";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The version to release for a chart of {@code chartVersion} from an OCIRepository artifact of {@code revision}. */
    static OciChartVersion of(String chartVersion, String revision) throws IOException {
        Semver version = Semver.parse(chartVersion.replaceFirst("^v", ""));
        if (version == null) {
            throw new IOException("chart version '" + chartVersion + "' is not a semantic version");
        }
        String digest = revision;
        int at = revision.indexOf('@');
        if (at >= 0) {
            String tag = revision.substring(0, at).replace('_', '+');
            Semver tagVersion = Semver.parse(tag.replaceFirst("^v", ""));
            if (tagVersion == null) {
                throw new IOException("failed parsing artifact revision " + revision.substring(0, at));
            }
            if (!tagVersion.isEquivalentTo(version)) {
                throw new IOException("artifact revision " + revision.substring(0, at) + " does not match chart version " + chartVersion);
            }
            digest = revision.substring(at + 1);
        }
        int colon = digest.indexOf(':');
        if (colon < 0 || digest.length() - colon - 1 < 12) {
            throw new IOException("invalid artifact revision " + revision);
        }
        String base = chartVersion.split("\\+", 2)[0];
        return new OciChartVersion(base + "+" + digest.substring(colon + 1, colon + 13), digest);
    }

    /** Rewrites the {@code version} of the packaged chart's Chart.yaml in {@code tgz}, in place. */
    void applyTo(Path tgz) throws IOException {
        Path rewritten = tgz.resolveSibling(tgz.getFileName() + ".versioned");
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)));
             TarArchiveInputStream tar = new TarArchiveInputStream(in);
             OutputStream file = Files.newOutputStream(rewritten);
             TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(file))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName().replaceFirst("^(\\./)+", "");
                String[] parts = name.split("/");
                if (parts.length == 2 && parts[1].equals("Chart.yaml") && entry.isFile()) {
                    ObjectNode chart = (ObjectNode) YAML.readTree(tar.readNBytes(1024 * 1024));
                    chart.put("version", version);
                    byte[] content = YAML.writeValueAsBytes(chart);
                    TarArchiveEntry replaced = new TarArchiveEntry(entry.getName());
                    replaced.setMode(entry.getMode());
                    replaced.setSize(content.length);
                    out.putArchiveEntry(replaced);
                    out.write(content);
                } else {
                    out.putArchiveEntry(entry);
                    if (entry.isFile()) {
                        tar.transferTo(out);
                    }
                }
                out.closeArchiveEntry();
            }
        }
        Files.move(rewritten, tgz, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
