package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.OneOf;

import java.util.List;

/** Whether and how to detect and correct drift between the release manifest and the cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DriftDetection {

    @OneOf({"enabled", "warn", "disabled"})
    private String mode;

    private List<IgnoreRule> ignore;

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public List<IgnoreRule> getIgnore() {
        return ignore;
    }

    public void setIgnore(List<IgnoreRule> ignore) {
        this.ignore = ignore;
    }
}
