package io.currents.helm.controller;

import io.currents.api.helm.v2.CrossNamespaceSourceReference;
import io.currents.api.helm.v2.HelmChartTemplate;
import io.currents.api.helm.v2.HelmChartTemplateSpec;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.meta.Artifact;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.source.v1.ArtifactSource;
import io.currents.api.source.v1.ExternalArtifact;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.HelmChartSpec;
import io.currents.api.source.v1.LocalHelmChartSourceReference;
import io.currents.api.source.v1.OCIRepository;
import io.currents.api.source.v1.HelmChartVerification;
import io.currents.runtime.artifact.TrustedSources;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.reconcile.SourceWatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.List;
import java.util.Objects;

/**
 * Where a HelmRelease's chart comes from: the HelmChart it owns ({@code spec.chart}, created and kept equal to the
 * template as {@code <namespace>-<name>} in the source's namespace) or the source {@code spec.chartRef} names
 * (an OCIRepository or a HelmChart); and whether that source has a chart artifact ready.
 */
final class ChartSources {

    static final String FIELD_MANAGER = "helm-controller";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    /** The chart source of a release: its kind/namespace/name and artifact. */
    record Source(String kind, String namespace, String name, Artifact artifact) {
        String subject() {
            return kind + " '" + namespace + "/" + name + "'";
        }
    }

    private final KubernetesClient client;
    private final boolean noCrossNamespaceRefs;
    private final boolean externalArtifacts;

    /** {@code externalArtifacts}: Flux's {@code ExternalArtifact} feature gate, which lets chartRef name an ExternalArtifact. */
    ChartSources(KubernetesClient client, boolean noCrossNamespaceRefs, boolean externalArtifacts) {
        this.client = client;
        this.noCrossNamespaceRefs = noCrossNamespaceRefs;
        this.externalArtifacts = externalArtifacts;
    }

    /** The index key of the source a HelmRelease uses, e.g. {@code HelmChart/flux-system/flux-system-podinfo}. */
    static String sourceKey(HelmRelease hr) {
        var spec = hr.getSpec();
        if (spec.getChartRef() != null) {
            CrossNamespaceSourceReference ref = spec.getChartRef();
            return SourceWatch.key(ref.getKind(), namespaceOr(ref.getNamespace(), hr), ref.getName());
        }
        if (spec.getChart() != null && spec.getChart().getSpec() != null) {
            return SourceWatch.key("HelmChart", templateNamespace(hr), helmChartName(hr));
        }
        return null;
    }

    static String helmChartName(HelmRelease hr) {
        return hr.getMetadata().getNamespace() + "-" + hr.getMetadata().getName();
    }

    static String templateNamespace(HelmRelease hr) {
        var ref = hr.getSpec().getChart().getSpec().getSourceRef();
        return namespaceOr(ref == null ? null : ref.getNamespace(), hr);
    }

    private static String namespaceOr(String namespace, HelmRelease hr) {
        return namespace == null || namespace.isEmpty() ? hr.getMetadata().getNamespace() : namespace;
    }

    Source resolve(HelmRelease hr) throws ReconcileFailure {
        var spec = hr.getSpec();
        if (spec.getChartRef() != null) {
            return fromChartRef(hr, spec.getChartRef());
        }
        if (spec.getChart() == null || spec.getChart().getSpec() == null) {
            throw ReconcileFailure.stalled(HelmRelease.INIT_FAILED_REASON, "one of spec.chart or spec.chartRef must be set");
        }
        return fromTemplate(hr, spec.getChart());
    }

