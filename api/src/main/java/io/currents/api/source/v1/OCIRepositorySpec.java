package io.currents.api.source.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Desired state of an OCIRepository: the artifact to pull, which layer, and how to authenticate and verify it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OCIRepositorySpec implements FluxSpec {

    @Required
    @Pattern("^oci://.*$")
    private String url;

    private OCIRepositoryRef ref;

    private OCILayerSelector layerSelector;

    @Default("generic")
    @OneOf({"generic", "aws", "azure", "gcp"})
    private String provider;

    private LocalObjectReference secretRef;

    private OCIRepositoryVerification verify;

    private String serviceAccountName;

    private LocalObjectReference certSecretRef;

    private LocalObjectReference proxySecretRef;

    @Required
    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    @Default("60s")
    @Pattern(FluxMeta.TIMEOUT_PATTERN)
    private String timeout;

    private String ignore;

    private Boolean insecure;

    private Boolean suspend;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public OCIRepositoryRef getRef() {
        return ref;
    }

    public void setRef(OCIRepositoryRef ref) {
        this.ref = ref;
    }

    public OCILayerSelector getLayerSelector() {
        return layerSelector;
    }

    public void setLayerSelector(OCILayerSelector layerSelector) {
        this.layerSelector = layerSelector;
    }

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public LocalObjectReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectReference secretRef) {
        this.secretRef = secretRef;
    }

    public OCIRepositoryVerification getVerify() {
        return verify;
    }

    public void setVerify(OCIRepositoryVerification verify) {
        this.verify = verify;
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

    public LocalObjectReference getProxySecretRef() {
        return proxySecretRef;
    }

    public void setProxySecretRef(LocalObjectReference proxySecretRef) {
        this.proxySecretRef = proxySecretRef;
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

    public String getIgnore() {
        return ignore;
    }

    public void setIgnore(String ignore) {
        this.ignore = ignore;
    }

    public Boolean getInsecure() {
        return insecure;
    }

    public void setInsecure(Boolean insecure) {
        this.insecure = insecure;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }
}
