package io.currents.api.helm.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.DateTime;
import io.fabric8.generator.annotation.Required;

import java.util.Map;

/** A point-in-time copy of a Helm release as stored by Helm and observed by the controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Snapshot {

    private String apiVersion;

    @Required
    private String digest;

    @Required
    private String name;

    @Required
    private String namespace;

    @Required
    private Integer version;

    @Required
    private String status;

    private String action;

    @Required
    private String chartName;

    @Required
    private String chartVersion;

    private String appVersion;

    @Required
    private String configDigest;

    @Required
    @DateTime
    private String firstDeployed;

    @Required
    @DateTime
    private String lastDeployed;

    @DateTime
    private String deleted;

    private Map<String, TestHookStatus> testHooks;

    private String ociDigest;

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getDigest() {
        return digest;
    }

    public void setDigest(String digest) {
        this.digest = digest;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public Integer getVersion() {
        return version;
    }

    public void setVersion(Integer version) {
        this.version = version;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getChartName() {
        return chartName;
    }

    public void setChartName(String chartName) {
        this.chartName = chartName;
    }

    public String getChartVersion() {
        return chartVersion;
    }

    public void setChartVersion(String chartVersion) {
        this.chartVersion = chartVersion;
    }

    public String getAppVersion() {
        return appVersion;
    }

    public void setAppVersion(String appVersion) {
        this.appVersion = appVersion;
    }

    public String getConfigDigest() {
        return configDigest;
    }

    public void setConfigDigest(String configDigest) {
        this.configDigest = configDigest;
    }

    public String getFirstDeployed() {
        return firstDeployed;
    }

    public void setFirstDeployed(String firstDeployed) {
        this.firstDeployed = firstDeployed;
    }

    public String getLastDeployed() {
        return lastDeployed;
    }

    public void setLastDeployed(String lastDeployed) {
        this.lastDeployed = lastDeployed;
    }

    public String getDeleted() {
        return deleted;
    }

    public void setDeleted(String deleted) {
        this.deleted = deleted;
    }

    public Map<String, TestHookStatus> getTestHooks() {
        return testHooks;
    }

    public void setTestHooks(Map<String, TestHookStatus> testHooks) {
        this.testHooks = testHooks;
    }

    public String getOciDigest() {
        return ociDigest;
    }

    public void setOciDigest(String ociDigest) {
        this.ociDigest = ociDigest;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }
}
