package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.currents.api.meta.Artifact;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Annotations;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Helm chart the source-controller fetches or packages from a source and stores as an artifact. */
@Annotations("kustomize.toolkit.fluxcd.io/substitute=disabled")
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("HelmChart")
@Plural("helmcharts")
@Singular("helmchart")
@ShortNames({"hc"})
@Categories({"all", "fluxcd", "fluxcd-sources"})
@AdditionalPrinterColumn(name = "Chart", jsonPath = ".spec.chart", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Source Kind", jsonPath = ".spec.sourceRef.kind", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Source Name", jsonPath = ".spec.sourceRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING)
public class HelmChart extends CustomResource<HelmChartSpec, HelmChartStatus> implements Namespaced, ArtifactSource {

    public static final String CHART_PULL_SUCCEEDED_REASON = "ChartPullSucceeded";
    public static final String CHART_PACKAGE_SUCCEEDED_REASON = "ChartPackageSucceeded";

    public static final String RECONCILE_STRATEGY_CHART_VERSION = "ChartVersion";
    public static final String RECONCILE_STRATEGY_REVISION = "Revision";

    /** The last stored artifact, or null. */
    @JsonIgnore
    public Artifact getArtifact() {
        return getStatus() == null ? null : getStatus().getArtifact();
    }
}
