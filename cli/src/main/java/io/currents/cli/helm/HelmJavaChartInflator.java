package io.currents.cli.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.currents.kustomize.ChartInflator;
import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code helm template} for the kustomize engine, through helm-java (Helm v3 as a library). helm-java's
 * template renders only the release manifest, so what {@code helm template} adds is done here: hooks and
 * tests (kept by rendering a copy of the chart whose hook annotation key is renamed, then named back;
 * {@code skipHooks}/{@code skipTests} drop them) and the chart's CRDs ({@code includeCRDs}).
 */
public final class HelmJavaChartInflator implements ChartInflator {
    private static final String HOOK = "helm.sh/hook";
    private static final String MARKER = "currents.kustomize.io/helm-hook";
    private static final long MAX_CHART_BYTES = 64L << 20;

    private final ChartPuller puller;

    public HelmJavaChartInflator(ChartPuller puller) {
        this.puller = puller;
    }

    @Override
    public String version() {
        try {
            return Helm.version().call().strip();
        } catch (RuntimeException e) {
            throw new KustomizeException("unable to run helm: " + e.getMessage(), e);
        }
    }

    @Override
    public void pull(PullRequest request) {
        puller.pull(request);
    }

    @Override
    public String template(TemplateRequest r) {
        if (!r.apiVersions().isEmpty()) {
            throw new KustomizeException("helmCharts apiVersions " + r.apiVersions() + ": the bundled Helm (helm-java) "
                    + "cannot set .Capabilities.APIVersions; render with a helm v3 program (--helm-command)");
        }
        if (r.nameTemplate() != null && r.releaseName() != null) {
            throw new KustomizeException("helm template: cannot set --name-template and also specify a name");
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("currents-helm-");
            Path chart = work.resolve(r.chartDir().getFileName().toString());
            copyChart(r.chartDir(), chart);
            TemplateCommand t = new Helm(chart).template().withName(releaseName(r));
            if (r.namespace() != null) {
                t = t.withNamespace(r.namespace());
            }
            if (r.kubeVersion() != null) {
                t = t.withKubeVersion(r.kubeVersion());
            }
            for (Path v : r.valuesFiles()) {
                t = t.withValuesFile(v);
            }
            if (r.debug()) {
                t = t.debug();
            }
            String out;
            try {
                out = t.call();
            } catch (RuntimeException e) {
                throw new KustomizeException("helm template " + r.chartDir().getFileName() + ": " + e.getMessage(), e);
            }
            StringBuilder sb = new StringBuilder();
            if (r.includeCrds()) {
                for (Path crd : crdFiles(chart)) {
                    sb.append("---\n# Source: ").append(chart.getParent().relativize(crd)).append('\n')
                            .append(Files.readString(crd, StandardCharsets.UTF_8)).append('\n');
                }
            }
            for (String doc : out.replace(MARKER, HOOK).split("(?m)^---\\s*$")) {
                if (doc.isBlank() || dropped(doc, r)) {
                    continue;
                }
                sb.append("---\n").append(doc.strip()).append('\n');
            }
            return sb.toString();
        } catch (IOException e) {
            throw new KustomizeException("helm template " + r.chartDir().getFileName() + ": " + e.getMessage(), e);
        } finally {
            if (work != null) {
                deleteTree(work);
            }
        }
    }

    /**
     * The release name as {@code helm template} picks it: the given one, the name template rendered, or (for
     * {@code --generate-name}) the chart directory's name up to its first dot followed by the Unix time.
     */
    private static String releaseName(TemplateRequest r) throws IOException {
        if (r.releaseName() != null) {
            return r.releaseName();
        }
        if (r.nameTemplate() != null) {
            return renderNameTemplate(r.nameTemplate());
        }
        String base = r.chartDir().getFileName() == null ? "chart" : r.chartDir().getFileName().toString();
        int dot = base.indexOf('.');
        if (dot >= 0) {
            base = base.substring(0, dot);
        }
        return (base.isEmpty() ? "chart" : base) + "-" + System.currentTimeMillis() / 1000;
    }

