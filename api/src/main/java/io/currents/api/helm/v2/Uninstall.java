package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Configuration of the Helm uninstall action. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Uninstall {

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String timeout;

    private Boolean disableHooks;

    private Boolean keepHistory;

    private Boolean disableWait;

    @Default("background")
    @OneOf({"background", "foreground", "orphan"})
    private String deletionPropagation;

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public Boolean getDisableHooks() {
        return disableHooks;
    }

    public void setDisableHooks(Boolean disableHooks) {
        this.disableHooks = disableHooks;
    }

    public Boolean getKeepHistory() {
        return keepHistory;
    }

    public void setKeepHistory(Boolean keepHistory) {
        this.keepHistory = keepHistory;
    }

    public Boolean getDisableWait() {
        return disableWait;
    }

    public void setDisableWait(Boolean disableWait) {
        this.disableWait = disableWait;
    }

    public String getDeletionPropagation() {
        return deletionPropagation;
    }

    public void setDeletionPropagation(String deletionPropagation) {
        this.deletionPropagation = deletionPropagation;
    }
}
