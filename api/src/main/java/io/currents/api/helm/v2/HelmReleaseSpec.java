package io.currents.api.helm.v2;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.currents.api.meta.CommonMetadata;
import io.currents.api.meta.OneOf;
import io.currents.api.meta.CustomHealthCheck;
import io.currents.api.meta.DependencyReference;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.KubeConfigReference;
import io.currents.api.meta.OneOf;
import io.currents.api.meta.ValuesReference;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a HelmRelease: the chart, values and how to install, upgrade, test, roll back and uninstall it. */
@ValidationRule(value = "(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))",
        message = "either chart or chartRef must be set")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmReleaseSpec implements FluxSpec {

    private HelmChartTemplate chart;

    private CrossNamespaceSourceReference chartRef;

    @Required
    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    private KubeConfigReference kubeConfig;

    private Boolean suspend;

    @Size(min = 1, max = 53)
    private String releaseName;

    @Size(min = 1, max = 63)
    private String targetNamespace;

    @Size(min = 1, max = 63)
    private String storageNamespace;

    private List<DependencyReference> dependsOn;

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String timeout;

    private Integer maxHistory;

    @Size(min = 1, max = 253)
    private String serviceAccountName;

    private Boolean persistentClient;

    private DriftDetection driftDetection;

    private Install install;

    private Upgrade upgrade;

    private Test test;

    private Rollback rollback;

    private Uninstall uninstall;

    private List<ValuesReference> valuesFrom;

    @PreserveUnknownFields
    private JsonNode values;

    private List<PostRenderer> postRenderers;

    /**
     * How hooks go to the post-renderers: nohooks (not at all, Helm 3), combined (with the templates in one stream,
     * the default) or separate (in a stream of their own).
     */
    @OneOf({"nohooks", "combined", "separate"})
    private String postRenderStrategy;

    private CommonMetadata commonMetadata;

    private List<CustomHealthCheck> healthCheckExprs;

    private WaitStrategy waitStrategy;

    public HelmChartTemplate getChart() {
        return chart;
    }

    public void setChart(HelmChartTemplate chart) {
        this.chart = chart;
    }

    public CrossNamespaceSourceReference getChartRef() {
        return chartRef;
    }

    public void setChartRef(CrossNamespaceSourceReference chartRef) {
        this.chartRef = chartRef;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public KubeConfigReference getKubeConfig() {
        return kubeConfig;
    }

    public void setKubeConfig(KubeConfigReference kubeConfig) {
        this.kubeConfig = kubeConfig;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }

    public String getReleaseName() {
        return releaseName;
    }

    public void setReleaseName(String releaseName) {
        this.releaseName = releaseName;
    }

    public String getTargetNamespace() {
        return targetNamespace;
    }

    public void setTargetNamespace(String targetNamespace) {
        this.targetNamespace = targetNamespace;
    }

    public String getStorageNamespace() {
        return storageNamespace;
    }

    public void setStorageNamespace(String storageNamespace) {
        this.storageNamespace = storageNamespace;
    }

    public List<DependencyReference> getDependsOn() {
        return dependsOn;
    }

    public void setDependsOn(List<DependencyReference> dependsOn) {
        this.dependsOn = dependsOn;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public Integer getMaxHistory() {
        return maxHistory;
    }

    public void setMaxHistory(Integer maxHistory) {
        this.maxHistory = maxHistory;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public Boolean getPersistentClient() {
        return persistentClient;
    }

    public void setPersistentClient(Boolean persistentClient) {
        this.persistentClient = persistentClient;
    }

    public DriftDetection getDriftDetection() {
        return driftDetection;
    }

    public void setDriftDetection(DriftDetection driftDetection) {
        this.driftDetection = driftDetection;
    }

    public Install getInstall() {
        return install;
    }

    public void setInstall(Install install) {
        this.install = install;
    }

    public Upgrade getUpgrade() {
        return upgrade;
    }

    public void setUpgrade(Upgrade upgrade) {
        this.upgrade = upgrade;
    }

    public Test getTest() {
        return test;
    }

    public void setTest(Test test) {
        this.test = test;
    }

    public Rollback getRollback() {
        return rollback;
    }

    public void setRollback(Rollback rollback) {
        this.rollback = rollback;
    }

    public Uninstall getUninstall() {
        return uninstall;
    }

    public void setUninstall(Uninstall uninstall) {
        this.uninstall = uninstall;
    }

    public List<ValuesReference> getValuesFrom() {
        return valuesFrom;
    }

    public void setValuesFrom(List<ValuesReference> valuesFrom) {
        this.valuesFrom = valuesFrom;
    }

    public JsonNode getValues() {
        return values;
    }

    public void setValues(JsonNode values) {
        this.values = values;
    }

    public List<PostRenderer> getPostRenderers() {
        return postRenderers;
    }

    public void setPostRenderers(List<PostRenderer> postRenderers) {
        this.postRenderers = postRenderers;
    }

    public CommonMetadata getCommonMetadata() {
        return commonMetadata;
    }

    public void setCommonMetadata(CommonMetadata commonMetadata) {
        this.commonMetadata = commonMetadata;
    }

    public List<CustomHealthCheck> getHealthCheckExprs() {
        return healthCheckExprs;
    }

    public void setHealthCheckExprs(List<CustomHealthCheck> healthCheckExprs) {
        this.healthCheckExprs = healthCheckExprs;
    }

    public WaitStrategy getWaitStrategy() {
        return waitStrategy;
    }

    public void setWaitStrategy(WaitStrategy waitStrategy) {
        this.waitStrategy = waitStrategy;
    }

    public String getPostRenderStrategy() {
        return postRenderStrategy;
    }

    public void setPostRenderStrategy(String postRenderStrategy) {
        this.postRenderStrategy = postRenderStrategy;
    }
}
