package io.currents.api.kustomize.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.CommonMetadata;
import io.currents.api.meta.CustomHealthCheck;
import io.currents.api.meta.DependencyReference;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.Image;
import io.currents.api.meta.KubeConfigReference;
import io.currents.api.meta.NamespacedObjectKindReference;
import io.currents.api.meta.OneOf;
import io.currents.api.meta.Patch;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/** Desired state of a Kustomization: which source path to build and how to apply, prune and check it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KustomizationSpec implements FluxSpec {

    private CommonMetadata commonMetadata;

    private List<DependencyReference> dependsOn;

    private Decryption decryption;

    @Required
    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String retryInterval;

    private KubeConfigReference kubeConfig;

    private String path;

    private PostBuild postBuild;

    @Required
    private Boolean prune;

    @OneOf({"MirrorPrune", "Delete", "WaitForTermination", "Orphan"})
    private String deletionPolicy;

    private List<NamespacedObjectKindReference> healthChecks;

    @Size(min = 1, max = 200)
    private String namePrefix;

    @Size(min = 1, max = 200)
    private String nameSuffix;

    private List<Patch> patches;

    private List<Image> images;

    private String serviceAccountName;

    @Required
    private CrossNamespaceSourceReference sourceRef;

    private Boolean suspend;

    @Size(min = 1, max = 63)
    private String targetNamespace;

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String timeout;

    @Default("false")
    private Boolean force;

    private Boolean wait;

    @OneOf({"originAnnotations", "transformerAnnotations"})
    private List<String> buildMetadata;

    private List<String> components;

    private Boolean ignoreMissingComponents;

    private List<CustomHealthCheck> healthCheckExprs;

    private List<IgnoreRule> ignore;

    public CommonMetadata getCommonMetadata() {
        return commonMetadata;
    }

    public void setCommonMetadata(CommonMetadata commonMetadata) {
        this.commonMetadata = commonMetadata;
    }

    public List<DependencyReference> getDependsOn() {
        return dependsOn;
    }

    public void setDependsOn(List<DependencyReference> dependsOn) {
        this.dependsOn = dependsOn;
    }

    public Decryption getDecryption() {
        return decryption;
    }

    public void setDecryption(Decryption decryption) {
        this.decryption = decryption;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public String getRetryInterval() {
        return retryInterval;
    }

    public void setRetryInterval(String retryInterval) {
        this.retryInterval = retryInterval;
    }

    public KubeConfigReference getKubeConfig() {
        return kubeConfig;
    }

    public void setKubeConfig(KubeConfigReference kubeConfig) {
        this.kubeConfig = kubeConfig;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public PostBuild getPostBuild() {
        return postBuild;
    }

    public void setPostBuild(PostBuild postBuild) {
        this.postBuild = postBuild;
    }

    public Boolean getPrune() {
        return prune;
    }

    public void setPrune(Boolean prune) {
        this.prune = prune;
    }

    public String getDeletionPolicy() {
        return deletionPolicy;
    }

    public void setDeletionPolicy(String deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
    }

    public List<NamespacedObjectKindReference> getHealthChecks() {
        return healthChecks;
    }

    public void setHealthChecks(List<NamespacedObjectKindReference> healthChecks) {
        this.healthChecks = healthChecks;
    }

    public String getNamePrefix() {
        return namePrefix;
    }

    public void setNamePrefix(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    public String getNameSuffix() {
        return nameSuffix;
    }

    public void setNameSuffix(String nameSuffix) {
        this.nameSuffix = nameSuffix;
    }

    public List<Patch> getPatches() {
        return patches;
    }

    public void setPatches(List<Patch> patches) {
        this.patches = patches;
    }

    public List<Image> getImages() {
        return images;
    }

    public void setImages(List<Image> images) {
        this.images = images;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public CrossNamespaceSourceReference getSourceRef() {
        return sourceRef;
    }

    public void setSourceRef(CrossNamespaceSourceReference sourceRef) {
        this.sourceRef = sourceRef;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }

    public String getTargetNamespace() {
        return targetNamespace;
    }

    public void setTargetNamespace(String targetNamespace) {
        this.targetNamespace = targetNamespace;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public Boolean getForce() {
        return force;
    }

    public void setForce(Boolean force) {
        this.force = force;
    }

    public Boolean getWait() {
        return wait;
    }

    public void setWait(Boolean wait) {
        this.wait = wait;
    }

    public List<String> getComponents() {
        return components;
    }

    public void setComponents(List<String> components) {
        this.components = components;
    }

    public Boolean getIgnoreMissingComponents() {
        return ignoreMissingComponents;
    }

    public void setIgnoreMissingComponents(Boolean ignoreMissingComponents) {
        this.ignoreMissingComponents = ignoreMissingComponents;
    }

    public List<CustomHealthCheck> getHealthCheckExprs() {
        return healthCheckExprs;
    }

    public void setHealthCheckExprs(List<CustomHealthCheck> healthCheckExprs) {
        this.healthCheckExprs = healthCheckExprs;
    }

    public List<String> getBuildMetadata() {
        return buildMetadata;
    }

    public void setBuildMetadata(List<String> buildMetadata) {
        this.buildMetadata = buildMetadata;
    }

    public List<IgnoreRule> getIgnore() {
        return ignore;
    }

    public void setIgnore(List<IgnoreRule> ignore) {
        this.ignore = ignore;
    }
}
