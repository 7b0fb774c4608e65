package io.currents.api.source.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.AccessFrom;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Desired state of a HelmRepository: an HTTP/S chart repository index or an OCI registry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmRepositorySpec implements FluxSpec {

    @Required
    @Pattern("^(http|https|oci)://.*$")
    private String url;

    private LocalObjectReference secretRef;

    private LocalObjectReference certSecretRef;

    private Boolean passCredentials;

    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    private Boolean insecure;

    @Pattern(FluxMeta.TIMEOUT_PATTERN)
    private String timeout;

    private Boolean suspend;

    private AccessFrom accessFrom;

    @OneOf({"default", "oci"})
    private String type;

    @Default("generic")
    @OneOf({"generic", "aws", "azure", "gcp"})
    private String provider;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public LocalObjectReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectReference secretRef) {
        this.secretRef = secretRef;
    }

    public LocalObjectReference getCertSecretRef() {
        return certSecretRef;
    }

    public void setCertSecretRef(LocalObjectReference certSecretRef) {
        this.certSecretRef = certSecretRef;
    }

    public Boolean getPassCredentials() {
        return passCredentials;
    }

    public void setPassCredentials(Boolean passCredentials) {
        this.passCredentials = passCredentials;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public Boolean getInsecure() {
        return insecure;
    }

    public void setInsecure(Boolean insecure) {
        this.insecure = insecure;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
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

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }
}
