package io.currents.helm.controller;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.marcnuri.helm.Helm;
import io.currents.api.helm.v2.Filter;
import io.currents.api.helm.v2.HelmReleaseSpec;
import io.currents.api.helm.v2.PostRenderer;
import io.currents.api.meta.CommonMetadata;
import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.Kustomizer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The chart as Helm renders it for this release, changed as Flux changes it before Helm applies it: the spec's kustomize
 * post-renderers (patches, images) and then {@code commonMetadata}, on templates and hooks as {@code postRenderStrategy}
 * says; hooks left out for {@code disableHooks}, test hooks left out by {@code test.filters}. helm-java has
 * no post-renderer hook, so the result is packed as a chart whose one template emits it verbatim (with the original
 * Chart.yaml, values.yaml and crds/), and Helm installs or upgrades that chart: hooks, waiting and storage stay Helm's.
 */
final class RenderedChart {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final long MAX_FILE = 4L * 1024 * 1024;
    private static final Set<String> TEST_EVENTS = Set.of("test", "test-success");
    static final String NO_HOOKS = "nohooks";
    static final String COMBINED = "combined";
    static final String SEPARATE = "separate";

    private final HelmReleaseSpec spec;
    private final String releaseName;
    private final String namespace;
    private final java.util.function.Supplier<String> kubeVersion;
    private final Path workDir;

    RenderedChart(HelmReleaseSpec spec, String releaseName, String namespace, java.util.function.Supplier<String> kubeVersion, Path workDir) {
        this.spec = spec;
        this.releaseName = releaseName;
        this.namespace = namespace;
        this.kubeVersion = kubeVersion;
        this.workDir = workDir;
    }

    /**
     * Whether the chart must be rendered and changed before Helm applies it: post-renderers, common metadata, test
     * filters, or an action that drops hooks or skips the values schema.
     */
    static boolean needed(HelmReleaseSpec spec, boolean disableHooks, boolean disableSchemaValidation) {
        return (spec.getPostRenderers() != null && !spec.getPostRenderers().isEmpty()) || hasCommonMetadata(spec)
                || disableHooks || disableSchemaValidation || (spec.getTest() != null && spec.getTest().getFilters() != null && !spec.getTest().getFilters().isEmpty());
    }

    private static boolean hasCommonMetadata(HelmReleaseSpec spec) {
        CommonMetadata m = spec.getCommonMetadata();
        return m != null && ((m.getLabels() != null && !m.getLabels().isEmpty()) || (m.getAnnotations() != null && !m.getAnnotations().isEmpty()));
    }

    /** Flux's {@code status.observedPostRenderersDigest}: the digest of the post-renderers, null when there are none. */
    static String postRenderersDigest(HelmReleaseSpec spec) {
        List<PostRenderer> renderers = spec.getPostRenderers();
        return renderers == null || renderers.isEmpty() ? null : digest(renderers);
    }

    /** Flux's {@code status.observedCommonMetadataDigest}, null when no common metadata is set. */
    static String commonMetadataDigest(HelmReleaseSpec spec) {
        return hasCommonMetadata(spec) ? digest(spec.getCommonMetadata()) : null;
    }

