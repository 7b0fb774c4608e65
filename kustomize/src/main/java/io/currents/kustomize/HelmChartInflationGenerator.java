package io.currents.kustomize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kustomize's HelmChartInflationGenerator: {@code helmCharts} (and the legacy
 * {@code helmChartInflationGenerator}) rendered through a {@link ChartInflator}: charts found under the
 * chart home or pulled there, values written to a temporary file (the chart's values file, with
 * {@code valuesInline} merged over it, under it, or instead of it per {@code valuesMerge}), the output
 * read as objects. Off unless the build enables Helm, as in kustomize.
 */
final class HelmChartInflationGenerator implements BuiltinPlugin.Generator {
    static final GoStruct.Struct SCHEMA = new GoStruct.Struct("builtins.HelmChartInflationGeneratorPlugin")
            .inline(KustomizationSchema.HELM_GLOBALS).inline(KustomizationSchema.HELM_CHART);

    private Map<String, Object> c;
    private BuiltinPlugin.PluginHelpers h;
    private final List<Path> additionalValues = new ArrayList<>();

    @Override
    public void configure(BuiltinPlugin.PluginHelpers helpers, Map<String, Object> config) {
        Kustomizer.Helm helm = helpers.options().helm();
        if (helm == null) {
            throw new KustomizeException("must specify --enable-helm");
        }
        h = helpers;
        c = new LinkedHashMap<>(BuiltinPlugin.decode(config, SCHEMA));
        // the build's Helm settings apply where the chart entry leaves a field empty: kustomize sets them, then
        // decodes the entry over them, and the entry was written without empty fields (omitempty)
        if (helm.kubeVersion() != null && !helm.kubeVersion().isEmpty() && BuiltinPlugin.str(c, "kubeVersion").isEmpty()) {
            c.put("kubeVersion", helm.kubeVersion());
        }
        if (!helm.apiVersions().isEmpty() && !(c.get("apiVersions") instanceof List<?> l && !l.isEmpty())) {
            c.put("apiVersions", new ArrayList<Object>(helm.apiVersions()));
        }
        if (helm.debug() && !Boolean.TRUE.equals(c.get("debug"))) {
            c.put("debug", true);
        }
        if (BuiltinPlugin.str(c, "name").isEmpty()) {
            throw new KustomizeException("chart name cannot be empty");
        }
        if (BuiltinPlugin.str(c, "chartHome").isEmpty()) {
            c.put("chartHome", "charts");
        }
        for (String f : BuiltinPlugin.strings(c, "additionalValuesFiles")) {
            try {
                h.ldr().read(f);
            } catch (KustomizeException e) {
                throw new KustomizeException("could not load additionalValuesFile: " + e.getMessage(), e);
            }
            additionalValues.add(h.ldr().root.resolve(f));
        }
        String merge = BuiltinPlugin.str(c, "valuesMerge");
        if (merge.isEmpty()) {
            c.put("valuesMerge", "override");
        } else if (!List.of("merge", "override", "replace").contains(merge)) {
            throw new KustomizeException("valuesMerge must be one of [merge override replace]");
        }
    }

    private Path absChartHome() {
        String home = BuiltinPlugin.str(c, "chartHome");
        Path p = Path.of(home).isAbsolute() ? Path.of(home) : h.ldr().root.resolve(home).normalize();
        String version = BuiltinPlugin.str(c, "version");
        if (!version.isEmpty() && !BuiltinPlugin.str(c, "repo").isEmpty()) {
            p = p.resolve(BuiltinPlugin.str(c, "name") + "-" + version);
        }
        return p;
    }

    /** The values file as kustomize loads it: the given one, else the chart's values.yaml; through the loader. */
    private String valuesFilePath() {
        String v = BuiltinPlugin.str(c, "valuesFile");
        if (!v.isEmpty()) {
            return v;
        }
        return absChartHome().resolve(BuiltinPlugin.str(c, "name")).resolve("values.yaml").toString();
    }