    private Source fromChartRef(HelmRelease hr, CrossNamespaceSourceReference ref) throws ReconcileFailure {
        String namespace = namespaceOr(ref.getNamespace(), hr);
        checkNamespace(hr, namespace, ref.getKind() + "/" + namespace + "/" + ref.getName());
        Class<? extends ArtifactSource> type = switch (String.valueOf(ref.getKind())) {
            case "OCIRepository" -> OCIRepository.class;
            case "HelmChart" -> HelmChart.class;
            case "ExternalArtifact" -> {
                if (!externalArtifacts) {
                    throw ReconcileFailure.stalled("AccessDenied", "can't access 'ExternalArtifact/" + namespace + "/"
                            + ref.getName() + "', ExternalArtifact feature gate is disabled");
                }
                yield ExternalArtifact.class;
            }
            default -> throw ReconcileFailure.stalled(HelmRelease.ARTIFACT_FAILED_REASON,
                    "unsupported source kind '" + ref.getKind() + "' in spec.chartRef (OCIRepository, HelmChart or ExternalArtifact)");
        };
        if (!TrustedSources.isTrusted(ref.getKind())) {
            throw ReconcileFailure.stalled(HelmRelease.ARTIFACT_FAILED_REASON,
                    TrustedSources.refusal(ref.getKind(), ref.getKind() + " '" + namespace + "/" + ref.getName() + "'"));
        }
        ArtifactSource source = get(type, namespace, ref.getName());
        Source result = new Source(ref.getKind(), namespace, ref.getName(), source == null ? null : source.getArtifact());
        requireReady(result, source);
        return result;
    }

