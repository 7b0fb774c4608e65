package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Pattern;

/** Configuration of the Helm upgrade action. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Upgrade {

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String timeout;

    private UpgradeRemediation remediation;

    private UpgradeStrategy strategy;

    private Boolean disableWait;

    private Boolean disableWaitForJobs;

    private Boolean disableHooks;

    private Boolean disableOpenAPIValidation;

    private Boolean disableSchemaValidation;

    private Boolean disableTakeOwnership;

    private Boolean force;

    private Boolean preserveValues;

    private Boolean cleanupOnFail;

    @OneOf({"Skip", "Create", "CreateReplace"})
    private String crds;

    @OneOf({"enabled", "disabled", "auto"})
    private String serverSideApply;

    /** What to do when the chart name changes: Reinstall (uninstall, then install; the default) or InPlaceUpdate. */
    @OneOf({"InPlaceUpdate", "Reinstall"})
    private String chartNameChangeStrategy;

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public UpgradeRemediation getRemediation() {
        return remediation;
    }

    public void setRemediation(UpgradeRemediation remediation) {
        this.remediation = remediation;
    }

    public UpgradeStrategy getStrategy() {
        return strategy;
    }

    public void setStrategy(UpgradeStrategy strategy) {
        this.strategy = strategy;
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

    public Boolean getDisableOpenAPIValidation() {
        return disableOpenAPIValidation;
    }

    public void setDisableOpenAPIValidation(Boolean disableOpenAPIValidation) {
        this.disableOpenAPIValidation = disableOpenAPIValidation;
    }

    public Boolean getDisableSchemaValidation() {
        return disableSchemaValidation;
    }

    public void setDisableSchemaValidation(Boolean disableSchemaValidation) {
        this.disableSchemaValidation = disableSchemaValidation;
    }

    public Boolean getDisableTakeOwnership() {
        return disableTakeOwnership;
    }

    public void setDisableTakeOwnership(Boolean disableTakeOwnership) {
        this.disableTakeOwnership = disableTakeOwnership;
    }

    public Boolean getForce() {
        return force;
    }

    public void setForce(Boolean force) {
        this.force = force;
    }

    public Boolean getPreserveValues() {
        return preserveValues;
    }

    public void setPreserveValues(Boolean preserveValues) {
        this.preserveValues = preserveValues;
    }

    public Boolean getCleanupOnFail() {
        return cleanupOnFail;
    }

    public void setCleanupOnFail(Boolean cleanupOnFail) {
        this.cleanupOnFail = cleanupOnFail;
    }

    public String getCrds() {
        return crds;
    }

    public void setCrds(String crds) {
        this.crds = crds;
    }

    public String getServerSideApply() {
        return serverSideApply;
    }

    public void setServerSideApply(String serverSideApply) {
        this.serverSideApply = serverSideApply;
    }

    public String getChartNameChangeStrategy() {
        return chartNameChangeStrategy;
    }

    public void setChartNameChangeStrategy(String chartNameChangeStrategy) {
        this.chartNameChangeStrategy = chartNameChangeStrategy;
    }
}
