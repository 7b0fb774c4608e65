package io.currents.api.source.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a Bucket: an S3-compatible, GCS or Azure Blob bucket to fetch objects from. */
@ValidationRule(value = "self.provider == 'aws' || self.provider == 'generic' || !has(self.sts)",
        message = "STS configuration is only supported for the 'aws' and 'generic' Bucket providers")
@ValidationRule(value = "self.provider != 'aws' || !has(self.sts) || self.sts.provider == 'aws'",
        message = "'aws' is the only supported STS provider for the 'aws' Bucket provider")
@ValidationRule(value = "self.provider != 'generic' || !has(self.sts) || self.sts.provider == 'ldap'",
        message = "'ldap' is the only supported STS provider for the 'generic' Bucket provider")
@ValidationRule(value = "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.secretRef)",
        message = "spec.sts.secretRef is not required for the 'aws' STS provider")
@ValidationRule(value = "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.certSecretRef)",
        message = "spec.sts.certSecretRef is not required for the 'aws' STS provider")
@ValidationRule(value = "self.provider != 'generic' || !has(self.serviceAccountName)",
        message = "ServiceAccountName is not supported for the 'generic' Bucket provider")
@ValidationRule(value = "!has(self.secretRef) || !has(self.serviceAccountName)",
        message = "cannot set both .spec.secretRef and .spec.serviceAccountName")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BucketSpec implements FluxSpec {

    @Default("generic")
    @OneOf({"generic", "aws", "gcp", "azure"})
    private String provider;

    @Required
    private String bucketName;

    @Required
    private String endpoint;

    private BucketSTSSpec sts;

    private Boolean insecure;

    private String region;

    private String prefix;

    private LocalObjectReference secretRef;

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

    private Boolean suspend;

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public String getBucketName() {
        return bucketName;
    }

    public void setBucketName(String bucketName) {
        this.bucketName = bucketName;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public BucketSTSSpec getSts() {
        return sts;
    }

    public void setSts(BucketSTSSpec sts) {
        this.sts = sts;
    }

    public Boolean getInsecure() {
        return insecure;
    }

    public void setInsecure(Boolean insecure) {
        this.insecure = insecure;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public LocalObjectReference getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectReference secretRef) {
        this.secretRef = secretRef;
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

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }
}
