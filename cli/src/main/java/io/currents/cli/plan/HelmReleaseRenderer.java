package io.currents.cli.plan;

import io.currents.cli.ops.FluxObjects;
import io.currents.cli.ops.LocalBuild;
import io.currents.kustomize.ChartInflator;
import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.yaml.YamlReader;
import io.currents.kustomize.yaml.YamlWriter;
import io.currents.runtime.apply.Unstructured;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders the HelmReleases of a graph with the bundled Helm, as helm-controller would install them: the chart from
 * this repository (a GitRepository-backed chart or HelmChart) or pulled from a reachable HelmRepository, values
 * from {@code valuesFrom} (read from the cluster) overlaid with {@code spec.values}. A release whose chart or values
 * cannot be had is listed as not planned, with the reason.
 */
final class HelmReleaseRenderer implements AutoCloseable {

    /** The built-in cluster-scoped kinds (offline there is no discovery to ask). */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "Node", "PersistentVolume", "ClusterRole",
            "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass",
            "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "CSIDriver", "VolumeAttachment");

    private final Set<String> ownSources;
    private final KubernetesClient cluster;
    private final ChartInflator helm;
    private final Map<String, Path> pulled = new HashMap<>();
    private final Map<String, String> unreachable = new HashMap<>();
    private Path work;

    HelmReleaseRenderer(Set<String> ownSources, KubernetesClient cluster, ChartInflator helm) {
        this.ownSources = ownSources;
        this.cluster = cluster;
        this.helm = helm;
    }

