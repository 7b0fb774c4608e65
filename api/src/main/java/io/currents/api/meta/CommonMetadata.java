package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** Labels and annotations added to every object a Kustomization or HelmRelease applies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CommonMetadata {

    private Map<String, String> annotations;

    private Map<String, String> labels;

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }
}
