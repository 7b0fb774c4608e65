package io.currents.api.source.v1;

import io.currents.api.meta.FluxSpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.LocalObjectReference;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

import java.util.List;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a GitRepository: where to clone from, which reference and how to authenticate. */
@ValidationRule(value = "!has(self.serviceAccountName) || (has(self.provider) && (self.provider == 'azure' || self.provider == 'aws'))",
        message = "serviceAccountName can only be set when provider is 'azure' or 'aws'")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitRepositorySpec implements FluxSpec {

    @Required
    @Pattern("^(http|https|ssh)://.*$")
    private String url;

    private LocalObjectReference secretRef;

    @OneOf({"generic", "aws", "azure", "github"})
    private String provider;

    private String serviceAccountName;

    @Required
    @Pattern(FluxMeta.DURATION_PATTERN)
    private String interval;

    @Default("60s")
    @Pattern(FluxMeta.TIMEOUT_PATTERN)
    private String timeout;

    private GitRepositoryRef ref;

    private GitRepositoryVerification verify;

    private LocalObjectReference proxySecretRef;

    private String ignore;

    private Boolean suspend;

    private Boolean recurseSubmodules;

    private List<GitRepositoryInclude> include;

    private List<String> sparseCheckout;

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

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
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

    public GitRepositoryRef getRef() {
        return ref;
    }

    public void setRef(GitRepositoryRef ref) {
        this.ref = ref;
    }

    public GitRepositoryVerification getVerify() {
        return verify;
    }

    public void setVerify(GitRepositoryVerification verify) {
        this.verify = verify;
    }

    public LocalObjectReference getProxySecretRef() {
        return proxySecretRef;
    }

    public void setProxySecretRef(LocalObjectReference proxySecretRef) {
        this.proxySecretRef = proxySecretRef;
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

    public Boolean getRecurseSubmodules() {
        return recurseSubmodules;
    }

    public void setRecurseSubmodules(Boolean recurseSubmodules) {
        this.recurseSubmodules = recurseSubmodules;
    }

    public List<GitRepositoryInclude> getInclude() {
        return include;
    }

    public void setInclude(List<GitRepositoryInclude> include) {
        this.include = include;
    }

    public List<String> getSparseCheckout() {
        return sparseCheckout;
    }

    public void setSparseCheckout(List<String> sparseCheckout) {
        this.sparseCheckout = sparseCheckout;
    }
}
