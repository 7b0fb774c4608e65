package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Pattern;

/** Configuration of the Helm rollback action. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rollback {

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String timeout;

    private Boolean disableWait;

    private Boolean disableWaitForJobs;

    private Boolean disableHooks;

    private Boolean recreate;

    private Boolean force;

    private Boolean cleanupOnFail;

    @OneOf({"enabled", "disabled", "auto"})
    private String serverSideApply;

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public Boolean getDisableWait() {
        return disableWait;
    }

    public void setDisableWait(Boolean disableWait) {
        this.disableWait = disableWait;
    }

    public Boolean getDisableWaitForJobs() {
        return disableWaitForJobs;
    }

    public void setDisableWaitForJobs(Boolean disableWaitForJobs) {
        this.disableWaitForJobs = disableWaitForJobs;
    }

    public Boolean getDisableHooks() {
        return disableHooks;
    }

    public void setDisableHooks(Boolean disableHooks) {
        this.disableHooks = disableHooks;
    }

    public Boolean getRecreate() {
        return recreate;
    }

    public void setRecreate(Boolean recreate) {
        this.recreate = recreate;
    }

    public Boolean getForce() {
        return force;
    }

    public void setForce(Boolean force) {
        this.force = force;
    }

    public Boolean getCleanupOnFail() {
        return cleanupOnFail;
    }

    public void setCleanupOnFail(Boolean cleanupOnFail) {
        this.cleanupOnFail = cleanupOnFail;
    }

    public String getServerSideApply() {
        return serverSideApply;
    }

    public void setServerSideApply(String serverSideApply) {
        this.serverSideApply = serverSideApply;
    }
}
