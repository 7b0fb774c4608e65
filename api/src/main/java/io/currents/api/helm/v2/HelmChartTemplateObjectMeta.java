package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** Labels and annotations of the generated HelmChart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmChartTemplateObjectMeta {

    private Map<String, String> labels;

    private Map<String, String> annotations;

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }
}
