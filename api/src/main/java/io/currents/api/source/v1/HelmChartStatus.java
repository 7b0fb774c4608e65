package io.currents.api.source.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.Artifact;
import io.currents.api.meta.FluxStatus;
import io.currents.api.meta.ReconcileRequestStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of a HelmChart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmChartStatus extends ReconcileRequestStatus implements FluxStatus {

    private Long observedGeneration;

    private String observedSourceArtifactRevision;

    private String observedChartName;

    private List<String> observedValuesFiles;

    private List<Condition> conditions;

    private String url;

    private Artifact artifact;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getObservedSourceArtifactRevision() {
        return observedSourceArtifactRevision;
    }

    public void setObservedSourceArtifactRevision(String observedSourceArtifactRevision) {
        this.observedSourceArtifactRevision = observedSourceArtifactRevision;
    }

    public String getObservedChartName() {
        return observedChartName;
    }

    public void setObservedChartName(String observedChartName) {
        this.observedChartName = observedChartName;
    }

    public List<String> getObservedValuesFiles() {
        return observedValuesFiles;
    }

    public void setObservedValuesFiles(List<String> observedValuesFiles) {
        this.observedValuesFiles = observedValuesFiles;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public Artifact getArtifact() {
        return artifact;
    }

    public void setArtifact(Artifact artifact) {
        this.artifact = artifact;
    }
}