    /** Adds a group per HelmRelease found in the graph's Kustomization groups. */
    void renderAll(Graph graph, Path root) {
        Map<String, Map<String, Object>> index = new HashMap<>();
        List<Map<String, Object>> releases = new ArrayList<>();
        for (Graph.Group group : graph.groups.values()) {
            for (GenericKubernetesResource o : group.objects()) {
                Map<String, Object> map = Unstructured.toMap(o);
                index.put(o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), map);
                if ("HelmRelease".equals(o.getKind()) && o.getApiVersion().startsWith("helm.toolkit.fluxcd.io/")) {
                    releases.add(map);
                }
            }
        }
        for (Map<String, Object> release : releases) {
            String ns = FluxObjects.string(release, "metadata", "namespace");
            String name = FluxObjects.string(release, "metadata", "name");
            Graph.Applier applier = new Graph.Applier("HelmRelease", ns, name);
            try {
                render(graph, root, index, applier, FluxObjects.map(release.get("spec")));
            } catch (NotPlanned e) {
                graph.notPlanned.add(new Graph.NotPlanned(applier, e.getMessage()));
            } catch (KustomizeException | IOException e) {
                graph.failures.add(new Graph.Failure(applier, "helm template failed: " + e.getMessage()));
            }
        }
    }

    private void render(Graph graph, Path root, Map<String, Map<String, Object>> index, Graph.Applier applier,
                        Map<String, Object> spec) throws IOException {
        String ns = applier.namespace();
        Path chartDir;
        String origin;
        Map<String, Object> template = FluxObjects.map(FluxObjects.map(spec.get("chart")).get("spec"));
        if (!template.isEmpty()) {
            Map<String, Object> ref = FluxObjects.map(template.get("sourceRef"));
            chartDir = chart(root, index, ref, ns, String.valueOf(template.get("chart")), (String) template.get("version"));
            origin = "chart " + template.get("chart") + " from " + ref.get("kind") + " " + ref.get("name");
        } else if (spec.get("chartRef") instanceof Map<?, ?> chartRef) {
            Map<String, Object> ref = FluxObjects.map(chartRef);
            if (!"HelmChart".equals(ref.get("kind"))) {
                throw new NotPlanned("its chart comes from " + ref.get("kind") + " " + ref.get("name") + ", not from this repository");
            }
            String chartNs = ref.get("namespace") == null ? ns : String.valueOf(ref.get("namespace"));
            Map<String, Object> helmChart = index.get("HelmChart/" + chartNs + "/" + ref.get("name"));
            if (helmChart == null) {
                throw new NotPlanned("HelmChart " + chartNs + "/" + ref.get("name") + " is not in this repository");
            }
            Map<String, Object> chartSpec = FluxObjects.map(helmChart.get("spec"));
            chartDir = chart(root, index, FluxObjects.map(chartSpec.get("sourceRef")), chartNs, String.valueOf(chartSpec.get("chart")),
                    (String) chartSpec.get("version"));
            origin = "chart " + chartSpec.get("chart") + " from HelmChart " + ref.get("name");
        } else {
            throw new NotPlanned("it names no chart (spec.chart or spec.chartRef)");
        }
        Map<String, Object> values = values(ns, spec);
        List<Path> valuesFiles = new ArrayList<>();
        // chart.spec.valuesFiles: files of the chart merged in order over its values.yaml, before the release's values
        if (template.get("valuesFiles") instanceof List<?> files) {
            for (Object f : files) {
                Path file = chartDir.resolve(String.valueOf(f)).normalize();
                if (!file.startsWith(chartDir) || !Files.isRegularFile(file)) {
                    throw new NotPlanned("chart.spec.valuesFiles '" + f + "' is not a file of the chart");
                }
                valuesFiles.add(file);
            }
        }
        Path valuesFile = Files.createTempFile(work(), "values-", ".yaml");
        Files.writeString(valuesFile, YamlWriter.toYaml(values));
        valuesFiles.add(valuesFile);
        if (spec.get("postRenderers") instanceof List<?> renderers && !renderers.isEmpty()) {
            graph.partial.add(new Graph.NotPlanned(applier, "spec.postRenderers are not applied by plan: the objects shown are the"
                    + " chart's output before them"));
        }
        String targetNs = spec.get("targetNamespace") == null ? ns : String.valueOf(spec.get("targetNamespace"));
        String release = spec.get("releaseName") != null ? String.valueOf(spec.get("releaseName"))
                : spec.get("targetNamespace") != null ? targetNs + "-" + applier.name() : applier.name();
        boolean crds = !"Skip".equals(FluxObjects.string(spec, "install", "crds"));
        String manifest = helm.template(new ChartInflator.TemplateRequest(release, chartDir, targetNs, null, valuesFiles,
                List.of(), null, crds, true, true, false));
        List<GenericKubernetesResource> objects = new ArrayList<>();
        for (Object doc : YamlReader.readAll(manifest)) {
            if (doc instanceof Map<?, ?> m && m.get("kind") != null) {
                GenericKubernetesResource o = Unstructured.fromMap(FluxObjects.map(m));
                // Helm installs namespaced objects without a namespace into the release's namespace
                if (o.getMetadata().getNamespace() == null && !CLUSTER_SCOPED.contains(o.getKind())) {
                    o.getMetadata().setNamespace(targetNs);
                }
                objects.add(o);
            }
        }
        graph.groups.put(applier, new Graph.Group(applier, origin, true, objects));
    }

    /** The chart's directory: in this repository's checkout, or pulled (once per run) from a HelmRepository. */
    private Path chart(Path root, Map<String, Map<String, Object>> index, Map<String, Object> ref, String ns, String chart, String version) {
        String kind = String.valueOf(ref.get("kind"));
        String name = String.valueOf(ref.get("name"));
        String refNs = ref.get("namespace") == null ? ns : String.valueOf(ref.get("namespace"));
        if ("GitRepository".equals(kind) && ownSources.contains(name)) {
            Path dir = root.resolve(GraphRenderer.normalize(chart)).normalize();
            if (!dir.startsWith(root) || !Files.isRegularFile(dir.resolve("Chart.yaml"))) {
                throw new NotPlanned("chart path '" + chart + "' has no Chart.yaml in this repository");
            }
            return dir;
        }
        if (!"HelmRepository".equals(kind)) {
            throw new NotPlanned("its chart comes from " + kind + " " + refNs + "/" + name + ", not from this repository");
        }
        Map<String, Object> repository = index.get("HelmRepository/" + refNs + "/" + name);
        if (repository == null && cluster != null) {
            var live = cluster.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "HelmRepository").inNamespace(refNs).withName(name).get();
            repository = live == null ? null : Unstructured.toMap(live);
        }
        if (repository == null) {
            throw new NotPlanned("HelmRepository " + refNs + "/" + name + " is neither in this repository nor in the cluster");
        }
        String url = FluxObjects.string(repository, "spec", "url");
        if (!FluxObjects.string(repository, "spec", "secretRef", "name").isEmpty()) {
            throw new NotPlanned("HelmRepository " + refNs + "/" + name + " needs credentials (spec.secretRef), which plan does not use");
        }
        String wanted = version == null || version.isBlank() || "*".equals(version) ? null : version;
        String key = url + "|" + chart + "|" + wanted;
        if (unreachable.containsKey(key)) {
            throw new NotPlanned(unreachable.get(key));
        }
        Path dir = pulled.get(key);
        if (dir == null) {
            Path into = work().resolve("chart-" + pulled.size());
            try {
                helm.pull(new ChartInflator.PullRequest(chart, url, wanted, into));
            } catch (KustomizeException e) {
                String why = "chart " + chart + " from HelmRepository " + refNs + "/" + name + " is unreachable: " + e.getMessage();
                unreachable.put(key, why);
                throw new NotPlanned(why);
            }
            dir = into.resolve(chart);
            pulled.put(key, dir);
        }
        return dir;
    }

    /** valuesFrom in order, then spec.values on top, as helm-controller merges them. */
    private Map<String, Object> values(String ns, Map<String, Object> spec) {
        Map<String, Object> merged = new LinkedHashMap<>();
        if (spec.get("valuesFrom") instanceof List<?> sources && !sources.isEmpty()) {
            if (cluster == null) {
                throw new NotPlanned("its values come from valuesFrom, which are read from the cluster: run with --against-cluster");
            }
            for (Object item : sources) {
                Map<String, Object> from = FluxObjects.map(item);
                String kind = String.valueOf(from.get("kind"));
                String name = String.valueOf(from.get("name"));
                String key = from.get("valuesKey") == null ? "values.yaml" : String.valueOf(from.get("valuesKey"));
                boolean optional = Boolean.TRUE.equals(from.get("optional"));
                String text = read(ns, kind, name, key);
                if (text == null) {
                    if (optional) {
                        continue;
                    }
                    throw new NotPlanned("valuesFrom " + kind + " " + ns + "/" + name + " key '" + key + "' is not in the cluster");
                }
                if (from.get("targetPath") != null) {
                    setPath(merged, String.valueOf(from.get("targetPath")), text);
                } else {
                    merge(merged, FluxObjects.map(YamlReader.read(text, false)));
                }
            }
        }
        merge(merged, FluxObjects.map(spec.get("values")));
        return merged;
    }

    private String read(String ns, String kind, String name, String key) {
        if ("Secret".equals(kind)) {
            Secret s = cluster.secrets().inNamespace(ns).withName(name).get();
            return s == null || s.getData() == null || s.getData().get(key) == null ? null
                    : new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
        }
        ConfigMap c = cluster.configMaps().inNamespace(ns).withName(name).get();
        return c == null || c.getData() == null ? null : c.getData().get(key);
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existing);
                merge(copy, FluxObjects.map(m));
                into.put(k, copy);
            } else {
                into.put(k, v);
            }
        });
    }

    /** Helm's --set style: a dotted path, the value kept as a string. */
    private static void setPath(Map<String, Object> into, String path, String value) {
        String[] parts = path.split("\\.");
        Map<String, Object> current = into;
        for (int i = 0; i < parts.length - 1; i++) {
            Map<String, Object> next = current.get(parts[i]) instanceof Map<?, ?> m ? new LinkedHashMap<>(FluxObjects.map(m)) : new LinkedHashMap<>();
            current.put(parts[i], next);
            current = next;
        }
        current.put(parts[parts.length - 1], value);
    }

    private Path work() {
        if (work == null) {
            try {
                work = Files.createTempDirectory("currents-plan-helm-");
            } catch (IOException e) {
                throw new KustomizeException("cannot create a temporary directory: " + e.getMessage(), e);
            }
        }
        return work;
    }

    @Override
    public void close() {
        if (work != null) {
            LocalBuild.delete(work);
        }
    }

    /** Why a release is not planned. */
    private static final class NotPlanned extends RuntimeException {
        NotPlanned(String message) {
            super(message, null, false, false);
        }
    }
}
