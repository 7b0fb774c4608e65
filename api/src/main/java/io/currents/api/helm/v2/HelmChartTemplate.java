package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Template of the HelmChart the controller creates for a HelmRelease. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmChartTemplate {

    private HelmChartTemplateObjectMeta metadata;

    @Required
    private HelmChartTemplateSpec spec;

    public HelmChartTemplateObjectMeta getMetadata() {
        return metadata;
    }

    public void setMetadata(HelmChartTemplateObjectMeta metadata) {
        this.metadata = metadata;
    }

    public HelmChartTemplateSpec getSpec() {
        return spec;
    }

    public void setSpec(HelmChartTemplateSpec spec) {
        this.spec = spec;
    }
}