    /**
     * Renders a {@code nameTemplate} with Helm's template engine (sprig functions, no data) through a
     * one-template chart; the name comes back JSON-quoted so any text survives the YAML around it.
     * Unlike helm's CLI, Helm's chart engine has no {@code env}/{@code expandenv}, so a template cannot
     * read this process' environment.
     */
    private static String renderNameTemplate(String nameTemplate) throws IOException {
        Path work = Files.createTempDirectory("currents-helm-name-");
        Path chart = work.resolve("currents-name-template");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: currents-name-template\nversion: 0.0.0\n");
        Files.writeString(chart.resolve("templates/name.yaml"), "{{ define \"currents.name\" }}" + nameTemplate
                + "{{ end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: name-template\ndata:\n"
                + "  name: {{ include \"currents.name\" nil | toJson }}\n");
        String out;
        try {
            out = new Helm(chart).template().withName("name-template").call();
        } catch (RuntimeException e) {
            throw new KustomizeException("helm template: name template " + nameTemplate + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
        for (String doc : out.split("(?m)^---\\s*$")) {
            if (!doc.isBlank() && YamlReader.read(doc, false) instanceof Map<?, ?> m
                    && m.get("data") instanceof Map<?, ?> d && d.get("name") != null) {
                return String.valueOf(d.get("name"));
            }
        }
        throw new KustomizeException("helm template: name template " + nameTemplate + " rendered nothing");
    }

    /** Whether a rendered document is a hook (or a test) the request leaves out. */
    private static boolean dropped(String doc, TemplateRequest r) {
        if (!doc.contains(HOOK)) {
            return false;
        }
        Object hook;
        try {
            Object o = YamlReader.read(doc, false);
            hook = o instanceof Map<?, ?> m && m.get("metadata") instanceof Map<?, ?> md
                    && md.get("annotations") instanceof Map<?, ?> an ? an.get(HOOK) : null;
        } catch (YamlException e) {
            return false;
        }
        if (hook == null) {
            return false;
        }
        if (r.skipHooks()) {
            return true;
        }
        if (r.skipTests()) {
            for (String event : String.valueOf(hook).split(",")) {
                if (event.strip().equals("test") || event.strip().equals("test-success")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The chart's CRD files (crds/*.yaml|yml|json) and its subcharts', as Helm's CRDObjects orders them. */
    private static List<Path> crdFiles(Path chart) throws IOException {
        List<Path> out = new ArrayList<>();
        Path crds = chart.resolve("crds");
        if (Files.isDirectory(crds)) {
            try (Stream<Path> s = Files.walk(crds)) {
                s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(yaml|yml|json)$")).sorted()
                        .forEach(out::add);
            }
        }
        Path charts = chart.resolve("charts");
        if (Files.isDirectory(charts)) {
            try (Stream<Path> s = Files.list(charts)) {
                for (Path sub : s.filter(Files::isDirectory).sorted().toList()) {
                    out.addAll(crdFiles(sub));
                }
            }
        }
        return out;
    }

    /**
     * Copies the chart, unpacking packaged subcharts, and renames the hook annotation key in templates so
     * that Helm renders hooks into the manifest.
     */
    private static void copyChart(Path from, Path to) throws IOException {
        long[] total = {0};
        Path realRoot = from.toRealPath();
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path rel = from.relativize(p);
                if (rel.normalize().startsWith("..")) {
                    continue;
                }
                // Helm follows symbolic links inside a chart; one that leads out of it would hand any file of
                // this machine to the chart's templates (.Files.Get)
                if (Files.isSymbolicLink(p) && Files.exists(p) && !p.toRealPath().startsWith(realRoot)) {
                    throw new KustomizeException("chart " + from.getFileName() + ": '" + rel + "' links outside the chart");
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else if (Files.isRegularFile(p)) {
                    total[0] += Files.size(p);
                    if (total[0] > MAX_CHART_BYTES) {
                        throw new KustomizeException("chart " + from + " is larger than " + MAX_CHART_BYTES + " bytes");
                    }
                    if (rel.getNameCount() == 2 && rel.getName(0).toString().equals("charts")
                            && (p.toString().endsWith(".tgz") || p.toString().endsWith(".tar.gz"))) {
                        try (InputStream in = Files.newInputStream(p)) {
                            untar(in, to.resolve("charts"), MAX_CHART_BYTES);
                        }
                        continue;
                    }
                    if (isTemplate(rel)) {
                        String text = Files.readString(p, StandardCharsets.UTF_8);
                        Files.writeString(dest, text.replace(HOOK, MARKER), StandardCharsets.UTF_8);
                    } else {
                        Files.copy(p, dest);
                    }
                }
            }
        }
        // subcharts unpacked from archives have templates too
        Path charts = to.resolve("charts");
        if (Files.isDirectory(charts)) {
            try (Stream<Path> s = Files.walk(charts)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    if (isTemplate(to.relativize(p))) {
                        String text = Files.readString(p, StandardCharsets.UTF_8);
                        if (text.contains(HOOK)) {
                            Files.writeString(p, text.replace(HOOK, MARKER), StandardCharsets.UTF_8);
                        }
                    }
                }
            }
        }
    }

    private static boolean isTemplate(Path rel) {
        for (Path part : rel) {
            if (part.toString().equals("templates")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Unpacks a chart archive below dir, refusing paths that leave it and content over the limit. The JDK's gzip
     * reader, because Helm writes a gzip "extra" field that is not in the subfield layout stricter readers expect.
     */
    static void untar(InputStream in, Path dir, long maxBytes) throws IOException {
        long total = 0;
        Path root = dir.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path dest = root.resolve(e.getName()).normalize();
                if (!dest.startsWith(root)) {
                    throw new KustomizeException("chart archive entry '" + e.getName() + "' leaves its directory");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                    continue;
                }
                if (!e.isFile()) {
                    continue;
                }
                total += e.getSize();
                if (total > maxBytes) {
                    throw new KustomizeException("chart archive is larger than " + maxBytes + " bytes");
                }
                Files.createDirectories(dest.getParent());
                Files.copy(tar, dest);
            }
        }
    }

    /** Deletes a directory tree, ignoring what cannot be deleted. */
    public static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
