package io.currents.api.image.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Desired state of an ImageUpdateAutomation: which repository to update, how to commit and where to push. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageUpdateAutomationSpec implements FluxSpec {

    @Required
    private CrossNamespaceSourceReference sourceRef;

    private GitSpec git;

    @Required
    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    private LabelSelector policySelector;

    @Default("{\"strategy\":\"Setters\"}")
    private UpdateStrategy update;

    private Boolean suspend;

    public CrossNamespaceSourceReference getSourceRef() {
        return sourceRef;
    }

    public void setSourceRef(CrossNamespaceSourceReference sourceRef) {
        this.sourceRef = sourceRef;
    }

    public GitSpec getGit() {
        return git;
    }

    public void setGit(GitSpec git) {
        this.git = git;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public LabelSelector getPolicySelector() {
        return policySelector;
    }

    public void setPolicySelector(LabelSelector policySelector) {
        this.policySelector = policySelector;
    }

    public UpdateStrategy getUpdate() {
        return update;
    }

    public void setUpdate(UpdateStrategy update) {
        this.update = update;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }
}