    private Source fromTemplate(HelmRelease hr, HelmChartTemplate template) throws ReconcileFailure {
        HelmChartTemplateSpec t = template.getSpec();
        String namespace = templateNamespace(hr);
        String name = helmChartName(hr);
        checkNamespace(hr, namespace, "HelmChart/" + namespace + "/" + name);
        HelmChart desired = desiredHelmChart(hr, template, namespace, name);
        HelmChart live = get(HelmChart.class, namespace, name);
        if (live == null || !JSON.valueToTree(live.getSpec()).equals(JSON.valueToTree(desired.getSpec())) || labelsOrAnnotationsDiffer(live, desired)) {
            try {
                live = client.resources(HelmChart.class).inNamespace(namespace).resource(desired)
                        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, "failed to create or update HelmChart '"
                        + namespace + "/" + name + "': " + e.getMessage());
            }
        }
        Source result = new Source("HelmChart", namespace, name, live == null ? null : live.getArtifact());
        requireReady(result, live);
        // a chart from a HelmRepository is named by spec.chart; from Git or a Bucket spec.chart is a path and the
        // observed name is the one in its Chart.yaml, so only the former can be compared
        boolean byName = t.getSourceRef() == null || "HelmRepository".equals(t.getSourceRef().getKind());
        if (byName && t.getChart() != null && live.getStatus() != null && live.getStatus().getObservedChartName() != null
                && !t.getChart().equals(live.getStatus().getObservedChartName())) {
            throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, "HelmChart '" + namespace + "/" + name
                    + "' is not ready: the artifact is for chart '" + live.getStatus().getObservedChartName() + "'");
        }
        return result;
    }

    private static boolean labelsOrAnnotationsDiffer(HelmChart live, HelmChart desired) {
        var want = desired.getMetadata();
        var have = live.getMetadata();
        return (want.getLabels() != null && (have.getLabels() == null || !have.getLabels().entrySet().containsAll(want.getLabels().entrySet())))
                || (want.getAnnotations() != null && (have.getAnnotations() == null || !have.getAnnotations().entrySet().containsAll(want.getAnnotations().entrySet())));
    }

    /** The HelmChart the template describes, with Flux's defaults (version {@code *}, the release's interval, ChartVersion). */
    static HelmChart desiredHelmChart(HelmRelease hr, HelmChartTemplate template, String namespace, String name) {
        HelmChartTemplateSpec t = template.getSpec();
        HelmChartSpec spec = new HelmChartSpec();
        spec.setChart(t.getChart());
        spec.setVersion(t.getVersion() == null || t.getVersion().isEmpty() ? "*" : t.getVersion());
        LocalHelmChartSourceReference sourceRef = new LocalHelmChartSourceReference();
        if (t.getSourceRef() != null) {
            sourceRef.setApiVersion(t.getSourceRef().getApiVersion());
            sourceRef.setKind(t.getSourceRef().getKind());
            sourceRef.setName(t.getSourceRef().getName());
        }
        spec.setSourceRef(sourceRef);
        spec.setInterval(t.getInterval() == null || t.getInterval().isEmpty() ? hr.getSpec().getInterval() : t.getInterval());
        spec.setReconcileStrategy(t.getReconcileStrategy() == null || t.getReconcileStrategy().isEmpty()
                ? HelmChart.RECONCILE_STRATEGY_CHART_VERSION : t.getReconcileStrategy());
        List<String> valuesFiles = t.getValuesFiles();
        spec.setValuesFiles(valuesFiles == null || valuesFiles.isEmpty() ? null : valuesFiles);
        spec.setIgnoreMissingValuesFiles(t.getIgnoreMissingValuesFiles());
        if (t.getVerify() != null) {
            HelmChartVerification verify = new HelmChartVerification();
            verify.setProvider(t.getVerify().getProvider());
            if (t.getVerify().getSecretRef() != null) {
                LocalObjectReference secretRef = new LocalObjectReference();
                secretRef.setName(t.getVerify().getSecretRef().getName());
                verify.setSecretRef(secretRef);
            }
            spec.setVerify(verify);
        }
        HelmChart chart = new HelmChart();
        var meta = new ObjectMetaBuilder().withName(name).withNamespace(namespace);
        if (template.getMetadata() != null) {
            meta.withLabels(template.getMetadata().getLabels()).withAnnotations(template.getMetadata().getAnnotations());
        }
        chart.setMetadata(meta.build());
        chart.setSpec(spec);
        return chart;
    }

    /** Deletes the HelmChart a release created from its template (on deletion, or when it moved to chartRef). */
    void deleteOwnedChart(HelmRelease hr, String namespacedName) {
        if (namespacedName == null || !namespacedName.contains("/")) {
            return;
        }
        String[] parts = namespacedName.split("/", 2);
        client.resources(HelmChart.class).inNamespace(parts[0]).withName(parts[1]).delete();
    }

    private void checkNamespace(HelmRelease hr, String namespace, String subject) throws ReconcileFailure {
        if (noCrossNamespaceRefs && !namespace.equals(hr.getMetadata().getNamespace())) {
            throw ReconcileFailure.stalled("AccessDenied", "can't access '" + subject + "', cross-namespace references have been blocked");
        }
    }

    private <T extends HasMetadata> T get(Class<T> type, String namespace, String name) throws ReconcileFailure {
        try {
            return client.resources(type).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, "could not get " + type.getSimpleName()
                    + " '" + namespace + "/" + name + "': " + e.getMessage());
        }
    }

    private static void requireReady(Source source, HasMetadata object) throws ReconcileFailure {
        if (object == null) {
            throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, source.subject() + " not found");
        }
        if (source.artifact() == null) {
            throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, source.subject() + " is not ready: no artifact");
        }
        if (object instanceof HelmChart chart && chart.getStatus() != null && chart.getStatus().getObservedGeneration() != null
                && !Objects.equals(chart.getStatus().getObservedGeneration(), chart.getMetadata().getGeneration())) {
            throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, source.subject()
                    + " is not ready: latest generation of object has not been reconciled");
        }
        if (object instanceof HelmChart chart && chart.getStatus() != null
                && Conditions.isFalse(chart.getStatus().getConditions(), Conditions.READY)) {
            String message = Conditions.find(chart.getStatus().getConditions(), Conditions.READY).map(c -> c.getMessage()).orElse("");
            throw new ReconcileFailure(HelmRelease.ARTIFACT_FAILED_REASON, source.subject() + " is not ready: " + message);
        }
    }
}
