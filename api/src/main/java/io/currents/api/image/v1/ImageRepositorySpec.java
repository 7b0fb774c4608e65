package io.currents.api.image.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.AccessFrom;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/** Desired state of an ImageRepository: the image to scan for tags and how to reach the registry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageRepositorySpec implements FluxSpec {

    @Required
    private String image;

    @Required
    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    @Pattern(FluxMeta.TIMEOUT_PATTERN)
    private String timeout;

    private LocalObjectReference secretRef;

    private LocalObjectReference proxySecretRef;

    @Size(max = 253)
    private String serviceAccountName;

    private LocalObjectReference certSecretRef;

    private Boolean suspend;

    private AccessFrom accessFrom;

    @Default("[\"^.*\\\\.sig$\"]")
    @Size(max = 25)
    private List<String> exclusionList;

    @Default("generic")
    @OneOf({"generic", "aws", "azure", "gcp"})
    private String provider;

    private Boolean insecure;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public LocalObjectReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectReference secretRef) {
        this.secretRef = secretRef;
    }

    public LocalObjectReference getProxySecretRef() {
        return proxySecretRef;
    }

    public void setProxySecretRef(LocalObjectReference proxySecretRef) {
        this.proxySecretRef = proxySecretRef;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public LocalObjectReference getCertSecretRef() {
        return certSecretRef;
    }

    public void setCertSecretRef(LocalObjectReference certSecretRef) {
        this.certSecretRef = certSecretRef;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }

    public AccessFrom getAccessFrom() {
        return accessFrom;
    }

    public void setAccessFrom(AccessFrom accessFrom) {
        this.accessFrom = accessFrom;
    }

    public List<String> getExclusionList() {
        return exclusionList;
    }

    public void setExclusionList(List<String> exclusionList) {
        this.exclusionList = exclusionList;
    }

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public Boolean getInsecure() {
        return insecure;
    }

    public void setInsecure(Boolean insecure) {
        this.insecure = insecure;
    }
}
