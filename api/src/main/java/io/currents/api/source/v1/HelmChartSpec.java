package io.currents.api.source.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.AccessFrom;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

import java.util.List;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a HelmChart: a chart name or path in a source, and a version range. */
@ValidationRule(value = "!has(self.verify) || self.sourceRef.kind == 'HelmRepository'",
        message = "spec.verify is only supported when spec.sourceRef.kind is 'HelmRepository'")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmChartSpec implements FluxSpec {

    @Required
    private String chart;

    @Default("'*'")
    private String version;

    @Required
    private LocalHelmChartSourceReference sourceRef;

    @Required
    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    @Default("ChartVersion")
    @OneOf({"ChartVersion", "Revision"})
    private String reconcileStrategy;

    private List<String> valuesFiles;

    private Boolean ignoreMissingValuesFiles;

    private Boolean suspend;

    private HelmChartVerification verify;

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

    public LocalHelmChartSourceReference getSourceRef() {
        return sourceRef;
    }

    public void setSourceRef(LocalHelmChartSourceReference sourceRef) {
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

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }

    public HelmChartVerification getVerify() {
        return verify;
    }

    public void setVerify(HelmChartVerification verify) {
        this.verify = verify;
    }
}