    private static String digest(Object value) {
        try {
            return "sha256:" + StoredRelease.sha256(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Renders {@code tgz} with the values file (validated against values.schema.json unless {@code disableSchemaValidation})
     * and returns the directory of the chart Helm is to apply instead.
     */
    Path build(Path tgz, Path valuesFile, boolean disableHooks, boolean disableSchemaValidation) throws IOException {
        // helm-java's template leaves the hooks out: render them as ordinary objects under another annotation key.
        Path renamed = ChartRepack.copy(tgz, Files.createTempFile(workDir, "chart-", ".tgz"), true,
                disableSchemaValidation);
        var template = new Helm(renamed).template().withName(releaseName).withNamespace(namespace).withValuesFile(valuesFile).skipCrds();
        String version = kubeVersion.get();
        if (version != null) {
            template.withKubeVersion(version);
        }
        String rendered;
        try {
            rendered = ChartRepack.restoreHooks(template.call());
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip(), e);
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        List<Map<String, Object>> hooks = new ArrayList<>();
        for (String doc : rendered.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            Map<String, Object> object = YAML.readValue(doc, new TypeReference<>() {
            });
            if (object == null) {
                continue;
            }
            List<String> events = hookEvents(object);
            if (events.isEmpty()) {
                objects.add(object);
            } else if (keepHook(object, events, disableHooks)) {
                hooks.add(object);
            }
        }
        // spec.postRenderStrategy, as Flux 2.9 (Helm 4): hooks post-rendered with the templates by default.
        String strategy = spec.getPostRenderStrategy() == null || spec.getPostRenderStrategy().isEmpty()
                ? COMBINED : spec.getPostRenderStrategy();
        switch (strategy) {
            case NO_HOOKS -> objects = postRender(objects, "templates");
            case SEPARATE -> {
                objects = postRender(objects, "templates");
                hooks = postRender(hooks, "hooks");
            }
            default -> {
                List<Map<String, Object>> all = new ArrayList<>(objects);
                all.addAll(hooks);
                objects = new ArrayList<>();
                hooks = new ArrayList<>();
                for (Map<String, Object> object : postRender(all, "combined")) {
                    (hookEvents(object).isEmpty() ? objects : hooks).add(object);
                }
            }
        }
        StringBuilder manifest = new StringBuilder();
        for (Map<String, Object> object : objects) {
            manifest.append("---\n").append(YAML.writeValueAsString(object));
        }
        for (Map<String, Object> hook : hooks) {
            manifest.append("---\n").append(YAML.writeValueAsString(hook));
        }
        return pack(tgz, manifest.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<String> hookEvents(Map<String, Object> object) {
        Object metadata = object.get("metadata");
        Object annotations = metadata instanceof Map<?, ?> m ? m.get("annotations") : null;
        Object hook = annotations instanceof Map<?, ?> a ? a.get("helm.sh/hook") : null;
        if (hook == null) {
            return List.of();
        }
        List<String> events = new ArrayList<>();
        for (String e : hook.toString().split(",")) {
            if (!e.isBlank()) {
                events.add(e.strip());
            }
        }
        return events;
    }

    /** disableHooks leaves out every hook but the tests (Helm records, but never runs, them); filters select the tests. */
    private boolean keepHook(Map<String, Object> object, List<String> events, boolean disableHooks) {
        boolean test = events.stream().allMatch(TEST_EVENTS::contains);
        if (!test) {
            return !disableHooks;
        }
        List<Filter> filters = spec.getTest() == null || spec.getTest().getFilters() == null ? List.of() : spec.getTest().getFilters();
        Object metadata = object.get("metadata");
        String name = metadata instanceof Map<?, ?> m && m.get("name") != null ? m.get("name").toString() : "";
        boolean anyInclude = filters.stream().anyMatch(f -> !Boolean.TRUE.equals(f.getExclude()));
        boolean included = filters.stream().anyMatch(f -> !Boolean.TRUE.equals(f.getExclude()) && name.equals(f.getName()));
        boolean excluded = filters.stream().anyMatch(f -> Boolean.TRUE.equals(f.getExclude()) && name.equals(f.getName()));
        return (!anyInclude || included) && !excluded;
    }

    /** The kustomize post-renderers in order, then the common metadata, as Flux chains them. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> postRender(List<Map<String, Object>> objects, String stream) throws IOException {
        List<PostRenderer> renderers = spec.getPostRenderers() == null ? List.of() : spec.getPostRenderers();
        int n = 0;
        for (PostRenderer renderer : renderers) {
            if (renderer.getKustomize() == null || objects.isEmpty()) {
                continue;
            }
            Path dir = Files.createDirectories(workDir.resolve("post-render-" + stream + "-" + n++));
            StringBuilder resources = new StringBuilder();
            for (Map<String, Object> object : objects) {
                resources.append("---\n").append(YAML.writeValueAsString(object));
            }
            Files.writeString(dir.resolve("resources.yaml"), resources);
            Map<String, Object> kustomization = new LinkedHashMap<>();
            kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
            kustomization.put("kind", "Kustomization");
            kustomization.put("resources", List.of("resources.yaml"));
            var k = renderer.getKustomize();
            if (k.getPatches() != null && !k.getPatches().isEmpty()) {
                kustomization.put("patches", JSON.convertValue(k.getPatches(), List.class));
            }
            if (k.getImages() != null && !k.getImages().isEmpty()) {
                kustomization.put("images", JSON.convertValue(k.getImages(), List.class));
            }
            Files.writeString(dir.resolve("kustomization.yaml"), YAML.writeValueAsString(kustomization));
            try {
                objects = new ArrayList<>(Kustomizer.builder().secureRoot(dir).build().build(dir).objects());
            } catch (KustomizeException e) {
                throw new IOException("error while running post render on files: " + e.getMessage(), e);
            }
        }
        CommonMetadata common = spec.getCommonMetadata();
        if (hasCommonMetadata(spec)) {
            for (Map<String, Object> object : objects) {
                Map<String, Object> metadata = (Map<String, Object>) object.computeIfAbsent("metadata", x -> new LinkedHashMap<>());
                if (common.getLabels() != null && !common.getLabels().isEmpty()) {
                    ((Map<String, Object>) metadata.computeIfAbsent("labels", x -> new LinkedHashMap<>())).putAll(common.getLabels());
                }
                if (common.getAnnotations() != null && !common.getAnnotations().isEmpty()) {
                    ((Map<String, Object>) metadata.computeIfAbsent("annotations", x -> new LinkedHashMap<>())).putAll(common.getAnnotations());
                }
            }
        }
        return objects;
    }

    /** The chart Helm applies: the original Chart.yaml (without dependencies, now rendered) and values.yaml, crds/, one template. */
    @SuppressWarnings("unchecked")
    private Path pack(Path tgz, String manifest) throws IOException {
        byte[] chartYaml = null;
        byte[] valuesYaml = null;
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String[] parts = entry.getName().replaceFirst("^(\\./)+", "").split("/");
                if (!entry.isFile() || parts.length != 2 || entry.getSize() > MAX_FILE) {
                    continue;
                }
                if ("Chart.yaml".equals(parts[1])) {
                    chartYaml = tar.readNBytes((int) entry.getSize());
                } else if ("values.yaml".equals(parts[1])) {
                    valuesYaml = tar.readNBytes((int) entry.getSize());
                }
            }
        }
        if (chartYaml == null) {
            throw new IOException("no Chart.yaml found in the chart");
        }
        Map<String, Object> metadata = YAML.readValue(chartYaml, new TypeReference<>() {
        });
        metadata.remove("dependencies");
        String name = String.valueOf(metadata.get("name"));
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IOException("invalid chart name '" + name + "'");
        }
        Path chart = Files.createDirectories(workDir.resolve("rendered").resolve(name));
        Files.writeString(chart.resolve("Chart.yaml"), YAML.writeValueAsString(metadata));
        Files.write(chart.resolve("values.yaml"), valuesYaml == null ? "{}\n".getBytes(StandardCharsets.UTF_8) : valuesYaml);
        List<String> crds = ChartCrds.read(tgz);
        if (!crds.isEmpty()) {
            Path dir = Files.createDirectories(chart.resolve("crds"));
            for (int i = 0; i < crds.size(); i++) {
                Files.writeString(dir.resolve("crd-" + i + ".yaml"), crds.get(i));
            }
        }
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("templates").resolve("release.yaml"), "{{ .Files.Get \"release/manifest.yaml\" }}\n");
        Files.createDirectories(chart.resolve("release"));
        Files.writeString(chart.resolve("release").resolve("manifest.yaml"), manifest);
        return chart;
    }
}
