package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/** Spec of the generated HelmChart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmChartTemplateSpec {

    @Required
    @Size(min = 1, max = 2048)
    private String chart;

    @Default("'*'")
    private String version;

    @Required
    private CrossNamespaceObjectReference sourceRef;

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    @Default("ChartVersion")
    @OneOf({"ChartVersion", "Revision"})
    private String reconcileStrategy;

    private List<String> valuesFiles;

    private Boolean ignoreMissingValuesFiles;

    private HelmChartTemplateVerification verify;

    public String getChart() {
        return chart;
    }

    public void setChart(String chart) {
        this.chart = chart;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public CrossNamespaceObjectReference getSourceRef() {
        return sourceRef;
    }

    public void setSourceRef(CrossNamespaceObjectReference sourceRef) {
        this.sourceRef = sourceRef;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public String getReconcileStrategy() {
        return reconcileStrategy;
    }

    public void setReconcileStrategy(String reconcileStrategy) {
        this.reconcileStrategy = reconcileStrategy;
    }

    public List<String> getValuesFiles() {
        return valuesFiles;
    }

    public void setValuesFiles(List<String> valuesFiles) {
        this.valuesFiles = valuesFiles;
    }

    public Boolean getIgnoreMissingValuesFiles() {
        return ignoreMissingValuesFiles;
    }

    public void setIgnoreMissingValuesFiles(Boolean ignoreMissingValuesFiles) {
        this.ignoreMissingValuesFiles = ignoreMissingValuesFiles;
    }

    public HelmChartTemplateVerification getVerify() {
        return verify;
    }

    public void setVerify(HelmChartTemplateVerification verify) {
        this.verify = verify;
    }
}