    @Override
    public List<Resource> generate() {
        ChartInflator inflator = h.options().helm().inflator();
        String version = inflator.version();
        String v = version.startsWith("v") ? version.substring(1) : version;
        if (!v.startsWith("3.")) {
            throw new KustomizeException("this plugin requires helm V3 but got v" + v);
        }
        String name = BuiltinPlugin.str(c, "name");
        String repo = BuiltinPlugin.str(c, "repo");
        Path chartDir = absChartHome().resolve(name);
        if (!Files.isDirectory(chartDir)) {
            if (repo.isEmpty()) {
                throw new KustomizeException("no repo specified for pull, no chart found at ''");
            }
            inflator.pull(new ChartInflator.PullRequest(name, repo, BuiltinPlugin.str(c, "version").isEmpty() ? null
                    : BuiltinPlugin.str(c, "version"), absChartHome(), configHome()));
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("kustomize-helm-");
            Path values = tmp.resolve(name + "-kustomize-values.yaml");
            Map<String, Object> inline = Nodes.asMap(c.get("valuesInline"));
            if (inline != null && !inline.isEmpty()) {
                Files.writeString(values, mergedValues(inline), StandardCharsets.UTF_8);
            } else {
                Files.write(values, h.ldr().readBytes(valuesFilePath()));
            }
            List<Path> valueFiles = new ArrayList<>();
            valueFiles.add(values);
            valueFiles.addAll(additionalValues);
            String releaseName = BuiltinPlugin.str(c, "releaseName");
            String out = inflator.template(new ChartInflator.TemplateRequest(
                    releaseName.isEmpty() ? null : releaseName, chartDir,
                    emptyToNull(BuiltinPlugin.str(c, "namespace")), emptyToNull(BuiltinPlugin.str(c, "nameTemplate")),
                    valueFiles, BuiltinPlugin.strings(c, "apiVersions"), emptyToNull(BuiltinPlugin.str(c, "kubeVersion")),
                    BuiltinPlugin.bool(c, "includeCRDs"), BuiltinPlugin.bool(c, "skipTests"),
                    BuiltinPlugin.bool(c, "skipHooks"), BuiltinPlugin.bool(c, "debug"), configHome()));
            return parseOutput(out);
        } catch (IOException e) {
            throw new KustomizeException("helm chart " + name + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** kustomize hands {@code configHome} to helm as it is written, not through the loader: it may be anywhere. */
    private Path configHome() {
        String home = BuiltinPlugin.str(c, "configHome");
        return home.isEmpty() ? null : Path.of(home);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /**
     * The values kustomize writes with valuesInline: for override the inline values merged over the
     * chart's values file, for merge the file's merged over the inline ones, for replace the inline only.
     */
    private String mergedValues(Map<String, Object> inline) {
        Map<String, Object> values = inline;
        String mode = BuiltinPlugin.str(c, "valuesMerge");
        if (mode.equals("merge") || mode.equals("override")) {
            Object fileValues = io.currents.kustomize.yaml.YamlReader.read(h.ldr().read(valuesFilePath()), false);
            Map<String, Object> chart = Nodes.asMap(fileValues);
            if (chart == null) {
                chart = new LinkedHashMap<>();
            }
            Map<String, Object> in = Nodes.copyMap(inline);
            Map<String, Object> merged = mode.equals("override")
                    ? StrategicMerge.merge(Nodes.copyMap(chart), in)
                    : StrategicMerge.merge(in, Nodes.copyMap(chart));
            values = merged == null ? new LinkedHashMap<>() : merged;
        }
        return io.currents.kustomize.yaml.YamlWriter.toYaml(values);
    }

    /** The rendered stream as objects (kustomize's NewResMapFromBytes, else the objects without checks). */
    private static List<Resource> parseOutput(String out) {
        try {
            return ResourceFactory.sliceFromBytes(out, "helm template output");
        } catch (KustomizeException e) {
            List<Resource> rs = new ArrayList<>();
            for (Object d : io.currents.kustomize.yaml.YamlReader.readAll(out)) {
                Map<String, Object> m = Nodes.asMap(d);
                if (m != null && !m.isEmpty()) {
                    rs.add(new Resource(m));
                }
            }
            if (rs.isEmpty()) {
                throw new KustomizeException("could not parse bytes into resource map: " + e.getMessage(), e);
            }
            return rs;
        }
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
    /** kustomize's SplitHelmParameters: the legacy {@code helmChartInflationGenerator} entries become helmCharts. */
    @SuppressWarnings("unchecked")
    static void fixLegacyArgs(Map<String, Object> raw) {
        List<Object> old = (List<Object>) raw.remove("helmChartInflationGenerator");
        if (old == null || old.isEmpty()) {
            return;
        }
        List<Object> charts = new ArrayList<>(raw.get("helmCharts") == null ? List.of() : (List<Object>) raw.get("helmCharts"));
        String configHome = "";
        String chartHome = "";
        for (Object o : old) {
            Map<String, Object> a = Nodes.asMap(o);
            Map<String, Object> c = new LinkedHashMap<>();
            copy(a, "chartName", c, "name");
            copy(a, "chartVersion", c, "version");
            copy(a, "chartRepoUrl", c, "repo");
            copy(a, "values", c, "valuesFile");
            copy(a, "valuesLocal", c, "valuesInline");
            copy(a, "valuesMerge", c, "valuesMerge");
            copy(a, "releaseName", c, "releaseName");
            charts.add(c);
            if (a.get("helmHome") instanceof String s && !s.isEmpty()) {
                configHome = s;
            }
            if (a.get("chartHome") instanceof String s && !s.isEmpty()) {
                chartHome = s;
            }
        }
        raw.put("helmCharts", charts);
        if (raw.get("helmGlobals") == null && (!chartHome.isEmpty() || !configHome.isEmpty())) {
            Map<String, Object> g = new LinkedHashMap<>();
            if (!chartHome.isEmpty()) {
                g.put("chartHome", chartHome);
            }
            if (!configHome.isEmpty()) {
                g.put("configHome", configHome);
            }
            raw.put("helmGlobals", g);
        }
    }

    private static void copy(Map<String, Object> from, String fk, Map<String, Object> to, String tk) {
        Object v = from.get(fk);
        if (v != null && !"".equals(v)) {
            to.put(tk, v);
        }
    }
}
